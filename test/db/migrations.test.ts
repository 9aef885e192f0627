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
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { putProject } from '../../src/app/projects/projects.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { loadMigrations } from '../../src/db/migrations.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { DATABASES, openTestDb, POSTGRES_URL, testDeps, type DatabaseName } from '../support/databases.ts';

/** How many times two processes migrate a fresh database at once (a PostgreSQL round is slower). */
const CONCURRENT_ROUNDS = { sqlite: 10, postgres: 4 } as const;
/** How long a barrier holds the two processes before letting them go together. */
const BARRIER_MS = 300;

/** The rows of caseline_migrations as `version name`, in version order. */
async function appliedRows(db: Db): Promise<string[]> {
  const { rows } = await sql<{
    version: number;
    name: string;
  }>`SELECT version, name FROM caseline_migrations ORDER BY version`.execute(db.kysely);
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
    return {
      url: `sqlite:${join(folder, `m-${randomBytes(4).toString('hex')}.db`)}`,
      cleanup: async () => undefined,
    };
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

const openTarget = (target: Target) =>
  openDatabase(target.url, target.schema === undefined ? {} : { schema: target.schema, max: 2 });

// ---------------------------------------------------------------------------------------------
// A migrating child process. It loads the code and says it is ready; then, on request, it opens
// a database (`open`), migrates it (`migrate`), closes it (`close`), or does all three (`start`,
// as `caseline serve` does at startup), answering how many migrations it applied or its error.

const connectionUrl = JSON.stringify(new URL('../../src/db/connection.ts', import.meta.url).href);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

const CHILD = `
import { openDatabase } from ${connectionUrl};
let db = null;
const open = (m) => openDatabase(m.url, m.schema === undefined ? {} : { schema: m.schema, max: 2 });
process.on('message', async (m) => {
  if (m.op === 'exit') {
    process.disconnect();
    return;
  }
  try {
    let answer = null;
    if (m.op === 'open') db = await open(m);
    if (m.op === 'migrate') answer = await db.migrate();
    if (m.op === 'close') await db.close();
    if (m.op === 'start') {
      const started = await open(m);
      try {
        answer = await started.migrate();
      } finally {
        await started.close();
      }
    }
    process.send({ id: m.id, answer });
  } catch (error) {
    process.send({ id: m.id, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
`;

interface Answer {
  id?: number;
  ready?: boolean;
  answer?: number | null;
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
      child.once('message', (answer: Answer) =>
        answer.ready ? resolve() : reject(new Error('migrator did not start')),
      );
      child.once('exit', (code) => reject(new Error(`migrator exited with ${code}`)));
    });
    return new Migrator(child);
  }

  /** The number of migrations applied (migrate, start), null (open, close), or the error met as text. */
  ask(op: 'open' | 'migrate' | 'close' | 'start', target: Target): Promise<number | null | string> {
    const id = this.next++;
    return new Promise((resolve) => {
      const listener = (answer: Answer) => {
        if (answer.id !== id) return;
        this.child.off('message', listener);
        resolve(answer.error ?? answer.answer ?? null);
      };
      this.child.on('message', listener);
      this.child.send({ op, id, url: target.url, schema: target.schema });
    });
  }

  /** Asks the process to end; its exit code. */
  exit(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', (code) => resolve(code)));
    this.child.send({ op: 'exit' });
    return exited;
  }
}

/** Both processes' answers: one applied every migration, the other none. */
function assertOneApplied(name: DatabaseName, results: (number | string | null)[], label: string): void {
  assert.deepEqual(
    [...results].sort(),
    [0, loadMigrations(name).length].sort(),
    `${label}: one process applies everything, the other nothing; got ${results.join(' | ')}`,
  );
}

/** The target holds each migration once and a use case runs on it. */
async function assertWhole(name: DatabaseName, target: Target, label: string): Promise<void> {
  const db = await openTarget(target);
  try {
    assert.deepEqual(await appliedRows(db), expectedRows(name), label);
    const project = await putProject(testDeps(createStore(db)), 'p1', { time_zone: 'UTC' });
    assert.deepEqual(await createStore(db).projects.get('p1'), project, label);
  } finally {
    await db.close();
  }
}

