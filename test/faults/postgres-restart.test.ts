// PostgreSQL restarted under load: two `caseline worker` processes work a backlog on a private
// cluster; mid-run their sessions are cut off again and again, then the server is stopped (fast
// shutdown) and started again. The workers must ride it out on their own — no process dies,
// nothing restarts them — and every message still ends `sent`, with every id seen by the gateway.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { createStore } from '../../src/db/store.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';
import { startPrivatePostgres, whyNoPrivatePostgres, type PrivatePostgres } from './private-postgres.ts';
import { queueBacklog, startWorker, stopWorker, until, type WorkerProcess } from './support.ts';

const BACKLOG = 2_000;
/** Rounds of cutting off every worker session, 100 ms apart, before the restart. */
const KILL_ROUNDS = 20;
const SETTINGS = {
  CASELINE_LEASE_MS: '2000',
  CASELINE_BATCH_SIZE: '50',
  CASELINE_CONCURRENCY: '8',
  LOG_LEVEL: 'info',
};

const cannot = whyNoPrivatePostgres();

describe(
  'PostgreSQL restarted while two workers work a backlog',
  { timeout: 180_000, skip: cannot ?? false },
  () => {
    let cluster: PrivatePostgres | null = null;
    let db: Db | null = null;
    let gateway: GatewayServer | null = null;
    const workers: WorkerProcess[] = [];

    before(async () => {
      cluster = await startPrivatePostgres();
      db = await openDatabase(cluster.url, { max: 2 });
      await db.migrate();
      gateway = await startGatewayServer();
    });

    after(async () => {
      for (const worker of workers) await stopWorker(worker, 'SIGKILL');
      await gateway?.close();
      await db?.close();
      await cluster?.destroy();
    });

    test('the workers reconnect on their own and every message is sent', async () => {
      assert.ok(cluster && db && gateway);
      const store = createStore(db);
      await queueBacklog(store, 'restart', gateway.url, BACKLOG);
      // Named, so the test can find the workers' sessions (and leave its own alone).
      const workerUrl = `${cluster.url}?application_name=caseline-worker`;
      workers.push(startWorker(workerUrl, SETTINGS), startWorker(workerUrl, SETTINGS));
      const serverLog = cluster.log;
      const logs = () =>
        workers.map((w, i) => `--- worker ${i + 1}:\n${w.output()}`).join('\n') +
        `\n--- server:\n${serverLog()}`;

      try {
        // Both past their start (migrations run at start are not what this test is about).
        await until(
          'both workers to start',
          () => workers.every((w) => w.output().includes('caseline worker started')),
          60_000,
          workers,
        );
        await until(
          'the workers to send a quarter of the backlog',
          () => (gateway?.total() ?? 0) >= BACKLOG / 4,
          60_000,
          workers,
        );
        // First every worker session is cut off again and again, wherever it happens to be (in a
        // transaction, between two statements, waiting for a lock); then the server goes away.
        const admin = new pg.Client({ connectionString: cluster.url });
        await admin.connect();
        try {
          for (let i = 0; i < KILL_ROUNDS; i++) {
            await admin.query(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'caseline-worker'",
            );
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        } finally {
          await admin.end();
        }
        const sentBeforeStop = gateway.total();
        await cluster.restart(1_500);
        assert.ok(
          sentBeforeStop < BACKLOG,
          `the restart came while work was left (${sentBeforeStop} of ${BACKLOG} sent before it)`,
        );

        // The test's own pool lost its connections too: a query on one it had not yet noticed
        // fails, and the next one gets a new connection.
        await until(
          'every message to be final',
          async () => (await store.messages.countWaiting('restart').catch(() => -1)) === 0,
          90_000,
          workers,
        );
        for (const [i, worker] of workers.entries())
          assert.ok(worker.running(), `worker ${i + 1} is still running`);
      } catch (error) {
        console.error(logs());
        throw error;
      }

      const statuses = await store.messages.countByStatus();
      assert.deepEqual(
        statuses.map((s) => [s.status, s.count]),
        [['sent', BACKLOG]],
        'every message is sent',
      );
      assert.equal(gateway.received.size, BACKLOG, 'the gateway saw every message id');
      assert.ok(
        workers.some((w) => /worker round failed/.test(w.output())),
        `a worker felt the restart and carried on\n${logs()}`,
      );

      // And they still stop cleanly when told to.
      for (const worker of workers) worker.process.kill('SIGTERM');
      for (const [i, worker] of workers.entries())
        assert.deepEqual(await worker.exit, { code: 0, signal: null }, `worker ${i + 1} stopped on SIGTERM`);
    });

    test('a worker started while the server is down waits for it, then works', async () => {
      assert.ok(cluster && db && gateway);
      const store = createStore(db);
      await queueBacklog(store, 'late', gateway.url, 20);
      // Down long enough for a worker (a few seconds to load) to find nobody to connect to.
      const restarting = cluster.restart(12_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const worker = startWorker(cluster.url, SETTINGS);
      workers.push(worker);
      await until(
        'the worker to find the server down',
        () => /database not reachable yet; retrying/.test(worker.output()),
        12_000,
        [worker],
      );
      await restarting;
      try {
        await until(
          'the late worker to start',
          () => worker.output().includes('caseline worker started'),
          60_000,
          [worker],
        );
        await until(
          'its messages to be sent',
          async () => (await store.messages.countWaiting('late').catch(() => -1)) === 0,
          60_000,
          [worker],
        );
      } catch (error) {
        console.error(worker.output());
        throw error;
      }
      await stopWorker(worker);
    });
  },
);
