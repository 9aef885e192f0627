// outbound: N queued SMS dispatched through the real queue (dispatchPipelined as the worker
// loop runs it: two lanes of batches of 200, 16 in flight each, the `http` adapter) to a local
// gateway, every status persisted — against a bare loop posting the same N requests to the
// same gateway with the same HTTP client (gateways/http-client.ts) and 32 in flight. The queue
// rows are bulk-inserted first; only the dispatch is timed.
import { systemClock } from '../clock.ts';
import { createAdapters } from '../gateways/registry.ts';
import { sendHttp } from '../gateways/http-client.ts';
import type { DispatchDeps } from '../queue/dispatcher.ts';
import { DEFAULT_PIPELINE, dispatchPipelined } from '../queue/pipeline.ts';
import { insertRows } from './database.ts';
import { noMailer, phoneNumber, queuedRows, setupProject } from './fixtures.ts';
import { startGateway } from './gateway.ts';
import { expectEqual, seconds, type Benchmark } from './harness.ts';

const OPTIONS = { batchSize: 200, leaseMs: 60_000, concurrency: 16 };
/** In flight at once on the caseline side: every lane's sends. */
const IN_FLIGHT = OPTIONS.concurrency * DEFAULT_PIPELINE.lanes;

/** Posts what the `http` adapter posts for message i, `concurrency` at a time. */
async function bareDispatch(url: string, from: number, count: number, concurrency: number): Promise<void> {
  let next = from;
  const end = from + count;
  const lane = async () => {
    while (next < end) {
      const i = next++;
      const body = new URLSearchParams({
        to: phoneNumber(i),
        text: `Benchmark message ${i}`,
        ref: String(i),
      }).toString();
      const response = await sendHttp(
        {
          method: 'POST',
          url,
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Idempotency-Key': `bench-${i}` },
          body,
        },
        30_000,
      );
      if (response.status !== 200) throw new Error(`the gateway answered ${response.status}`);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}

export const outbound: Benchmark = {
  name: 'outbound',
  items: 'messages',
  fullSize: () => 100_000,
  async run(ctx) {
    const n = ctx.size;
    const gateway = await startGateway();
    try {
      const bench = await ctx.open();
      const store = ctx.instrument(bench.store);
      const deps: DispatchDeps = {
        store,
        clock: systemClock,
        adapters: createAdapters({ publicUrl: 'http://127.0.0.1' }),
        mailer: noMailer,
        workerId: 'bench',
      };
      await setupProject(deps, {}, gateway.url);
      const now = Date.now();
      const rows = queuedRows(n, now, () => now);
      await bench.db.kysely.transaction().execute(async (tx) => {
        await insertRows(tx, 'events', rows.events);
        await insertRows(tx, 'sub_events', rows.subEvents);
        await insertRows(tx, 'messages', rows.messages);
      });
      // Warm both paths (JIT, keep-alive connections) on requests that are not counted.
      await bareDispatch(gateway.url, n + 1, Math.min(1_000, n), IN_FLIGHT);
      await gateway.reset();

      ctx.progress('dispatching through the queue');
      let rounds = 0;
      const caselineSeconds = await ctx.measure('caseline', () =>
        seconds(async () => {
          while ((await dispatchPipelined(deps, OPTIONS)) > 0) rounds++;
        }),
      );
      const sent =
        (await bench.store.messages.countByStatus()).find((s) => s.direction === 'out' && s.status === 'sent')
          ?.count ?? 0;
      expectEqual('messages sent', sent, n);
      expectEqual('distinct messages at the gateway', (await gateway.stats()).distinct, n);

      await gateway.reset();
      ctx.progress('bare send loop');
      const baselineSeconds = await ctx.measure('baseline', () =>
        seconds(() => bareDispatch(gateway.url, 1, n, IN_FLIGHT)),
      );
      expectEqual('distinct requests at the gateway', (await gateway.stats()).distinct, n);
      return {
        unit: 'msg/s',
        higherIsBetter: true,
        caseline: n / caselineSeconds,
        baseline: n / baselineSeconds,
        details: { caseline_s: caselineSeconds, baseline_s: baselineSeconds, batches: rounds },
      };
    } finally {
      await gateway.close();
    }
  },
};
