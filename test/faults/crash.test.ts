// Crash safety (SPEC 3.3), five times in a row on each database: a `caseline worker` killed
// with SIGKILL in the middle of a backlog, while a send is in flight, loses nothing; a second
// worker, started after the kill, finishes the backlog, and only messages the killed worker
// had claimed reach the gateway twice — at most a claim batch per dispatch lane (two lanes
// overlap one batch's database work with the other's sends). The runs form a chain on one
// database: the worker that finished a run's backlog is the one killed in the next (a start
// costs more than the sending, and a worker that took over after a crash must go on working
// normally).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { DEFAULT_PIPELINE } from '../../src/queue/pipeline.ts';
import { POSTGRES_URL } from '../support/databases.ts';
import { startGatewayServer } from '../support/gateway-server.ts';
import { queueBacklog, startWorker, stopWorker, until, type WorkerProcess } from './support.ts';

const RUNS = 5;
const BACKLOG = 1_500;
const BATCH = 100;
// The lease runs out while the next worker starts, so it costs little waiting; it is long
// enough that a batch sent on a loaded machine is not taken over by the worker's other lane.
const SETTINGS = {
  CASELINE_LEASE_MS: '4000',
  CASELINE_BATCH_SIZE: String(BATCH),
  CASELINE_CONCURRENCY: '16',
  LOG_LEVEL: 'warn',
};

interface Chain {
  db: Db;
  /** DATABASE_URL for the workers. */
  url: string;
  /** The worker that will be killed in the next run. */
  worker: WorkerProcess | null;
}

async function crashAndRecover(chain: Chain, run: number): Promise<void> {
  const { db } = chain;
  const store = createStore(db);
  const project = `crash${run}`;
  const victim = chain.worker?.running() ? chain.worker : startWorker(chain.url, SETTINGS);
  chain.worker = victim;
  // The kill comes from inside the gateway's request handler, before it answers: at that
  // instant the worker has a send in flight and a claimed batch not yet recorded.
  const gateway = await startGatewayServer(() => {
    if (victim.running() && gateway.total() >= BACKLOG / 3) victim.process.kill('SIGKILL');
    return null;
  });
  try {
    await queueBacklog(store, project, gateway.url, BACKLOG);
    await until('the worker to be killed a third of the way', () => !victim.running(), 60_000);
    assert.deepEqual(
      await victim.exit,
      { code: null, signal: 'SIGKILL' },
      `killed, not stopped:\n${victim.output()}`,
    );
    assert.ok(gateway.total() < BACKLOG, 'the crash happened mid-run');
    // Sent at least once, but still claimed and queued in the database: work in flight at the kill.
    const claimed = await db.kysely
      .selectFrom('messages')
      .select('id')
      .where('project_id', '=', project)
      .where('status', '=', 'queued')
      .where('lease_owner', 'is not', null)
      .execute();
    const claimedAtKill = new Set(claimed.map((m) => String(m.id)));
    assert.ok(
      [...claimedAtKill].some((id) => gateway.received.has(id)),
      'the worker was killed with sends in flight',
    );

    const successor = startWorker(chain.url, SETTINGS);
    chain.worker = successor;
    await until(
      'every message to be final',
      async () => (await store.messages.countWaiting(project)) === 0,
      120_000,
      [successor],
    );
    const statuses = await db.kysely
      .selectFrom('messages')
      .select(['status', (eb) => eb.fn.countAll<number>().as('count')])
      .where('project_id', '=', project)
      .groupBy('status')
      .execute();
    assert.deepEqual(
      statuses.map((s) => [s.status, Number(s.count)]),
      [['sent', BACKLOG]],
    );
    assert.equal(gateway.received.size, BACKLOG, 'every message reached the gateway');
    const twice = [...gateway.received].filter(([, times]) => times > 1).map(([id]) => id);
    const notInFlight = twice.filter((id) => !claimedAtKill.has(id));
    assert.deepEqual(notInFlight, [], 'only messages claimed at the kill were sent twice');
    const duplicates = gateway.total() - gateway.received.size;
    const bound = DEFAULT_PIPELINE.lanes * BATCH;
    assert.ok(
      duplicates <= bound,
      `duplicates at the gateway (${duplicates}) are at most a batch per lane (${bound})`,
    );
  } finally {
    await gateway.close();
  }
}

const DATABASES = {
  'on SQLite': async () => {
    const file = join(tmpdir(), `caseline-crash-${randomBytes(4).toString('hex')}.db`);
    const db = await openDatabase(`sqlite:${file}`);
    return {
      db,
      url: `sqlite:${file}`,
      drop: () => ['', '-wal', '-shm'].forEach((suffix) => rmSync(file + suffix, { force: true })),
    };
  },
  'on PostgreSQL': async () => {
    const schema = `caseline_crash_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase(POSTGRES_URL, { schema });
    return {
      db,
      url: `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      drop: () => dropSchema(POSTGRES_URL, schema),
    };
  },
};

// The two databases side by side (a worker's start is mostly one core's work), the runs on
// each one after the other.
describe('a worker killed mid-run loses nothing', { timeout: 300_000, concurrency: true }, () => {
  for (const [name, open] of Object.entries(DATABASES)) {
    describe(name, { concurrency: 1 }, () => {
      let chain: Chain | null = null;
      let drop: () => unknown = () => undefined;
      before(async () => {
        const opened = await open();
        drop = opened.drop;
        chain = { db: opened.db, url: opened.url, worker: null };
        await opened.db.migrate();
      });
      after(async () => {
        if (chain?.worker) await stopWorker(chain.worker);
        await chain?.db.close();
        await drop();
      });
      for (let n = 1; n <= RUNS; n++) {
        test(`run ${n} of ${RUNS}`, () => {
          assert.ok(chain);
          return crashAndRecover(chain, n);
        });
      }
    });
  }
});
