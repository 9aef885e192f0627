// The same tests on both databases: in-memory SQLite, and a fresh schema in the PostgreSQL
// database of TEST_DATABASE_URL (default the local server's `test` database). Each call gives
// an isolated, migrated database that the test closes (and so drops) when done.
import { randomBytes } from 'node:crypto';
import type { Deps } from '../../src/app/ports/deps.ts';
import type { Store } from '../../src/app/ports/store.ts';
import { VirtualClock } from '../../src/clock.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type DatabaseName = 'sqlite' | 'postgres';
export const DATABASES: readonly DatabaseName[] = ['sqlite', 'postgres'];

export interface TestDb {
  db: Db;
  store: Store;
  /** Opens another connection pool on the same database (PostgreSQL: same schema). */
  another(): Promise<Db>;
  close(): Promise<void>;
}

export async function openTestDb(name: DatabaseName): Promise<TestDb> {
  if (name === 'sqlite') {
    const db = await openDatabase(':memory:');
    await db.migrate();
    return {
      db,
      store: createStore(db),
      another: () => Promise.reject(new Error('in-memory SQLite has one connection')),
      close: () => db.close(),
    };
  }
  const schema = `caseline_test_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase(POSTGRES_URL, { schema, max: 4 });
  await db.migrate();
  const others: Db[] = [];
  return {
    db,
    store: createStore(db),
    async another() {
      const other = await openDatabase(POSTGRES_URL, { schema, max: 4 });
      others.push(other);
      return other;
    },
    async close() {
      for (const other of others) await other.close();
      await db.close();
      await dropSchema(POSTGRES_URL, schema);
    },
  };
}

export const START = Date.parse('2026-01-05T08:00:00Z');

/** Use-case dependencies on a test database with a virtual clock at START. */
export function testDeps(store: Store, start = START): Deps & { clock: VirtualClock } {
  return { store, clock: new VirtualClock(start) };
}
