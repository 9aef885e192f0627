// SQLite through better-sqlite3: WAL, a busy timeout for other processes, and write
// transactions that take the lock at BEGIN so two processes never deadlock upgrading it.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, SqliteDriver, type DatabaseConnection } from 'kysely';
import type { Db, Dialect } from '../dialect.ts';
import { loadMigrations, MIGRATIONS_TABLE } from '../migrations.ts';
import type { Database } from '../schema.ts';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly database: SQLite.Database) {
    super({ database });
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
  isUniqueViolation: (error) => codeOf(error).startsWith('SQLITE_CONSTRAINT_UNIQUE') || codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY',
  isRetryable: (error) => codeOf(error).startsWith('SQLITE_BUSY'),
};

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

/** Opens (creating its folder) a SQLite database file, or an in-memory one for ':memory:'. */
export function openSqlite(path: string): Db {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const database = new SQLite(path);
  database.pragma('busy_timeout = 5000');
  // Switching a new file to WAL needs the write lock, and SQLite does not wait for it there
  // (the busy handler is skipped): retry while another process holds it.
  retryWhileBusy(() => database.pragma('journal_mode = WAL'), 10_000);
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  const kysely = new Kysely<Database>({ dialect: new ImmediateSqliteDialect(database) });
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
      database.prepare('SELECT version FROM caseline_migrations').all().map((row) => (row as { version: number }).version),
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