/**
 * Holds `target` as a third process starting at the same moment would, then lets go:
 * SQLite, a write transaction on the new file (what a process converting it to WAL holds for a
 * moment); PostgreSQL, an uncommitted CREATE SCHEMA of the schema's name, which both processes
 * pass "IF NOT EXISTS" for and then wait on, so that they go at the same instant.
 */
async function behindBarrier<T>(target: Target, run: () => Promise<T>): Promise<T> {
  if (target.schema === undefined) {
    const holder = new SQLite(target.url.slice('sqlite:'.length));
    try {
      holder.exec('BEGIN IMMEDIATE');
      const running = run();
      await new Promise((resolve) => setTimeout(resolve, BARRIER_MS));
      holder.exec('COMMIT');
      return await running;
    } finally {
      holder.close();
    }
  }
  const schema = target.schema;
  return withPostgres(async (barrier) => {
    await barrier.query('BEGIN');
    await barrier.query(`CREATE SCHEMA ${schema}`);
    const running = run();
    await withPostgres((watcher) =>
      waitUntil(async () => {
        const { rows } = await watcher.query<{ n: number }>(
          // The barrier itself is idle in its transaction, not waiting on a lock.
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1`,
          [`%${schema}%`],
        );
        return (rows[0]?.n ?? 0) >= 2;
      }, 5000),
    );
    await barrier.query('ROLLBACK');
    return running;
  });
}

for (const name of DATABASES) {
  describe(name, () => {
    let folder: string;
    let migrators: Migrator[] = [];
    before(async () => {
      folder = mkdtempSync(join(tmpdir(), 'caseline-migrations-'));
      migrators = await Promise.all([Migrator.start(), Migrator.start()]);
    });
    after(async () => {
      rmSync(folder, { recursive: true, force: true });
      const codes = await Promise.all(migrators.map((m) => m.exit()));
      assert.deepEqual(codes, [0, 0], 'both processes exit 0');
    });

    test('there are migrations, numbered 1, 2, 3, ... without gaps', () => {
      const versions = loadMigrations(name).map((m) => m.version);
      assert.ok(versions.length >= 1);
      assert.deepEqual(
        versions,
        versions.map((_, index) => index + 1),
      );
    });

    test('a fresh database gets every migration once; migrating again applies none', async () => {
      const target = freshTarget(name, folder);
      try {
        const db = await openTarget(target);
        try {
          assert.equal(await db.migrate(), loadMigrations(name).length);
          assert.equal(await db.migrate(), 0);
          assert.equal(await db.migrate(), 0);
          assert.deepEqual(await appliedRows(db), expectedRows(name));
        } finally {
          await db.close();
        }
        // A restarted process finds nothing to do either.
        const again = await openTarget(target);
        try {
          assert.equal(await again.migrate(), 0);
          assert.deepEqual(await appliedRows(again), expectedRows(name));
        } finally {
          await again.close();
        }
      } finally {
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

    test(`two processes calling migrate() on one fresh database at once: each migration applied once (${CONCURRENT_ROUNDS[name]} rounds)`, async () => {
      for (let round = 0; round < CONCURRENT_ROUNDS[name]; round++) {
        const target = await emptyTarget(name, folder);
        try {
          for (const migrator of migrators)
            assert.equal(await migrator.ask('open', target), null, `round ${round}: open`);
          const results = await Promise.all(migrators.map((m) => m.ask('migrate', target)));
          for (const migrator of migrators)
            assert.equal(await migrator.ask('close', target), null, `round ${round}: close`);
          assertOneApplied(name, results, `round ${round}`);
          await assertWhole(name, target, `round ${round}`);
        } finally {
          await target.cleanup();
        }
      }
    });

    test('two processes starting at once (open, then migrate) on a database that does not exist yet both succeed', async () => {
      const target = freshTarget(name, folder);
      try {
        const results = await behindBarrier(target, () =>
          Promise.all(migrators.map((m) => m.ask('start', target))),
        );
        assertOneApplied(name, results, 'start');
        await assertWhole(name, target, 'start');
      } finally {
        await target.cleanup();
      }
    });
  });
}
