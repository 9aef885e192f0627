// Fresh databases for the benchmarks: a temporary SQLite file, or a new schema in a PostgreSQL
// database (dropped afterwards); and the plain chunked INSERT the baselines are measured with.
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { Store } from '../app/ports/store.ts';
import { openDatabase } from '../db/connection.ts';
import type { Db, Executor } from '../db/dialect.ts';
import { dropSchema } from '../db/postgres/connection.ts';
import type { Database } from '../db/schema.ts';
import { createStore } from '../db/store.ts';

export type DatabaseName = 'sqlite' | 'postgres';

export interface BenchDb {
  name: DatabaseName;
  db: Db;
  store: Store;
  /** A DATABASE_URL another process can open (PostgreSQL: with the schema's search_path). */
  url: string;
  /** Statements run through this database's Kysely so far (the cost meter reads it). */
  statements: { count: number };
  /** application_name of its PostgreSQL connections: finds their server backends. */
  appName: string;
  close(): Promise<void>;
}

/** Where the benchmarks run: a postgres:// URL, or null for temporary SQLite files. */
export function databaseName(target: string | null): DatabaseName {
  return target === null ? 'sqlite' : 'postgres';
}

/** A new, migrated, empty database; close() removes it. */
export async function freshDatabase(target: string | null): Promise<BenchDb> {
  const id = randomBytes(5).toString('hex');
  const statements = { count: 0 };
  const appName = `caseline-bench-db-${id}`;
  const onQuery = () => {
    statements.count++;
  };
  if (target === null) {
    const file = join(tmpdir(), `caseline-bench-${id}.db`);
    const db = await openDatabase(`sqlite:${file}`, { onQuery });
    await db.migrate();
    return {
      name: 'sqlite',
      db,
      store: createStore(db),
      url: `sqlite:${file}`,
      statements,
      appName,
      async close() {
        await db.close();
        for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
      },
    };
  }
  const schema = `caseline_bench_${id}`;
  const db = await openDatabase(target, { schema, applicationName: appName, onQuery });
  try {
    await db.migrate();
  } catch (error) {
    await db.close();
    await dropSchema(target, schema);
    throw error;
  }
  const separator = target.includes('?') ? '&' : '?';
  return {
    name: 'postgres',
    db,
    store: createStore(db),
    url: `${target}${separator}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    statements,
    appName,
    async close() {
      await db.close();
      await dropSchema(target, schema);
    },
  };
}

type Table = keyof Database;

/** Rows per INSERT statement: under both dialects' limit on bound parameters (SQLite 32,766). */
function chunkSize(columns: number): number {
  return Math.max(1, Math.min(1000, Math.floor(30_000 / Math.max(1, columns))));
}

/** Multi-row INSERTs of `rows` in chunks, all in the caller's executor (wrap in a transaction). */
export async function insertRows<T extends Table>(
  db: Executor,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<void> {
  const first = rows[0];
  if (!first) return;
  const size = chunkSize(Object.keys(first).length);
  for (let i = 0; i < rows.length; i += size) {
    // Kysely's typing of a generic table name cannot follow; the rows are typed by the caller.
    await db
      .insertInto(table)
      .values(rows.slice(i, i + size) as never)
      .execute();
  }
}

/** The order a table is read in, page by page: a numeric id, or its primary key. */
const ORDER: Partial<Record<Table, string[]>> = {
  projects: ['id'],
  cases: ['project_id', 'id'],
};

/**
 * The rows of `tables` as the caseline side left them, read page by page (untimed: a baseline
 * then inserts them with `insertTables`).
 */
export async function readTables(
  from: Executor,
  tables: readonly Table[],
  page = 20_000,
): Promise<{ table: Table; rows: Record<string, unknown>[] }[]> {
  const read: { table: Table; rows: Record<string, unknown>[] }[] = [];
  for (const table of tables) {
    const order = ORDER[table];
    let after = 0;
    const all: Record<string, unknown>[] = [];
    for (let offset = 0; ; offset += page) {
      // Kysely cannot type a table chosen at run time; these are plain rows copied as they are.
      const source = from.selectFrom(table as 'messages').selectAll();
      const rows = (
        order
          ? await order
              .reduce((q, column) => q.orderBy(column as 'id'), source)
              .limit(page)
              .offset(offset)
              .execute()
          : await source.where('id', '>', after).orderBy('id').limit(page).execute()
      ) as Record<string, unknown>[];
      if (rows.length === 0) break;
      after = Number(rows.at(-1)?.id ?? 0);
      all.push(...rows);
      if (rows.length < page) break;
    }
    read.push({ table, rows: all });
  }
  return read;
}

/** Plain multi-row INSERTs of rows read by `readTables`, all in one transaction. */
export async function insertTables(
  to: Db,
  tables: readonly { table: Table; rows: Record<string, unknown>[] }[],
): Promise<void> {
  // Explicit ids leave PostgreSQL's sequences behind; nothing inserts into the copy afterwards.
  await to.kysely.transaction().execute(async (tx) => {
    for (const { table, rows } of tables) await insertRows(tx, table, rows as never[]);
  });
}

/** Row count of a table. */
export async function countRows(db: Executor, table: Table): Promise<number> {
  const row = await db
    .selectFrom(table)
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** The server's version line, for the machine facts. */
export async function databaseVersion(bench: BenchDb): Promise<string> {
  if (bench.name === 'sqlite') {
    const row = await sql<{ v: string }>`select sqlite_version() as v`.execute(bench.db.kysely);
    return `SQLite ${row.rows[0]?.v ?? '?'} (better-sqlite3, WAL, synchronous=NORMAL)`;
  }
  const row = await sql<{ v: string }>`show server_version`.execute(bench.db.kysely);
  const v = (row.rows[0] as Record<string, string> | undefined)?.server_version ?? '?';
  const settings = await sql<{
    name: string;
    setting: string;
  }>`select name, current_setting(name) as setting from pg_settings where name in ('fsync', 'synchronous_commit', 'shared_buffers')`.execute(
    bench.db.kysely,
  );
  const facts = settings.rows.map((r) => `${r.name}=${r.setting}`).join(', ');
  return `PostgreSQL ${v} (${facts})`;
}
