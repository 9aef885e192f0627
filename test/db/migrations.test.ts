// Migrations (STYLE: "Numbered, append-only migrations per dialect, applied in a transaction, safe
// when two processes start at once"; Db.migrate: "Safe when several processes start at once").
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import pg from 'pg';
import { putProject } from '../../src/app/projects.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { loadMigrations } from '../../src/db/migrations.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { DATABASES, openTestDb, POSTGRES_URL, testDeps, type DatabaseName } from '../support/databases.ts';

/** How many times two processes migrate a fresh database at once. */
const CONCURRENT_ROUNDS = 8;

/** The rows of caseline_migrations as `version name`, in version order. */
async function appliedRows(db: Db): Promise<string[]> {
  const { rows } = await sql<{ version: number; name: string }>`SELECT version, name FROM caseline_migrations ORDER BY version`.execute(db.kysely);
  return rows.map((row) => `${Number(row.version)} ${row.name}`);
}

const expectedRows = (name: DatabaseName) => loadMigrations(name).map((m) => `${m.version} ${m.name}`);

/** A fresh database nobody has opened: a new SQLite file, or a PostgreSQL schema not yet made. */
interface Target {
  url: string;
  schema?: string;
  cleanup(): Promise<void>;
}

function freshTarget(name: DatabaseName, folder: string): Target {
  if (name === 'sqlite') {
    return { url: `sqlite:${join(folder, `m-${randomBytes(4).toString('hex')}.db`)}`, cleanup: async () => undefined };
  }
  const schema = `caseline_mig_${randomBytes(6).toString('hex')}`;
  return { url: POSTGRES_URL, schema, cleanup: () => dropSchema(POSTGRES_URL, schema) };
}

/** Runs statements on the PostgreSQL test database through a connection of its own. */
async function withPostgres<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** A fresh database as a new install has it: an empty file, or an empty PostgreSQL schema (like
 * `public` of a new database). */
async function emptyTarget(name: DatabaseName, folder: string): Promise<Target> {
  const target = freshTarget(name, folder);
  if (target.schema !== undefined) {
    const schema = target.schema;
    await withPostgres((client) => client.query(`CREATE SCHEMA ${schema}`));
  }
  return target;
}

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}

const openTarget = (target: Target) => openDatabase(target.url, target.schema === undefined ? {} : { schema: target.schema, max: 2 });

// ---------------------------------------------------------------------------------------------
// A migrating child process: it loads the code, says it is ready, and on each `go` opens the
// database it is given, migrates it, closes it and answers how many migrations it applied.

const connectionUrl = JSON.stringify(new URL('../../src/db/connection.ts', import.meta.url).href);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const CHILD = `
import { openDatabase } from ${connectionUrl};
process.on('message', async (message) => {
  if (message.op === 'exit') {
    process.disconnect();
    return;
  }
  try {
    const db = await openDatabase(message.url, message.schema === undefined ? {} : { schema: message.schema, max: 2 });
    try {
      process.send({ id: message.id, applied: await db.migrate() });
    } finally {
      await db.close();
    }
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
`;

interface Answer {
  id?: number;
  ready?: boolean;
  applied?: number;
  error?: string;
}

class Migrator {
  private next = 0;
  private constructor(private readonly child: ChildProcess) {}

  static async start(): Promise<Migrator> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (answer: Answer) => (answer.ready ? resolve() : reject(new Error('migrator did not start'))));
      child.once('exit', (code) => reject(new Error(`migrator exited with ${code}`)));
    });
    return new Migrator(child);
  }

  /** How many migrations this process applied to the target, or the error it met. */
  migrate(target: Target): Promise<number | string> {
    const id = this.next++;
    return new Promise((resolve) => {
      const listener = (answer: Answer) => {
        if (answer.id !== id) return;
        this.child.off('message', listener);
        resolve(answer.error ?? answer.applied ?? 'no answer');
      };
      this.child.on('message', listener);
      this.child.send({ op: 'go', id, url: target.url, schema: target.schema });
    });
  }

  /** Asks the process to end; its exit code. */
  exit(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.send({ op: 'exit' });
    return exited;
  }
}

