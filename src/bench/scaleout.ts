// scaleout: N queued SMS sent by K = 1, 2 and 4 `caseline worker` processes sharing one
// database, through the `http` adapter to the bench gateway (its own process, counting each
// message id): messages/s from the first hand-off to the last message final, the speed-up over
// one worker, and duplicate sends (must be none: nothing crashes here). The runs share one
// database and the workers of a run stay for the next (1, then one more, then two more), which
// spares spawning 7 processes; each run queues its own N messages. Where the CPU went
// (workers, gateway, PostgreSQL backends, the rest) is measured from /proc, since on a small
// machine they all share the same cores.
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { systemClock } from '../clock.ts';
import { readConfig } from '../config.ts';
import { cpuBetween, machineBusySeconds, peakRssMb, sampleCpu } from './cpu.ts';
import type { BenchDb } from './database.ts';
import { insertRows } from './database.ts';
import { PROJECT, queuedRows, setupProject } from './fixtures.ts';
import { startGateway, type BenchGateway } from './gateway.ts';
import { expectEqual, type BenchContext, type Benchmark, type Measurement } from './harness.ts';
import type { Cost } from './meter.ts';
import { workerProcesses, type WorkerProcesses, type WorkerSettings } from './workers.ts';

/** What `caseline worker` runs with when nothing is set (CASELINE_BATCH_SIZE, ...). */
const SETTINGS: WorkerSettings = readConfig({}).worker;
/** An idle worker looks for work at least this often (queue/worker.ts). */
const WORKER_IDLE_MS = 1_000;
const FAR_FUTURE_MS = 24 * 3600_000;
const POLL_MS = 25;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface RunResult {
  workers: number;
  rate: number;
  seconds: number;
  /** From the due instant to the first message at the gateway. */
  firstHandoffMs: number;
  /** Spawning the worker processes until each said it started. */
  startSeconds: number;
  duplicates: number;
  workerErrors: number;
  /** Average cores busy over the window, by who used them. */
  cpu: Record<string, number> | null;
  /** The workers' (and their PostgreSQL backends') CPU over the run, and their peak RSS. */
  cost: Cost | undefined;
}

/** Pids of the PostgreSQL backends serving connections named `appName` (none on SQLite). */
async function backendPids(bench: BenchDb, appName: string): Promise<number[]> {
  if (bench.name !== 'postgres') return [];
  const rows = await sql<{
    pid: number;
  }>`select pid from pg_stat_activity where application_name = ${appName}`.execute(bench.db.kysely);
  return rows.rows.map((r) => Number(r.pid));
}

/**
 * Makes every queued message (this run's: the earlier runs' are sent) due at one instant the workers all wake for: at least an idle
 * period after the update commits, since each idle worker looks again within that time.
 */
async function makeDue(bench: BenchDb, rows: number): Promise<number> {
  // One update, with room for it to finish first: retrying it (as this once did when it took
  // longer than its margin) would fight the workers for the rows they have begun to send.
  const margin = 500 + rows / 20;
  const start = Date.now() + WORKER_IDLE_MS + margin;
  await bench.db.kysely
    .updateTable('messages')
    .set({ due_at: start })
    .where('direction', '=', 'out')
    .where('status', '=', 'queued')
    .execute();
  return start;
}

/** The rows of queuedRows, as run number `run` (0, 1, ...) queues them: ids after the earlier runs'. */
function runRows(n: number, run: number, now: number) {
  const rows = queuedRows(n, now, () => now + FAR_FUTURE_MS);
  const offset = run * n;
  return {
    events: rows.events.map((e) => ({ ...e, id: run + 1 })),
    subEvents: rows.subEvents.map((e) => ({ ...e, id: Number(e.id) + offset, event_id: run + 1 })),
    messages: rows.messages.map((m) => ({
      ...m,
      id: Number(m.id) + offset,
      event_id: run + 1,
      sub_event_id: Number(m.sub_event_id) + offset,
      idempotency_key: `bench-${Number(m.id) + offset}`,
    })),
  };
}

interface Shared {
  bench: BenchDb;
  gateway: BenchGateway;
  processes: WorkerProcesses;
  appName: string;
}

