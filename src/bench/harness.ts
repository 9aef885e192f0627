// The benchmark harness (issue #7): each benchmark measures caseline and, in the same run, a raw
// baseline doing the same work, on fresh databases; a benchmark that cannot run is skipped
// with its reason, one that fails is reported and the others still run.
import type { Store } from '../app/ports/store.ts';
import { CallTimes, instrumentStore } from './breakdown.ts';
import { databaseName, freshDatabase, type BenchDb, type DatabaseName } from './database.ts';
import { Meter, perItem, type Cost } from './meter.ts';

export const BENCH_NAMES = [
  'outbound',
  'fanout',
  'alert',
  'ingest',
  'inbound',
  'due_latency',
  'scaleout',
  'smpp',
] as const;
export type BenchName = (typeof BENCH_NAMES)[number];

/** What one benchmark measured. */
export interface Measurement {
  unit: string;
  /** A rate (more is better) or a time (less is better): decides which way the ratio goes. */
  higherIsBetter: boolean;
  caseline: number;
  baseline: number;
  /** Further figures: phase times, percentiles, the baseline's own percentiles. */
  details?: Record<string, number | string>;
  /** The line's name when a benchmark reports several lines (scaleout_1, scaleout_2, ...). */
  name?: string;
  /** Items measured, when the time budget stopped the caseline side before ctx.size. */
  done?: number;
  /** A ratio that is not a cost ratio (scale-out: the speed-up over one worker). */
  ratio?: number;
  /** The caseline side's cost when it ran in other processes (scale-out's workers). */
  cost?: Cost;
}

export interface BenchContext {
  database: DatabaseName;
  /** Items of work: messages, recipients, cases, requests or due events. */
  size: number;
  /** A fresh, migrated database, closed by the harness after the benchmark. */
  open(): Promise<BenchDb>;
  /** The store the caseline side uses: timed by method when --breakdown is on. */
  instrument(store: Store): Store;
  /**
   * Runs one stretch of a side's work and adds its cost (CPU of this process and of the
   * PostgreSQL backends, statements, peak RSS) to that side's: the result's per-item figures.
   */
  measure<T>(side: 'caseline' | 'baseline', work: () => Promise<T>): Promise<T>;
  /** Spread of the due instants of due_latency, in ms. */
  dueSpreadMs: number;
  /**
   * With --quick, the seconds a long caseline side may run before it stops and reports the
   * rate over the work it finished (null: run to the end).
   */
  budgetSeconds: number | null;
  /** Worker process counts of scaleout, the first the base of the speed-up. */
  workerCounts: readonly number[];
  progress(line: string): void;
}

export interface Benchmark {
  name: BenchName;
  /** Items at full size on this database (--quick runs a tenth). */
  fullSize(database: DatabaseName): number;
  /** What one item is, for the table: "messages", "cases", ... */
  items: string;
  /** One line, or several named ones. */
  run(ctx: BenchContext): Promise<Measurement | Measurement[]>;
}

/** Thrown by a benchmark that cannot run here (a tool missing); its message is the reason. */
export class Skip extends Error {}

export interface BenchResult {
  /** The benchmark's name, or the name of one of its lines (scaleout_2). */
  name: string;
  database: DatabaseName;
  unit: string;
  /** Items measured: less than planned when the --quick time budget stopped the run. */
  size: number;
  /** Items the run was to measure, when the time budget stopped it first. */
  planned?: number;
  caseline: number | null;
  baseline: number | null;
  /**
   * How many times the baseline's cost caseline pays: time ÷ time, or rate⁻¹ ÷ rate⁻¹; for
   * scaleout_K the speed-up of K workers over one.
   */
  ratio: number | null;
  seconds: number;
  /** CPU ms of caseline's processes per item (this process, or the worker processes). */
  cpu_ms_per_item?: number;
  /** SQL statements caseline ran per item (null where they ran in other processes). */
  statements_per_item?: number | null;
  /** The largest resident memory of caseline's processes while measured, MiB. */
  peak_rss_mb?: number;
  details?: Record<string, number | string>;
  skipped?: string;
  failed?: string;
  /** With --breakdown: the store calls of the caseline side that took longest. */
  breakdown?: { name: string; count: number; ms: number }[];
}

export interface RunOptions {
  /** postgres://... or null for temporary SQLite files. */
  database: string | null;
  quick: boolean;
  /** Every benchmark at exactly this size (tests); overrides quick. */
  size?: number;
  only?: readonly BenchName[];
  breakdown?: boolean;
  dueSpreadMs?: number;
  /** Seconds a long caseline side may run (see BenchContext.budgetSeconds); default with quick: 10. */
  budgetSeconds?: number | null;
  /** Worker process counts of scaleout; default 1, 2, 4. */
  workerCounts?: readonly number[];
  progress?: (line: string) => void;
}

/** With --quick, a benchmark that honours the budget stops its caseline side after this long. */
export const QUICK_BUDGET_SECONDS = 10;

export function ratioOf(measurement: Measurement): number {
  if (measurement.ratio !== undefined) return measurement.ratio;
  const { caseline, baseline } = measurement;
  return measurement.higherIsBetter ? baseline / caseline : caseline / baseline;
}

