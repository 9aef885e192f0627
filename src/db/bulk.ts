// Statements for many rows at once: one UPDATE with different values per row (`SET col = CASE
// id WHEN … THEN … ELSE col END`; values are cast to the column's type, since PostgreSQL cannot
// infer a bare parameter's type inside CASE), and multi-row INSERTs whose text is built once.
import { CompiledQuery, sql, type RawBuilder } from 'kysely';
import type { Dialect, Executor } from './dialect.ts';
import type { Database } from './schema.ts';

export type SqlType = 'TEXT' | 'BIGINT' | 'INTEGER';

export interface ColumnUpdate<T> {
  column: string;
  type: SqlType;
  /** undefined keeps the row's current value. */
  value(row: T): string | number | null | undefined;
}

/** The SET assignments for `rows` (each with an id, and the statement limited to their ids); columns no row changes are left out. */
export function caseAssignments<T extends { id: number }>(
  rows: readonly T[],
  columns: readonly ColumnUpdate<T>[],
): Record<string, RawBuilder<unknown>> {
  const set: Record<string, RawBuilder<unknown>> = {};
  for (const { column, type, value } of columns) {
    const changed = rows.filter((row) => value(row) !== undefined);
    if (changed.length === 0) continue;
    // Every row to the same value (a batch all sent, errors all null): a plain assignment, which
    // keeps the statement short and the same from batch to batch.
    const first = value(changed[0] as T);
    if (changed.length === rows.length && changed.every((row) => value(row) === first)) {
      set[column] = sql`CAST(${first} AS ${sql.raw(type)})`;
      continue;
    }
    const whens = changed.map((row) => sql`WHEN ${row.id} THEN CAST(${value(row)} AS ${sql.raw(type)})`);
    set[column] = sql`CASE ${sql.ref('id')} ${sql.join(whens, sql` `)} ELSE ${sql.ref(column)} END`;
  }
  return set;
}

/** Rows per statement for IN lists and multi-row inserts: well under both dialects' parameter limits. */
export const CHUNK = 500;

/** Runs a query per chunk of keys and concatenates the rows. */
export async function inChunks<K, R>(keys: readonly K[], query: (chunk: K[]) => Promise<R[]>): Promise<R[]> {
  const rows: R[] = [];
  for (let i = 0; i < keys.length; i += CHUNK) rows.push(...(await query(keys.slice(i, i + CHUNK))));
  return rows;
}

/** Rows given to one statement of `insertChunks`, by database. */
export type Row = Record<string, unknown>;

export interface InsertOptions {
  /** Columns to return of each row inserted, in the order inserted. */
  returning?: readonly string[];
  /** An upsert: a row whose `key` exists already has its `update` columns set from the new row. */
  upsert?: { key: readonly string[]; update: readonly string[] };
}

/**
 * A multi-row INSERT (… RETURNING) of many rows of the same columns in a few statements, each
 * database its own way (Dialect.insertRows): every row must have the columns of the first, in
 * the same order.
 */
export async function insertChunks<R>(
  db: Executor,
  dialect: Dialect,
  table: keyof Database,
  rows: readonly Row[],
  options: InsertOptions = {},
): Promise<R[]> {
  return rows.length === 0 ? [] : dialect.insertRows<R>(db, table, rows, options);
}

/** Items turned into rows at a time by `insertMapped`: bounds the rows held in memory. */
const MAPPED_ROWS = 5_000;

/**
 * `insertChunks` of items turned into rows a slice at a time, so that a broadcast to 100,000
 * holds a few thousand row objects at once rather than all of them (peak memory).
 */
export async function insertMapped<T, R>(
  db: Executor,
  dialect: Dialect,
  table: keyof Database,
  items: readonly T[],
  toRow: (item: T) => Row,
  options: InsertOptions = {},
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += MAPPED_ROWS)
    out.push(
      ...(await insertChunks<R>(db, dialect, table, items.slice(i, i + MAPPED_ROWS).map(toRow), options)),
    );
  return out;
}

/** The text of a multi-row INSERT, by table, columns, rows and RETURNING list. */
const insertTexts = new Map<string, string>();
const INSERT_TEXTS_MAX = 200;

/**
 * SQLite's bulk insert: multi-row VALUES, `CHUNK` rows a statement. Kysely builds each
 * statement's text once per shape (table, columns, rows per chunk) and the text is then run
 * again with each chunk's values (and its prepared statement reused): building a node per value
 * through the query builder cost more CPU than the database's own work for wide rows (issue #19).
 */
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
