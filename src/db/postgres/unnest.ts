// PostgreSQL's bulk insert: `INSERT … SELECT * FROM unnest($1::type[], $2::type[], …)`, one
// array parameter per column, up to UNNEST_ROWS rows a statement. The statement's text depends
// only on the table and its columns, so PostgreSQL parses a short statement instead of planning
// a VALUES list of thousands of parameters, and the client sends one array per column: half the
// CPU of multi-row VALUES for the client and less for the server (issue #19).
import { CompiledQuery, sql } from 'kysely';
import type { InsertOptions, Row } from '../bulk.ts';
import type { Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

const UNNEST_ROWS = 5_000;

/** Each table's column types (every schema of a database has the same migrations). */
const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(db: Executor, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (types === undefined) {
    const { rows } = await sql<{ name: string; type: string }>`
      SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
      WHERE attrelid = to_regclass(${table}) AND attnum > 0 AND NOT attisdropped`.execute(db);
    types = new Map(rows.map((row) => [row.name, row.type]));
    columnTypes.set(table, types);
  }
  return types;
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function insertUnnest<R>(
  db: Executor,
  table: keyof Database,
  rows: readonly Row[],
  { returning = [], upsert }: InsertOptions,
): Promise<R[]> {
  const columns = Object.keys(rows[0] ?? {});
  const types = await typesOf(db, table);
  const arrays = columns.map((column, i) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`no column ${table}.${column}`);
    return `$${i + 1}::${type}[]`;
  });
  const text =
    `INSERT INTO ${quote(table)} (${columns.map(quote).join(', ')}) SELECT * FROM unnest(${arrays.join(', ')})` +
    (upsert
      ? ` ON CONFLICT (${upsert.key.map(quote).join(', ')}) DO UPDATE SET ` +
        upsert.update.map((c) => `${quote(c)} = EXCLUDED.${quote(c)}`).join(', ')
      : '') +
    (returning.length > 0 ? ` RETURNING ${returning.map(quote).join(', ')}` : '');
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += UNNEST_ROWS) {
    const chunk = rows.slice(i, i + UNNEST_ROWS);
    const parameters = columns.map((column) => chunk.map((row) => row[column] ?? null));
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, parameters));
    out.push(...result.rows);
  }
  return out;
}
