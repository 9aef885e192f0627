// Crash safety (SPEC 3.3): a worker process killed with SIGKILL in the middle of a backlog
// loses nothing; a second worker finishes it, and the gateway sees at most a batch of duplicates.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { putGateway } from '../../src/app/gateways.ts';
import { putProject } from '../../src/app/projects.ts';
import type { Store } from '../../src/app/ports.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';
import { POSTGRES_URL, testDeps } from '../support/databases.ts';
import { startGatewayServer } from '../support/gateway-server.ts';

const BACKLOG = 10_000;
const BATCH = 100;
const bin = new URL('../../bin/caseline.js', import.meta.url).pathname;

function startWorker(databaseUrl: string): ChildProcess {
  return spawn(process.execPath, [bin, 'worker'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, CASELINE_LEASE_MS: '2000', CASELINE_BATCH_SIZE: String(BATCH), CASELINE_CONCURRENCY: '16', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function queueBacklog(store: Store, gatewayUrl: string): Promise<void> {
  const deps = testDeps(store, Date.now());
  await putProject(deps, 'crash', {});
  await putGateway(deps, 'GW', {
    project: 'crash',
    type: 'http',
    default: true,
    config: { url: gatewayUrl, params: { to: '{to}', text: '{text}', ref: '{message_id}' } },
  });
  for (let start = 0; start < BACKLOG; start += 1000) {
    await store.transaction(async (tx) => {
      for (let i = start; i < start + 1000; i++) {
        await tx.messages.insert(
          { projectId: 'crash', eventId: null, subEventId: null, direction: 'out', channel: 'sms', contact: null, phone: '254712345678', email: null, gatewayId: 'GW', subject: null, text: `message ${i}`, segments: 1, status: 'queued', kind: 'message', replyTo: null, dueAt: Date.now(), outcome: null },
          Date.now(),
        );
      }
    });
  }
}

async function crashAndRecover(db: Db, workerUrl: string): Promise<void> {
  const store = createStore(db);
  const gateway = await startGatewayServer();
  try {
    await queueBacklog(store, gateway.url);
    const first = startWorker(workerUrl);
    await until('the first worker to send a third of the backlog', () => gateway.total() >= BACKLOG / 3, 60_000);
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const sentBeforeRestart = gateway.total();
    assert.ok(sentBeforeRestart < BACKLOG, 'the crash happened mid-run');

    const second = startWorker(workerUrl);
    try {
      await until('every message to be final', async () => (await store.messages.countWaiting('crash')) === 0, 120_000);
    } finally {
      second.kill('SIGTERM');
      await new Promise((resolve) => second.once('exit', resolve));
    }
    const statuses = await store.messages.countByStatus();
    assert.deepEqual(statuses.map((s) => [s.status, s.count]), [['sent', BACKLOG]]);
    assert.equal(gateway.received.size, BACKLOG, 'every message reached the gateway');
    const duplicates = gateway.total() - gateway.received.size;
    assert.ok(duplicates <= BATCH, `duplicates at the gateway (${duplicates}) are at most a claim batch (${BATCH})`);
  } finally {
    await gateway.close();
  }
}

describe('a worker killed mid-run loses nothing', { timeout: 300_000 }, () => {
  test('on SQLite', async () => {
    const file = join(tmpdir(), `caseline-crash-${randomBytes(4).toString('hex')}.db`);
    const db = await openDatabase(`sqlite:${file}`);
    try {
      await db.migrate();
      await crashAndRecover(db, `sqlite:${file}`);
    } finally {
      await db.close();
      for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
    }
  });

  test('on PostgreSQL', async () => {
    const schema = `caseline_crash_${randomBytes(4).toString('hex')}`;
    const db = await openDatabase(POSTGRES_URL, { schema });
    try {
      await db.migrate();
      await crashAndRecover(db, `${POSTGRES_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`);
    } finally {
      await db.close();
      await dropSchema(POSTGRES_URL, schema);
    }
  });
});