export async function runBenchmarks(
  benchmarks: readonly Benchmark[],
  options: RunOptions,
): Promise<BenchResult[]> {
  const database = databaseName(options.database);
  const progress = options.progress ?? (() => undefined);
  const results: BenchResult[] = [];
  for (const benchmark of benchmarks) {
    if (options.only && !options.only.includes(benchmark.name)) continue;
    const size =
      options.size ?? Math.max(1, Math.round(benchmark.fullSize(database) / (options.quick ? 10 : 1)));
    const opened: BenchDb[] = [];
    const times = options.breakdown ? new CallTimes() : null;
    const meters = { caseline: new Meter(), baseline: new Meter() };
    const ctx: BenchContext = {
      database,
      size,
      dueSpreadMs: options.dueSpreadMs ?? 5_000,
      budgetSeconds: options.budgetSeconds ?? (options.quick ? QUICK_BUDGET_SECONDS : null),
      workerCounts: options.workerCounts ?? [1, 2, 4],
      progress: (line) => progress(`  ${benchmark.name}: ${line}`),
      async open() {
        const db = await freshDatabase(options.database);
        opened.push(db);
        return db;
      },
      instrument: (store) => (times ? instrumentStore(store, times) : store),
      measure: (side, work) => meters[side].measure([...opened], work),
    };
    progress(`${benchmark.name}: ${size.toLocaleString('en-US')} ${benchmark.items} on ${database}`);
    const base = { name: benchmark.name, database, size, caseline: null, baseline: null, ratio: null };
    const started = performance.now();
    try {
      const measured = await benchmark.run(ctx);
      const seconds = (performance.now() - started) / 1000;
      for (const m of Array.isArray(measured) ? measured : [measured])
        results.push({
          ...base,
          name: m.name ?? benchmark.name,
          unit: m.unit,
          ...(m.done !== undefined && m.done < size ? { size: m.done, planned: size } : {}),
          caseline: m.caseline,
          baseline: m.baseline,
          ratio: ratioOf(m),
          seconds,
          ...costFields(m, meters, m.done ?? size),
        });
    } catch (error) {
      const seconds = (performance.now() - started) / 1000;
      const reason = error instanceof Error ? error.message : String(error);
      results.push({
        ...base,
        unit: '',
        seconds,
        ...(error instanceof Skip ? { skipped: reason } : { failed: reason }),
      });
      if (!(error instanceof Skip))
        progress(`  ${benchmark.name}: failed: ${error instanceof Error ? (error.stack ?? reason) : reason}`);
    } finally {
      for (const db of opened) await db.close();
    }
    const last = results.at(-1);
    if (last && times) last.breakdown = times.top(8).map((t) => ({ ...t, ms: Math.round(t.ms) }));
  }
  return results;
}

/** The per-item cost figures of a line: its own cost, or what the meters added up. */
function costFields(
  m: Measurement,
  meters: { caseline: Meter; baseline: Meter },
  items: number,
): Partial<BenchResult> & { details?: Record<string, number | string> } {
  const cost = m.cost ?? meters.caseline.total;
  if (!cost) return m.details ? { details: m.details } : {};
  const own = perItem(cost, items);
  const base = meters.baseline.total ? perItem(meters.baseline.total, items) : null;
  const extra: Record<string, number> = {};
  if (own.pg_cpu_ms_per_item !== null) extra.pg_cpu_ms_per_item = own.pg_cpu_ms_per_item;
  if (base && !m.cost) {
    extra.baseline_cpu_ms_per_item = base.cpu_ms_per_item;
    extra.baseline_statements_per_item = base.statements_per_item;
    if (base.pg_cpu_ms_per_item !== null) extra.baseline_pg_cpu_ms_per_item = base.pg_cpu_ms_per_item;
  }
  return {
    cpu_ms_per_item: own.cpu_ms_per_item,
    statements_per_item: m.cost && cost.statements === 0 ? null : own.statements_per_item,
    peak_rss_mb: own.peak_rss_mb,
    details: { ...extra, ...m.details },
  };
}

/**
 * Runs `step` until it reports nothing left, or until `budgetSeconds` (if not null) have gone by.
 * Returns the seconds taken and whether it finished.
 */
export async function untilDone(
  step: () => Promise<boolean>,
  budgetSeconds: number | null,
): Promise<{ seconds: number; finished: boolean }> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  for (;;) {
    if (!(await step())) return { seconds: elapsed(), finished: true };
    if (budgetSeconds !== null && elapsed() >= budgetSeconds) return { seconds: elapsed(), finished: false };
  }
}

/** Seconds an async piece of work took. */
export async function seconds(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return (performance.now() - started) / 1000;
}

/** The q-quantile (0..1) of values, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
}

/** Fails the benchmark when the work was not all done: a fast wrong answer is no figure. */
export function expectEqual(what: string, actual: number, expected: number): void {
  if (actual !== expected) throw new Error(`${what}: expected ${expected}, found ${actual}`);
}
