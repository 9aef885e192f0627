// Dispatch lanes (queue/pipeline.ts): two lanes in one process claim disjoint batches, so every
// message reaches the gateway exactly once; with one send at a time there is one lane and the
// order of creation is kept. On both databases, through the real http adapter and a local gateway.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import type { Mailer } from '../../src/app/ports/gateway.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { createAdapters } from '../../src/gateways/registry.ts';
import type { DispatchDeps } from '../../src/queue/dispatcher.ts';
import { dispatchPipelined } from '../../src/queue/pipeline.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';
import { startGatewayServer, type GatewayServer } from '../support/gateway-server.ts';

const noMail: Mailer = { send: async () => ({ kind: 'rejected', detail: 'no e-mail in this test' }) };

for (const name of DATABASES) {
  describe(`dispatch lanes on ${name}`, () => {
    let db: TestDb;
    let gateway: GatewayServer;
    let order: string[];
    beforeEach(async () => {
      db = await openTestDb(name);
      order = [];
      gateway = await startGatewayServer((fields) => {
        order.push(fields.ref ?? '');
        return null;
      });
    });
    afterEach(async () => {
      await gateway.close();
      await db.close();
    });

    async function queue(count: number): Promise<DispatchDeps> {
      const deps = testDeps(db.store);
      await putProject(deps, 'p', {});
      await putGateway(deps, 'GW', {
        project: 'p',
        type: 'http',
        default: true,
        config: { url: gateway.url, params: { to: '{to}', text: '{text}', ref: '{message_id}' } },
      });
      await db.store.transaction(async (tx) => {
        for (let i = 0; i < count; i++) {
          await tx.messages.insert(
            {
              projectId: 'p',
              eventId: null,
              subEventId: null,
              direction: 'out',
              channel: 'sms',
              contact: null,
              phone: '254712345678',
              email: null,
              gatewayId: 'GW',
              subject: null,
              text: `m${i}`,
              segments: 1,
              status: 'queued',
              kind: 'message',
              replyTo: null,
              dueAt: deps.clock.now(),
              outcome: null,
            },
            deps.clock.now(),
          );
        }
      });
      return {
        ...deps,
        adapters: createAdapters({ publicUrl: 'http://127.0.0.1' }),
        mailer: noMail,
        workerId: 'w',
      };
    }

    test('two lanes send every message exactly once', async () => {
      const deps = await queue(450);
      let claimed = 0;
      for (let n = -1; n !== 0; claimed += n)
        n = await dispatchPipelined(
          deps,
          { batchSize: 40, leaseMs: 60_000, concurrency: 8 },
          { lanes: 2, maxBatches: 3 },
        );
      assert.equal(claimed, 450);
      assert.equal(gateway.received.size, 450);
      assert.ok(
        [...gateway.received.values()].every((times) => times === 1),
        'no message twice',
      );
    });

    test('a lane stops after maxBatches, leaving the rest for the next round', async () => {
      const deps = await queue(300);
      assert.equal(
        await dispatchPipelined(
          deps,
          { batchSize: 40, leaseMs: 60_000, concurrency: 8 },
          { lanes: 2, maxBatches: 2 },
        ),
        160,
      );
      assert.equal(gateway.received.size, 160);
    });

    test('one send at a time keeps the order of creation', async () => {
      const deps = await queue(60);
      await dispatchPipelined(
        deps,
        { batchSize: 25, leaseMs: 60_000, concurrency: 1 },
        { lanes: 2, maxBatches: 10 },
      );
      const ids = order.map(Number);
      assert.equal(ids.length, 60);
      assert.deepEqual(
        ids,
        [...ids].sort((a, b) => a - b),
      );
    });
  });
}
