// due_latency: N messages due at instants spread over the next few seconds, with the worker
// loop of `caseline serve` running (startWorkerLoop, the default worker settings) and the
// `http` gateway in another process: how long after its due instant each message reaches the
// gateway, p50/p99 — against a timer-only loop that sleeps until each next due instant the
// same way and notes how late it woke.
import { systemClock } from '../clock.ts';
import { readConfig } from '../config.ts';
import { createAdapters } from '../gateways/registry.ts';
import type { DispatchDeps } from '../queue/dispatcher.ts';
import { startWorkerLoop } from '../queue/worker.ts';
import { insertRows } from './database.ts';
import { noMailer, queuedRows, setupProject } from './fixtures.ts';
import { startGateway } from './gateway.ts';
import { expectEqual, quantile, type Benchmark } from './harness.ts';

/** The first due instant is this far ahead, so the loop is idle and waiting when it comes. */
const LEAD_MS = 500;
const MAX_IDLE_MS = 1_000;
const wallNow = () => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The baseline: wake at each next due instant (at most a second of sleep), note the lateness. */
async function timerLoop(dues: readonly number[]): Promise<number[]> {
  const sorted = [...dues].sort((a, b) => a - b);
  const lateness: number[] = [];
  let next = 0;
  while (next < sorted.length) {
    const now = wallNow();
    while (next < sorted.length && (sorted[next] ?? Infinity) <= now)
      lateness.push(now - (sorted[next++] ?? now));
    if (next < sorted.length)
      await sleep(Math.min(MAX_IDLE_MS, Math.max(0, (sorted[next] ?? now) - wallNow())));
  }
  return lateness;
}

export const dueLatency: Benchmark = {
  name: 'due_latency',
  items: 'due messages',
  fullSize: () => 5_000,
  async run(ctx) {
    const n = ctx.size;
    const gateway = await startGateway();
    try {
      const bench = await ctx.open();
      const deps: DispatchDeps = {
        store: ctx.instrument(bench.store),
        clock: systemClock,
        adapters: createAdapters({ publicUrl: 'http://127.0.0.1' }),
        mailer: noMailer,
        workerId: 'bench',
      };
      await setupProject(deps, {}, gateway.url);
      const start = Date.now() + LEAD_MS;
      const dues = Array.from({ length: n }, () => start + Math.floor(Math.random() * ctx.dueSpreadMs));
      const rows = queuedRows(n, Date.now(), (i) => dues[i - 1] ?? start);
      await bench.db.kysely.transaction().execute(async (tx) => {
        await insertRows(tx, 'events', rows.events);
        await insertRows(tx, 'sub_events', rows.subEvents);
        await insertRows(tx, 'messages', rows.messages);
      });

      ctx.progress(`worker loop over ${ctx.dueSpreadMs / 1000} s of due messages`);
      // The worker's cost, polling included, from its start until the last message is sent.
      await ctx.measure('caseline', async () => {
        const worker = startWorkerLoop(
          deps,
          { error: (obj, msg) => ctx.progress(`worker: ${msg} ${String((obj as { err?: unknown }).err)}`) },
          readConfig({}).worker,
        );
        try {
          const deadline = start + ctx.dueSpreadMs + 60_000;
          while ((await gateway.stats()).distinct < n) {
            if (Date.now() > deadline)
              throw new Error(
                'the worker did not send every due message within a minute of the last due instant',
              );
            await sleep(100);
          }
        } finally {
          await worker.stop();
        }
      });
      const arrivals = (await gateway.stats(true)).arrivals ?? [];
      expectEqual('messages at the gateway', arrivals.length, n);
      const latency = arrivals.map(([ref, at]) => at - (dues[Number(ref) - 1] ?? NaN));
      if (latency.some((ms) => !Number.isFinite(ms)))
        throw new Error('a message reached the gateway that was not queued');

      ctx.progress('timer-only loop');
      const baselineStart = Date.now() + LEAD_MS;
      const baseline = await ctx.measure('baseline', () =>
        timerLoop(dues.map((due) => due - start + baselineStart)),
      );
      return {
        unit: 'ms p99',
        higherIsBetter: false,
        caseline: quantile(latency, 0.99),
        baseline: quantile(baseline, 0.99),
        details: {
          p50_ms: quantile(latency, 0.5),
          max_ms: Math.max(...latency),
          baseline_p50_ms: quantile(baseline, 0.5),
          spread_s: ctx.dueSpreadMs / 1000,
        },
      };
    } finally {
      await gateway.close();
    }
  },
};
