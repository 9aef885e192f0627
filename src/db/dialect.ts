// What differs between SQLite and PostgreSQL lives behind this interface; repositories
// are written once against Kysely and call these for the few dialect-specific operations.
import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { InsertOptions, Row } from './bulk.ts';
import type { Database } from './schema.ts';

export type Executor = Kysely<Database>;

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Serialises transactions that touch the same keys (phone numbers, senders) until commit.
   *  PostgreSQL takes transaction-scoped advisory locks in sorted order; SQLite already runs
   *  one write transaction at a time. */
  lockKeys(tx: Executor, keys: readonly string[]): Promise<void>;
  /** True when the error is a unique-constraint violation. */
  isUniqueViolation(error: unknown): boolean;
  /** Marks a sub-select of rows to claim so that concurrent claimers skip each other's rows
   *  (FOR UPDATE SKIP LOCKED on PostgreSQL; SQLite's claim is a single write statement). */
  skipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /** True when a transaction failed only because it raced another and may simply be rerun. */
  isRetryable(error: unknown): boolean;
  /** Inserts many rows of the same columns in a few statements; the RETURNING columns of each,
   *  in the order inserted (sqlite/insert-values.ts, postgres/unnest.ts). Called through bulk.ts
   *  `insertChunks`. */
  insertRows<R>(
    tx: Executor,
    table: keyof Database,
    rows: readonly Row[],
    options: InsertOptions,
  ): Promise<R[]>;
}

export interface Db {
  readonly kysely: Executor;
  readonly dialect: Dialect;
  /** Applies pending migrations; returns how many were applied. Safe when several processes start at once. */
  migrate(): Promise<number>;
  close(): Promise<void>;
}
