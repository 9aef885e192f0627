// Scale-out correctness (issue #19): 8 `caseline worker` processes on one PostgreSQL database
// (its own schema) under a mixed load — a broadcast, an alert firing over cases, and inbound SMS
// whose default replies arrive while the workers run — send every message exactly once: the
// gateway (its own process) sees each queued message's id once, none twice, none missing.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { parseCaseItems, upsertCases } from '../../src/app/contacts/case-batch.ts';
import { handleInbound } from '../../src/app/inbound/inbound.ts';
import { putAlert } from '../../src/app/scheduling/alerts.ts';
import { putBroadcast } from '../../src/app/scheduling/broadcasts.ts';
import { freshDatabase } from '../../src/bench/database.ts';
import { GATEWAY, PROJECT, phoneNumber, setupProject } from '../../src/bench/fixtures.ts';
import { startGateway } from '../../src/bench/gateway.ts';
import { workerProcesses } from '../../src/bench/workers.ts';
import { systemClock } from '../../src/clock.ts';
import { POSTGRES_URL } from '../support/databases.ts';

const WORKERS = 8;
const BROADCAST = 600;
const CASES = 300;
const INBOUND = 200;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test(
  `${WORKERS} worker processes on one PostgreSQL database: a broadcast, an alert and inbound replies, each sent once`,
  { timeout: 120_000 },
  async () => {
    const bench = await freshDatabase(POSTGRES_URL);
    const gateway = await startGateway();
    const workers = workerProcesses(
      bench.url,
      { batchSize: 50, concurrency: 8, leaseMs: 60_000 },
      `caseline-test-${randomBytes(4).toString('hex')}`,
    );
    try {
      const deps = { store: bench.store, clock: systemClock };
      await setupProject(deps, { default_reply: 'Thank you, a nurse will call you.' }, gateway.url);
      await upsertCases(
        deps,
        PROJECT,
        parseCaseItems(
          Array.from({ length: CASES }, (_, i) => ({
            id: `case-${i}`,
            type: 'patient',
            properties: {
              status: 'active',
              contact_phone_number: `+${phoneNumber(i + 1)}`,
              contact_phone_number_is_verified: '1',
            },
          })),
        ),
      );
      await workers.grow(WORKERS);
      assert.equal(workers.pids.length, WORKERS);

      await putBroadcast(deps, {
        project: PROJECT,
        id: 'everyone',
        recipients: Array.from({ length: BROADCAST }, (_, i) => ({ phone: `+${phoneNumber(10_000 + i)}` })),
        schedule: { type: 'immediate' },
        content: { text: 'Clinic closed on Friday' },
      });
      await putAlert(deps, {
        project: PROJECT,
        id: 'active',
        case_type: 'patient',
        criteria: [{ property: 'status', op: 'equals', value: 'active' }],
        schedule: { type: 'immediate' },
        content: { text: 'Welcome to the programme' },
      });
      // Inbound while the workers fan the broadcast out and fire the alert.
      for (let i = 0; i < INBOUND; i++)
        await handleInbound(deps, {
          gateway: GATEWAY,
          from: `+${phoneNumber((i % CASES) + 1)}`,
          text: 'hello',
        });

      const expected = BROADCAST + CASES + INBOUND;
      const deadline = Date.now() + 60_000;
      let queued = Infinity;
      while (Date.now() < deadline) {
        queued = (await bench.store.messages.countByStatus())
          .filter((s) => s.direction === 'out' && s.status === 'queued')
          .reduce((sum, s) => sum + s.count, 0);
        if (queued === 0 && (await gateway.stats()).distinct >= expected) break;
        await sleep(200);
      }
      const stats = await gateway.stats(true);
      const sent = await bench.db.kysely
        .selectFrom('messages')
        .select(['id', 'kind', 'status'])
        .where('direction', '=', 'out')
        .execute();
      assert.equal(queued, 0, 'nothing left queued');
      assert.equal(sent.length, expected, 'one message per broadcast recipient, alert case and reply');
      assert.deepEqual(
        sent.filter((m) => m.status !== 'sent').map((m) => `${m.id} ${m.status}`),
        [],
        'every message sent',
      );
      assert.equal(stats.total - stats.distinct, 0, 'no message reached the gateway twice');
      const arrived = new Set((stats.arrivals ?? []).map(([ref]) => Number(ref)));
      assert.deepEqual(
        sent.filter((m) => !arrived.has(m.id)).map((m) => m.id),
        [],
        'no sent message missing at the gateway',
      );
      assert.equal(arrived.size, expected);
      assert.equal(sent.filter((m) => m.kind === 'reply').length, INBOUND);
      assert.deepEqual(workers.errors, [], 'the workers logged no error');
    } finally {
      await workers.stop();
      await gateway.close();
      await bench.close();
    }
  },
);
