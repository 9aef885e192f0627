// `caseline bench [--database url] [--quick] [--json file]`: every benchmark, a table on the
// terminal and optionally the JSON document. Not part of `npm test` (see BENCHMARKS.md).
import { writeFileSync } from 'node:fs';
import { alert } from './alert.ts';
import { dueLatency } from './due-latency.ts';
import { fanout } from './fanout.ts';
import { BENCH_NAMES, runBenchmarks, type Benchmark, type BenchName, type RunOptions } from './harness.ts';
import { inbound } from './inbound.ts';
import { ingest } from './ingest.ts';
import { machineFacts } from './machine.ts';
import { outbound } from './outbound.ts';
import { formatTable, type BenchReport } from './report.ts';

export const BENCHMARKS: readonly Benchmark[] = [outbound, fanout, alert, ingest, inbound, dueLatency];

class UsageError extends Error {}

export interface BenchCommandOptions {
  database?: string;
  quick?: boolean;
  json?: string;
  only?: string;
  breakdown?: boolean;
}

/** Runs the benchmarks and builds the report; `extra` lets tests shrink the sizes. */
export async function bench(
  options: BenchCommandOptions,
  extra: Partial<RunOptions> = {},
): Promise<BenchReport> {
  const only = options.only
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const name of only ?? []) {
    if (!(BENCH_NAMES as readonly string[]).includes(name))
      throw new UsageError(`--only: unknown benchmark '${name}'; use ${BENCH_NAMES.join(', ')}`);
  }
  const database = options.database ?? null;
  if (database !== null && !/^postgres(ql)?:\/\//.test(database))
    throw new UsageError(
      `--database must be a postgres:// URL (default: temporary SQLite files), not '${database}'`,
    );
  const machine = await machineFacts(database);
  const results = await runBenchmarks(BENCHMARKS, {
    database,
    quick: options.quick ?? false,
    breakdown: options.breakdown ?? false,
    ...(only ? { only: only as BenchName[] } : {}),
    ...extra,
  });
  const flags = [
    options.database ? `--database ${options.database}` : '',
    options.quick ? '--quick' : '',
    options.only ? `--only ${options.only}` : '',
    options.breakdown ? '--breakdown' : '',
  ];
  const command = [
    'caseline bench',
    ...flags.filter((f) => f !== ''),
    ...(extra.size !== undefined ? [`(every size ${extra.size})`] : []),
  ].join(' ');
  const report: BenchReport = { machine, command, date: new Date().toISOString(), results };
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}

/** The CLI's action: prints the table; exit code 1 when a benchmark failed, 2 on a usage error. */
export async function benchCommand(options: BenchCommandOptions): Promise<number> {
  let report: BenchReport;
  try {
    report = await bench(options, { progress: (line) => console.error(line) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`caseline bench: ${error.message}`);
    return 2;
  }
  const m = report.machine;
  console.log(`\n${m.cpus} × ${m.cpu_model}, ${m.memory_gib} GiB, Node ${m.node}, ${m.os}\n${m.database}\n`);
  console.log(formatTable(report.results));
  if (options.json !== undefined) console.log(`\nwrote ${options.json}`);
  return report.results.some((r) => r.failed !== undefined) ? 1 : 0;
}
