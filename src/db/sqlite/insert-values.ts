// SQLite's bulk insert (Dialect.insertRows): multi-row VALUES, `CHUNK` rows a statement. Kysely
// builds each statement's text once per shape (table, columns, rows per chunk) and the text is
// then run again with each chunk's values (and its prepared statement reused): building a node
// per value through the query builder cost more CPU than the database's own work for wide rows
// (issue #19).
import { CompiledQuery, sql } from 'kysely';
import { CHUNK, type InsertOptions, type Row } from '../bulk.ts';
import type { Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

/** The text of a multi-row INSERT, by table, columns, rows and RETURNING list. */
const insertTexts = new Map<string, string>();
const INSERT_TEXTS_MAX = 200;

export async function insertValues<R>(
  db: Executor,
  table: keyof Database,
  rows: readonly Row[],
  { returning = [], upsert }: InsertOptions,
): Promise<R[]> {
  const columns = Object.keys(rows[0] ?? {});
  const out: R[] = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const key = `${table}|${columns.join(',')}|${chunk.length}|${returning.join(',')}|${JSON.stringify(upsert ?? null)}`;
    let text = insertTexts.get(key);
    if (text === undefined) {
      const blank = Object.fromEntries(columns.map((column) => [column, null]));
      let insert = db.insertInto(table).values(chunk.map(() => blank) as never);
      if (upsert)
        insert = insert.onConflict((oc) =>
          oc
            .columns(upsert.key as never)
            .doUpdateSet(
              Object.fromEntries(upsert.update.map((c) => [c, sql.ref(`excluded.${c}`)])) as never,
            ),
        );
      text = (returning.length > 0 ? insert.returning(returning as never) : insert).compile().sql;
      if (insertTexts.size >= INSERT_TEXTS_MAX) insertTexts.clear();
      insertTexts.set(key, text);
    }
    const parameters: unknown[] = [];
    for (const row of chunk) for (const column of columns) parameters.push(row[column]);
    const result = await db.executeQuery<R>(CompiledQuery.raw(text, parameters));
    out.push(...result.rows);
  }
  return out;
}