async function oneRun(ctx: BenchContext, shared: Shared, run: number, workers: number): Promise<RunResult> {
  const { bench, gateway, processes, appName } = shared;
  const n = ctx.size;
  const rows = runRows(n, run, Date.now());
  await bench.db.kysely.transaction().execute(async (tx) => {
    await insertRows(tx, 'events', rows.events);
    await insertRows(tx, 'sub_events', rows.subEvents);
    await insertRows(tx, 'messages', rows.messages);
  });
  await gateway.reset();
  ctx.progress(`${workers} worker process${workers === 1 ? '' : 'es'}`);
  const spawned = performance.now();
  await processes.grow(workers);
  const startSeconds = (performance.now() - spawned) / 1000;
  const errorsBefore = processes.errors.length;

  const start = await makeDue(bench, n);
  await sleep(Math.max(0, start - Date.now() - POLL_MS));
  const pids = async () => [
    ...processes.pids,
    gateway.pid,
    process.pid,
    ...(await backendPids(bench, appName)),
  ];
  const firstPids = await pids();
  const before = { at: performance.now(), cpu: sampleCpu(firstPids), machine: machineBusySeconds() };

  const deadline = start + 60_000 + n * 20;
  const waitFor = async (what: string, done: () => Promise<boolean>) => {
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`${workers} workers: ${what} not done in time`);
      await sleep(POLL_MS);
    }
  };
  await waitFor('gateway arrivals', async () => (await gateway.stats()).distinct >= n);
  await waitFor('final statuses', async () => (await bench.store.messages.countWaiting(PROJECT)) === 0);
  const end = Date.now();
  const lastPids = await pids();
  const after = { at: performance.now(), cpu: sampleCpu(lastPids), machine: machineBusySeconds() };

  const stats = await gateway.stats(true);
  const first = Math.min(...(stats.arrivals ?? []).map(([, at]) => at));
  const sent =
    (await bench.store.messages.countByStatus()).find((s) => s.direction === 'out' && s.status === 'sent')
      ?.count ?? 0;
  expectEqual(`${workers} workers: messages sent`, sent, n * (run + 1));
  expectEqual(`${workers} workers: distinct messages at the gateway`, stats.distinct, n);
  const duplicates = stats.total - stats.distinct;
  if (duplicates > 0)
    throw new Error(`${workers} workers: ${duplicates} duplicate sends of ${n} messages, with no crash`);

  const window = (after.at - before.at) / 1000;
  const all = [...new Set([...firstPids, ...lastPids])];
  const group = (match: (pid: number) => boolean) =>
    cpuBetween(
      before.cpu,
      after.cpu,
      all.filter((pid) => match(pid)),
    ) / window;
  let cpu: Record<string, number> | null = null;
  if (before.machine !== null && after.machine !== null && after.cpu.size > 0) {
    const used = {
      workers: group((pid) => processes.pids.includes(pid)),
      gateway: group((pid) => pid === gateway.pid),
      bench: group((pid) => pid === process.pid),
      // On SQLite the database's work is the workers' own.
      ...(bench.name === 'postgres'
        ? {
            postgres: group(
              (pid) => !processes.pids.includes(pid) && pid !== gateway.pid && pid !== process.pid,
            ),
          }
        : {}),
    };
    const machine = (after.machine - before.machine) / window;
    const ours = Object.values(used).reduce((a, b) => a + b, 0);
    cpu = { ...used, other: Math.max(0, machine - ours), machine };
  }
  const rss = processes.pids.map(peakRssMb).filter((mb): mb is number => mb !== null);
  const cost =
    cpu === null
      ? undefined
      : {
          cpuMs: (cpu.workers ?? 0) * window * 1000,
          pgCpuMs: cpu.postgres === undefined ? null : cpu.postgres * window * 1000,
          // The workers' statements run in their own processes, where nothing counts them.
          statements: 0,
          peakRssMb: Math.max(0, ...rss),
        };
  return {
    workers,
    cost,
    rate: n / ((end - first) / 1000),
    seconds: (end - first) / 1000,
    firstHandoffMs: first - start,
    startSeconds,
    duplicates,
    workerErrors: processes.errors.length - errorsBefore,
    cpu,
  };
}

export const scaleout: Benchmark = {
  name: 'scaleout',
  items: 'messages per run',
  fullSize: () => 50_000,
  async run(ctx) {
    const gateway = await startGateway();
    const runs: RunResult[] = [];
    let processes: WorkerProcesses | null = null;
    try {
      const bench = await ctx.open();
      await setupProject({ store: bench.store, clock: systemClock }, {}, gateway.url);
      const appName = `caseline-bench-${randomBytes(4).toString('hex')}`;
      processes = workerProcesses(bench.url, SETTINGS, appName);
      const shared = { bench, gateway, processes, appName };
      for (const [run, workers] of ctx.workerCounts.entries())
        runs.push(await oneRun(ctx, shared, run, workers));
    } finally {
      await processes?.stop();
      if (processes && processes.errors.length > 0)
        ctx.progress(
          `the workers logged ${processes.errors.length} errors, the first: ${processes.errors[0]}`,
        );
      await gateway.close();
    }
    const one = runs[0]?.rate ?? NaN;
    return runs.map((run): Measurement => ({
      name: `scaleout_${run.workers}`,
      unit: 'msg/s',
      higherIsBetter: true,
      caseline: run.rate,
      baseline: one,
      ratio: run.rate / one,
      ...(run.cost ? { cost: run.cost } : {}),
      details: {
        workers: run.workers,
        speedup: run.rate / one,
        duplicates: run.duplicates,
        seconds: run.seconds,
        first_handoff_ms: run.firstHandoffMs,
        start_s: run.startSeconds,
        batch_size: SETTINGS.batchSize,
        concurrency: SETTINGS.concurrency,
        worker_errors: run.workerErrors,
        ...Object.fromEntries(Object.entries(run.cpu ?? {}).map(([who, cores]) => [`cpu_${who}`, cores])),
      },
    }));
  },
};
