// One item of a batch inside its transaction: a savepoint (the same statements on SQLite and
// PostgreSQL) lets an item that fails undo its own writes while the batch's others commit. On
// PostgreSQL it is also what keeps the transaction usable after a failed statement.
import { sql } from 'kysely';
import type { Isolated } from '../app/ports/store.ts';
import type { Dialect, Executor } from './dialect.ts';

let serial = 0;

/** Runs fn in a savepoint of the current transaction; when fn throws, its writes are rolled back
 *  and the failure is returned. A conflict that reruns the transaction is thrown on. */
export async function inSavepoint<T>(
  db: Executor,
  dialect: Dialect,
  fn: () => Promise<T>,
): Promise<Isolated<T>> {
  const name = sql.raw(`item_${(serial = (serial + 1) % 1_000_000)}`);
  await sql`SAVEPOINT ${name}`.execute(db);
  try {
    const value = await fn();
    await sql`RELEASE SAVEPOINT ${name}`.execute(db);
    return { ok: true, value };
  } catch (error) {
    if (dialect.isRetryable(error)) throw error;
    await sql`ROLLBACK TO SAVEPOINT ${name}`.execute(db);
    await sql`RELEASE SAVEPOINT ${name}`.execute(db);
    return { ok: false, error };
  }
}
