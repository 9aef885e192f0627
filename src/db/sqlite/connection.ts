// SQLite through better-sqlite3: WAL, a busy timeout for other processes, and write
// transactions that take the lock at BEGIN so two processes never deadlock upgrading it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type SqliteDatabase,
} from 'kysely';
import type { Db, Dialect } from '../dialect.ts';
import { loadMigrations, MIGRATIONS_TABLE } from '../migrations.ts';
import { insertValues } from './insert-values.ts';
import type { Database } from '../schema.ts';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

// Kysely's SQLite driver prepares every statement anew on each execution; preparing was
// 16–24 % of the CPU of the row-at-a-time benchmarks. The statements are kept (the most recently
// used few hundred, as bulk statements vary in length) and reused: the driver runs one query
// at a time on its single connection, so a statement is never in use twice.
const STATEMENT_CACHE_SIZE = 500;

function cachingPrepares(database: SQLite.Database): SqliteDatabase {
  const statements = new Map<string, SQLite.Statement>();
  return {
    close: () => database.close(),
    prepare(sql: string) {
      let statement = statements.get(sql);
      if (statement) {
        statements.delete(sql);
      } else {
        statement = database.prepare(sql);
        if (statements.size >= STATEMENT_CACHE_SIZE)
          statements.delete(statements.keys().next().value as string);
      }
      statements.set(sql, statement);
      return statement;
    },
  };
}

class ImmediateSqliteDialect extends SqliteDialect {
  private readonly database: SqliteDatabase;
  constructor(database: SQLite.Database) {
    const cached = cachingPrepares(database);
    super({ database: cached });
    this.database = cached;
  }
  override createDriver() {
    return new ImmediateSqliteDriver({ database: this.database });
  }
}

const sqliteDialect: Dialect = {
  name: 'sqlite',
  async lockKeys() {
    // begin immediate already holds the database's single write lock.
  },
  skipLocked: (query) => query,
  isUniqueViolation: (error) =>
    codeOf(error).startsWith('SQLITE_CONSTRAINT_UNIQUE') || codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isRetryable: (error) => codeOf(error).startsWith('SQLITE_BUSY'),
  insertRows: insertValues,
};

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** Opens (creating its folder) a SQLite database file, or an in-memory one for ':memory:'. */
export function openSqlite(path: string, onQuery?: () => void): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('busy_timeout = 5000');
  // Switching a new file to WAL needs the write lock, and SQLite does not wait for it there
  // (the busy handler is skipped): retry while another process holds it.
  retryWhileBusy(() => database.pragma('journal_mode = WAL'), 10_000);
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({
    dialect: new ImmediateSqliteDialect(database),
    ...(onQuery ? { log: () => onQuery() } : {}),
  });
  return {
    kysely,
    dialect: sqliteDialect,
    migrate: async () => migrateSqlite(database),
    close: () => kysely.destroy(),
  };
}

function retryWhileBusy<T>(work: () => T, timeoutMs: number): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return work();
    } catch (error) {
      if (!codeOf(error).startsWith('SQLITE_BUSY') || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
}

function migrateSqlite(database: SQLite.Database): number {
  const migrations = loadMigrations('sqlite');
  database.exec('BEGIN IMMEDIATE');
  try {
    database.exec(MIGRATIONS_TABLE);
    const applied = new Set(
      database
        .prepare('SELECT version FROM caseline_migrations')
        .all()
        .map((row) => (row as { version: number }).version),
    );
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      database.exec(migration.sql);
      database
        .prepare('INSERT INTO caseline_migrations (version, name, applied_at) VALUES (?, ?, ?)')
        .run(migration.version, migration.name, Date.now());
    }
    database.exec('COMMIT');
    return pending.length;
  } catch (error) {
    database.exec('ROLLBACK');
    throw error;
  }
}
