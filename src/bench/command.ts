// `caseline bench [--database url] [--quick] [--json file] [--chart file.svg]`: every benchmark,
// a table on the terminal and optionally the JSON document and the scale-out chart. Not part of
// `npm test` (see BENCHMARKS.md).
import { readFileSync, writeFileSync } from 'node:fs';
import { alert } from './alert.ts';
import { chartOfReports } from './chart.ts';
import { dueLatency } from './due-latency.ts';
import { fanout } from './fanout.ts';
import { BENCH_NAMES, runBenchmarks, type Benchmark, type BenchName, type RunOptions } from './harness.ts';
import { inbound } from './inbound.ts';
import { ingest } from './ingest.ts';
import { loadNow, machineFacts } from './machine.ts';
import { outbound } from './outbound.ts';
import { formatTable, type BenchReport } from './report.ts';
import { scaleout } from './scaleout.ts';
import { smppBench } from './smpp.ts';

export const BENCHMARKS: readonly Benchmark[] = [
  outbound,
  fanout,
  alert,
  ingest,
  inbound,
  dueLatency,
  scaleout,
  smppBench,
];

class UsageError extends Error {}

export interface BenchCommandOptions {
  database?: string;
  quick?: boolean;
  json?: string;
  only?: string;
  breakdown?: boolean;
  /** Where to write the scale-out chart (SVG); default: beside --json, FILE.svg. */
  chart?: string;
  /** Comma-separated JSON reports to chart instead of running benchmarks (with --chart). */
  from?: string;
}

/** The chart's file: --chart, or the --json file with .svg in place of .json. */
function chartFile(options: BenchCommandOptions): string | undefined {
  if (options.chart !== undefined) return options.chart;
  if (options.json !== undefined) return options.json.replace(/(\.json)?$/, '.svg');
  return undefined;
}

/** Writes the scale-out chart of `reports` to `file`; false when they hold no scale-out line. */
export function writeChart(file: string, reports: readonly BenchReport[]): boolean {
  const svg = chartOfReports(reports);
  if (svg === null) return false;
  writeFileSync(file, svg);
  return true;
}

/** Runs the benchmarks, builds the report and writes its files; `extra` lets tests shrink the sizes. */
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
  const report: BenchReport = {
    machine: { ...machine, load: { start: machine.load?.start ?? 0, end: loadNow() } },
    command,
    date: new Date().toISOString(),
    results,
  };
  if (options.json !== undefined) writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
  const chart = chartFile(options);
  if (chart !== undefined) writeChart(chart, [report]);
  return report;
}

/** `--chart FILE --from a.json,b.json`: the chart of saved reports, nothing run. */
function chartFrom(file: string, from: string): number {
  const reports = from
    .split(',')
    .map((path) => path.trim())
    .filter((path) => path !== '')
    .map((path) => JSON.parse(readFileSync(path, 'utf8')) as BenchReport);
  if (!writeChart(file, reports)) {
    console.error(`caseline bench: no scaleout_* results in ${from}`);
    return 1;
  }
  console.log(`wrote ${file}`);
  return 0;
}

/** The CLI's action: prints the table; exit code 1 when a benchmark failed, 2 on a usage error. */
export async function benchCommand(options: BenchCommandOptions): Promise<number> {
  if (options.from !== undefined) {
    if (options.chart === undefined) {
      console.error('caseline bench: --from needs --chart FILE.svg');
      return 2;
    }
    return chartFrom(options.chart, options.from);
  }
  let report: BenchReport;
  try {
    report = await bench(options, { progress: (line) => console.error(line) });
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`caseline bench: ${error.message}`);
    return 2;
  }
  const m = report.machine;
  const load = m.load ? `, load average ${m.load.start} at the start and ${m.load.end} at the end` : '';
  console.log(
    `\n${m.cpus} × ${m.cpu_model}, ${m.memory_gib} GiB, Node ${m.node}, ${m.os}${load}\n${m.database}\n`,
  );
  console.log(formatTable(report.results));
  if (options.json !== undefined) console.log(`\nwrote ${options.json}`);
  const chart = chartFile(options);
  if (chart !== undefined && report.results.some((r) => r.name.startsWith('scaleout_')))
    console.log(`wrote ${chart}`);
  return report.results.some((r) => r.failed !== undefined) ? 1 : 0;
}
