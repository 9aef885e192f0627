// Statements for many rows at once: one UPDATE with different values per row (`SET col = CASE
// id WHEN … THEN … ELSE col END`; values are cast to the column's type, since PostgreSQL cannot
// infer a bare parameter's type inside CASE), and multi-row INSERTs, each database its own way.
import { sql, type RawBuilder } from 'kysely';
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

/** Items turned into rows at a time by `insertChunks`: bounds the rows held in memory, so that
 *  a broadcast to 100,000 holds a few thousand row objects at once rather than all of them. */
const MAPPED_ROWS = 5_000;

/**
 * A multi-row INSERT (… RETURNING) of many items, each turned into a row of the same columns
 * (in the same order) by `toRow`, in a few statements, each database its own way
 * (Dialect.insertRows). The returned rows come in the order inserted.
 */
export async function insertChunks<T, R = unknown>(
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
      ...(await dialect.insertRows<R>(db, table, items.slice(i, i + MAPPED_ROWS).map(toRow), options)),
    );
  return out;
}
