// The terminal table and the JSON document of a run.
import type { BenchResult } from './harness.ts';
import type { MachineFacts } from './machine.ts';

export interface BenchReport {
  machine: MachineFacts;
  command: string;
  date: string;
  results: BenchResult[];
}

/** A figure with 3 significant digits, thousands separated. */
export function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : Math.abs(value) >= 1 ? 2 : 3;
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: 0 });
}

const NOTES: Record<string, (d: Record<string, number | string>) => string> = {
  inbound: (d) =>
    `${figure(Number(d.offered_rate))}/s offered; p50/p99 ${figure(Number(d.p50_ms))}/${figure(Number(d.p99_ms))} ms vs ${figure(Number(d.baseline_p50_ms))}/${figure(Number(d.baseline_p99_ms))} ms at ${figure(Number(d.latency_rate))}/s (half capacity)`,
  due_latency: (d) =>
    `p50 ${figure(Number(d.p50_ms))} ms vs ${figure(Number(d.baseline_p50_ms))} ms; max ${figure(Number(d.max_ms))} ms`,
  fanout: (d) => `broadcast ${figure(Number(d.put_s))} s + firing ${figure(Number(d.fire_s))} s`,
  alert: (d) => `${figure(Number(d.instances_per_s))} instances/s`,
  outbound: (d) => `${figure(Number(d.caseline_s))} s vs ${figure(Number(d.baseline_s))} s`,
  ingest: (d) => `${figure(Number(d.caseline_s))} s vs ${figure(Number(d.baseline_s))} s`,
  scaleout: (d) =>
    `${d.workers} worker${d.workers === 1 ? '' : 's'}: ×${Number(d.speedup).toFixed(2)} one worker, ${d.duplicates} duplicates${cpuNote(d)}`,
};

/** Where the cores went during a scale-out run, when /proc could tell. */
function cpuNote(d: Record<string, number | string>): string {
  if (d.cpu_machine === undefined) return '';
  const cores = (key: string) => Number(d[key]).toFixed(2);
  const db = d.cpu_postgres === undefined ? '' : `, PostgreSQL ${cores('cpu_postgres')}`;
  return `; cores busy ${cores('cpu_machine')}: workers ${cores('cpu_workers')}${db}, gateway ${cores('cpu_gateway')}, other ${cores('cpu_other')}`;
}

/** The note of a line: scaleout_2 takes scaleout's; a run cut by the time budget says so first. */
function noteOf(r: BenchResult): string {
  const note = r.details ? (NOTES[r.name.replace(/_\d+$/, '')]?.(r.details) ?? '') : '';
  if (r.planned === undefined) return note;
  return `time budget: ${r.size.toLocaleString('en-US')} of ${r.planned.toLocaleString('en-US')} done; ${note}`;
}

export function formatTable(results: readonly BenchResult[]): string {
  const header = [
    'benchmark',
    'database',
    'size',
    'unit',
    'caseline',
    'baseline',
    'ratio',
    'cpu ms/item',
    'stmt/item',
    'rss MB',
    'notes',
  ];
  const rows: string[][] = [];
  const lines: string[] = [];
  for (const r of results) {
    if (r.skipped !== undefined || r.failed !== undefined) {
      rows.push([
        r.name,
        r.database,
        r.size.toLocaleString('en-US'),
        '',
        '',
        '',
        '',
        '',
        '',
        '',
        r.skipped !== undefined ? `skipped: ${r.skipped}` : `failed: ${r.failed}`,
      ]);
      continue;
    }
    const note = noteOf(r);
    rows.push([
      r.name,
      r.database,
      r.size.toLocaleString('en-US'),
      r.unit,
      figure(r.caseline ?? NaN),
      figure(r.baseline ?? NaN),
      `${figure(r.ratio ?? NaN)}×`,
      r.cpu_ms_per_item === undefined ? '' : figure(r.cpu_ms_per_item),
      r.statements_per_item === undefined || r.statements_per_item === null
        ? ''
        : figure(r.statements_per_item),
      r.peak_rss_mb === undefined ? '' : String(r.peak_rss_mb),
      note,
    ]);
  }
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((row) => (i === header.length - 1 ? 0 : (row[i] ?? '').length))),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === cells.length - 1
          ? cell
          : i >= 2 && i <= 9
            ? cell.padStart(widths[i] ?? 0)
            : cell.padEnd(widths[i] ?? 0),
      )
      .join('  ')
      .trimEnd();
  lines.push(line(header), line(widths.map((w, i) => (i === header.length - 1 ? '-----' : '-'.repeat(w)))));
  for (const row of rows) lines.push(line(row));
  lines.push(
    '',
    "ratio: how many times the baseline's cost caseline pays (rates: baseline ÷ caseline; times: caseline ÷ baseline);",
    'scaleout_K: the speed-up of K worker processes over one (baseline: the one-worker rate).',
    "cpu ms/item, stmt/item, rss MB: caseline's CPU time and SQL statements per item, its peak resident memory.",
  );
  const broken = results.filter((r) => r.breakdown);
  for (const r of broken) {
    lines.push('', `${r.name} on ${r.database}: store calls of the caseline side, longest in all first`);
    for (const call of r.breakdown ?? [])
      lines.push(
        `  ${call.name.padEnd(34)} ${String(call.count).padStart(9)} calls ${String(call.ms).padStart(9)} ms`,
      );
  }
  return lines.join('\n');
}
