// One UPDATE for many rows with different values: `SET col = CASE id WHEN … THEN … ELSE col END`.
// Values are cast to the column's type, since PostgreSQL cannot infer a bare parameter's type
// inside CASE; both dialects accept the same statement.
import { sql, type RawBuilder } from 'kysely';

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
