// The benchmark harness (issue #7): each benchmark measures caseline and, in the same run, a raw
// baseline doing the same work, on fresh databases; a benchmark that cannot run is skipped
// with its reason, one that fails is reported and the others still run.
import type { Store } from '../app/ports.ts';
import { CallTimes, instrumentStore } from './breakdown.ts';
import { databaseName, freshDatabase, type BenchDb, type DatabaseName } from './database.ts';

export const BENCH_NAMES = ['outbound', 'fanout', 'alert', 'ingest', 'inbound', 'due_latency'] as const;
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
}

export interface BenchContext {
  database: DatabaseName;
  /** Items of work: messages, recipients, cases, requests or due events. */
  size: number;
  /** A fresh, migrated database, closed by the harness after the benchmark. */
  open(): Promise<BenchDb>;
  /** The store the caseline side uses: timed by method when --breakdown is on. */
  instrument(store: Store): Store;
  /** Spread of the due instants of due_latency, in ms. */
  dueSpreadMs: number;
  progress(line: string): void;
}

export interface Benchmark {
  name: BenchName;
  /** Items at full size on this database (--quick runs a tenth). */
  fullSize(database: DatabaseName): number;
  /** What one item is, for the table: "messages", "cases", ... */
  items: string;
  run(ctx: BenchContext): Promise<Measurement>;
}

/** Thrown by a benchmark that cannot run here (a tool missing); its message is the reason. */
export class Skip extends Error {}

export interface BenchResult {
  name: BenchName;
  database: DatabaseName;
  unit: string;
  size: number;
  caseline: number | null;
  baseline: number | null;
  /** How many times the baseline's cost caseline pays: time ÷ time, or rate⁻¹ ÷ rate⁻¹. */
  ratio: number | null;
  seconds: number;
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
  progress?: (line: string) => void;
}

export function ratioOf(measurement: Measurement): number {
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
    const ctx: BenchContext = {
      database,
      size,
      dueSpreadMs: options.dueSpreadMs ?? 5_000,
      progress: (line) => progress(`  ${benchmark.name}: ${line}`),
      async open() {
        const db = await freshDatabase(options.database);
        opened.push(db);
        return db;
      },
      instrument: (store) => (times ? instrumentStore(store, times) : store),
    };
    progress(`${benchmark.name}: ${size.toLocaleString('en-US')} ${benchmark.items} on ${database}`);
    const base = { name: benchmark.name, database, size, caseline: null, baseline: null, ratio: null };
    const started = performance.now();
    try {
      const m = await benchmark.run(ctx);
      const seconds = (performance.now() - started) / 1000;
      results.push({
        ...base,
        unit: m.unit,
        caseline: m.caseline,
        baseline: m.baseline,
        ratio: ratioOf(m),
        seconds,
        ...(m.details ? { details: m.details } : {}),
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
