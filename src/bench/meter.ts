// The cost of a side of a benchmark, independent of how fast this machine is (issue #19): CPU
// time of the bench process (where the caseline side runs in-process), CPU time of the
// PostgreSQL backends serving its connections, SQL statements run through Kysely and the peak
// resident memory — added up over every measured stretch of work.
import { sql } from 'kysely';
import { cpuBetween, sampleCpu } from './cpu.ts';
import type { BenchDb } from './database.ts';

export interface Cost {
  cpuMs: number;
  /** CPU of the PostgreSQL backends of the benchmark's connections; null on SQLite or without /proc. */
  pgCpuMs: number | null;
  statements: number;
  peakRssMb: number;
}

/** How often the resident memory is sampled while work runs. */
const RSS_SAMPLE_MS = 20;

/** Pids of the server backends of the databases' connections (none on SQLite). */
async function backends(dbs: readonly BenchDb[]): Promise<number[]> {
  const pids: number[] = [];
  for (const db of dbs) {
    if (db.name !== 'postgres') continue;
    const rows = await sql<{
      pid: number;
    }>`select pid from pg_stat_activity where application_name = ${db.appName}`.execute(db.db.kysely);
    pids.push(...rows.rows.map((r) => Number(r.pid)));
  }
  return pids;
}

const statementsOf = (dbs: readonly BenchDb[]) => dbs.reduce((sum, db) => sum + db.statements.count, 0);

export class Meter {
  private cost: Cost | null = null;

  /** The cost so far, or null when nothing was measured. */
  get total(): Cost | null {
    return this.cost;
  }

  /** Runs `work` and adds what it cost on `dbs` (the databases open at the time). */
  async measure<T>(dbs: readonly BenchDb[], work: () => Promise<T>): Promise<T> {
    const pgBefore = sampleCpu(await backends(dbs));
    const statementsBefore = statementsOf(dbs);
    let peak = process.memoryUsage.rss();
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage.rss());
    }, RSS_SAMPLE_MS);
    sampler.unref();
    const cpuBefore = process.cpuUsage();
    let result: T;
    try {
      result = await work();
    } finally {
      clearInterval(sampler);
    }
    const cpu = process.cpuUsage(cpuBefore);
    const statements = statementsOf(dbs) - statementsBefore;
    peak = Math.max(peak, process.memoryUsage.rss());
    const pids = [...new Set([...pgBefore.keys(), ...(await backends(dbs))])];
    const pgCpuMs =
      pids.length > 0 && dbs.some((db) => db.name === 'postgres')
        ? cpuBetween(pgBefore, sampleCpu(pids), pids) * 1000
        : null;
    this.add({ cpuMs: (cpu.user + cpu.system) / 1000, pgCpuMs, statements, peakRssMb: peak / 2 ** 20 });
    return result;
  }

  /** Adds a cost measured elsewhere (worker processes). */
  add(cost: Cost): void {
    const was = this.cost;
    this.cost = was
      ? {
          cpuMs: was.cpuMs + cost.cpuMs,
          pgCpuMs:
            was.pgCpuMs === null && cost.pgCpuMs === null ? null : (was.pgCpuMs ?? 0) + (cost.pgCpuMs ?? 0),
          statements: was.statements + cost.statements,
          peakRssMb: Math.max(was.peakRssMb, cost.peakRssMb),
        }
      : cost;
  }
}

/** The per-item figures of a result, rounded for reading. */
export function perItem(cost: Cost, items: number) {
  const round = (value: number) => Math.round(value * 1000) / 1000;
  return {
    cpu_ms_per_item: round(cost.cpuMs / items),
    statements_per_item: round(cost.statements / items),
    peak_rss_mb: Math.round(cost.peakRssMb),
    pg_cpu_ms_per_item: cost.pgCpuMs === null ? null : round(cost.pgCpuMs / items),
  };
}