for (const name of DATABASES) {
  describe(name, () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(join(tmpdir(), 'caseline-migrations-'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    test('there are migrations to apply', () => {
      assert.ok(loadMigrations(name).length >= 1);
      assert.deepEqual(
        loadMigrations(name).map((m) => m.version),
        loadMigrations(name).map((_, index) => index + 1),
        'numbered 1, 2, 3, ... without gaps',
      );
    });

    test('a fresh database gets every migration once; migrating again applies none', async () => {
      const target = freshTarget(name, folder);
      const db = await openTarget(target);
      try {
        assert.equal(await db.migrate(), loadMigrations(name).length);
        assert.equal(await db.migrate(), 0);
        assert.equal(await db.migrate(), 0);
        assert.deepEqual(await appliedRows(db), expectedRows(name));
      } finally {
        await db.close();
      }
      // A new connection (a restarted process) finds nothing to do either.
      const again = await openTarget(target);
      try {
        assert.equal(await again.migrate(), 0);
        assert.deepEqual(await appliedRows(again), expectedRows(name));
      } finally {
        await again.close();
        await target.cleanup();
      }
    });

    test('the test databases are migrated: a second migrate() applies 0', async () => {
      const t = await openTestDb(name);
      try {
        assert.equal(await t.db.migrate(), 0);
        assert.deepEqual(await appliedRows(t.db), expectedRows(name));
      } finally {
        await t.close();
      }
    });

    test(`two processes migrating one fresh database at once both succeed, each migration applied once (${CONCURRENT_ROUNDS} rounds)`, async () => {
      const migrators = await Promise.all([Migrator.start(), Migrator.start()]);
      try {
        for (let round = 0; round < CONCURRENT_ROUNDS; round++) {
          const target = await emptyTarget(name, folder);
          try {
            const results = await Promise.all(migrators.map((m) => m.migrate(target)));
            assert.deepEqual(
              [...results].sort(),
              [0, loadMigrations(name).length].sort(),
              `round ${round}: one process applies everything, the other nothing; got ${results.join(' | ')}`,
            );
            const db = await openTarget(target);
            try {
              assert.deepEqual(await appliedRows(db), expectedRows(name), `round ${round}`);
              // The schema is whole: a use case runs on it.
              const project = await putProject(testDeps(createStore(db)), 'p1', { time_zone: 'UTC' });
              assert.deepEqual(await createStore(db).projects.get('p1'), project);
            } finally {
              await db.close();
            }
          } finally {
            await target.cleanup();
          }
        }
      } finally {
        const codes = await Promise.all(migrators.map((m) => m.exit()));
        assert.deepEqual(codes, [0, 0], 'both processes exit 0');
      }
    });

    if (name === 'postgres') {
      test('two processes opening one schema that does not exist yet, at once, both succeed', async () => {
        const migrators = await Promise.all([Migrator.start(), Migrator.start()]);
        const target = freshTarget(name, folder);
        const schema = target.schema ?? '';
        try {
          // A barrier: while this uncommitted CREATE SCHEMA holds the name, both processes get
          // past "IF NOT EXISTS" and wait; rolling it back lets them go at the same instant.
          const results = await withPostgres(async (barrier) => {
            await barrier.query('BEGIN');
            await barrier.query(`CREATE SCHEMA ${schema}`);
            const running = Promise.all(migrators.map((m) => m.migrate(target)));
            await withPostgres((watcher) =>
              waitUntil(async () => {
                const { rows } = await watcher.query<{ n: number }>(
                  `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1 AND pid <> $2`,
                  [`%${schema}%`, barrier.processID],
                );
                return (rows[0]?.n ?? 0) >= 2;
              }, 5000),
            );
            await barrier.query('ROLLBACK');
            return running;
          });
          assert.deepEqual(
            [...results].sort(),
            [0, loadMigrations(name).length].sort(),
            `one process applies everything, the other nothing; got ${results.join(' | ')}`,
          );
          const db = await openTarget(target);
          try {
            assert.deepEqual(await appliedRows(db), expectedRows(name));
          } finally {
            await db.close();
          }
        } finally {
          await target.cleanup();
          const codes = await Promise.all(migrators.map((m) => m.exit()));
          assert.deepEqual(codes, [0, 0], 'both processes exit 0');
        }
      });
    }
  });
}
