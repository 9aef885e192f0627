// The scale-out chart (`caseline bench --chart FILE.svg`): messages/s against worker processes,
// a bar per database and worker count, with the ideal linear line (K × one worker) beside
// them. Hand-made SVG from the results JSON: no dependency, readable in a browser or on GitHub.
import type { BenchReport } from './report.ts';

export interface ChartSeries {
  /** The legend's name for it: "PostgreSQL", "SQLite". */
  label: string;
  /** Messages/s by worker count, the first being the base of the ideal line. */
  points: { workers: number; rate: number }[];
}

export interface ChartText {
  title: string;
  /** Lines under the title: machine, date, command. */
  notes: string[];
}

const WIDTH = 760;
const HEIGHT = 480;
const COLOURS = ['#336791', '#c2571a', '#3b8a3e', '#7a4ca0'];
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"';

/** Text safe inside SVG elements and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const n2 = (value: number) => String(Math.round(value * 100) / 100);
const thousands = (value: number) => Math.round(value).toLocaleString('en-US');

/** A round axis maximum and step (1, 2 or 5 × 10^k) for values up to `max`, about 5 ticks. */
export function niceScale(max: number): { top: number; step: number } {
  if (!(max > 0)) return { top: 1, step: 0.2 };
  const rough = max / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = ([1, 2, 5, 10].find((m) => m * power >= rough) ?? 10) * power;
  return { top: Math.ceil(max / step) * step, step };
}

/** The scale-out lines of one or more reports, a series per database. */
export function scaleoutSeries(reports: readonly BenchReport[]): ChartSeries[] {
  const byDatabase = new Map<string, ChartSeries>();
  for (const report of reports) {
    for (const result of report.results) {
      const match = /^scaleout_(\d+)$/.exec(result.name);
      if (!match || result.caseline === null || !(result.caseline > 0)) continue;
      const label =
        result.database === 'postgres'
          ? 'PostgreSQL'
          : result.database === 'sqlite'
            ? 'SQLite'
            : result.database;
      const series = byDatabase.get(label) ?? { label, points: [] };
      series.points = [
        ...series.points.filter((p) => p.workers !== Number(match[1])),
        { workers: Number(match[1]), rate: result.caseline },
      ].sort((a, b) => a.workers - b.workers);
      byDatabase.set(label, series);
    }
  }
  return [...byDatabase.values()];
}

/** The SVG document: grouped bars of msg/s per worker count, and each series' ideal line. */
export function scaleoutChart(series: readonly ChartSeries[], text: ChartText): string {
  const PLOT = { left: 84, right: WIDTH - 24, top: 84 + text.notes.length * 16, bottom: HEIGHT - 64 };
  const counts = [...new Set(series.flatMap((s) => s.points.map((p) => p.workers)))].sort((a, b) => a - b);
  const ideal = (s: ChartSeries, workers: number) => {
    const base = s.points[0];
    return base ? (base.rate / base.workers) * workers : 0;
  };
  const max = Math.max(0, ...series.flatMap((s) => s.points.flatMap((p) => [p.rate, ideal(s, p.workers)])));
  const { top, step } = niceScale(max);
  const y = (value: number) => PLOT.bottom - (value / top) * (PLOT.bottom - PLOT.top);
  // The x axis is linear in workers (a slot per count up to the largest), so that the ideal
  // line is straight.
  const slot = (PLOT.right - PLOT.left) / Math.max(1, ...counts);
  const centreOf = (workers: number) => PLOT.left + slot * (workers - 0.5);
  const barWidth = Math.min(90, (slot * 0.8) / Math.max(1, series.length));
  const barX = (workers: number, index: number) =>
    centreOf(workers) - (barWidth * series.length) / 2 + barWidth * index;

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" ${FONT} font-size="13">`,
    `<title>${escapeXml(text.title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${WIDTH / 2}" y="28" text-anchor="middle" font-size="17" font-weight="600">${escapeXml(text.title)}</text>`,
    ...text.notes.map(
      (note, i) =>
        `<text x="${WIDTH / 2}" y="${48 + i * 16}" text-anchor="middle" font-size="11" fill="#555555">${escapeXml(note)}</text>`,
    ),
  ];
  // Grid and y axis.
  for (let value = 0; value <= top + step / 2; value += step) {
    const at = n2(y(value));
    out.push(
      `<line x1="${PLOT.left}" y1="${at}" x2="${PLOT.right}" y2="${at}" stroke="${value === 0 ? '#333333' : '#e3e3e3'}"/>`,
      `<text x="${PLOT.left - 8}" y="${n2(y(value) + 4)}" text-anchor="end" fill="#333333">${escapeXml(thousands(value))}</text>`,
    );
  }
  out.push(
    `<line x1="${PLOT.left}" y1="${PLOT.top}" x2="${PLOT.left}" y2="${PLOT.bottom}" stroke="#333333"/>`,
    `<text transform="translate(22 ${(PLOT.top + PLOT.bottom) / 2}) rotate(-90)" text-anchor="middle" fill="#333333">messages per second (higher is better)</text>`,
    `<text x="${(PLOT.left + PLOT.right) / 2}" y="${HEIGHT - 18}" text-anchor="middle" fill="#333333">caseline worker processes</text>`,
  );
  for (const workers of counts)
    out.push(
      `<text x="${n2(centreOf(workers))}" y="${PLOT.bottom + 20}" text-anchor="middle" font-weight="600">${workers}</text>`,
    );
  // Bars, their figures, and each series' ideal line over its bars.
  series.forEach((s, index) => {
    const colour = COLOURS[index % COLOURS.length] ?? '#336791';
    const base = s.points[0]?.rate ?? NaN;
    const centres: string[] = [];
    for (const point of s.points) {
      const x = barX(point.workers, index);
      const centre = x + barWidth / 2;
      const speedup = point.rate / base;
      out.push(
        `<rect class="bar" data-series="${escapeXml(s.label)}" data-workers="${point.workers}" data-value="${n2(point.rate)}" x="${n2(x + 2)}" y="${n2(y(point.rate))}" width="${n2(barWidth - 4)}" height="${n2(PLOT.bottom - y(point.rate))}" fill="${colour}"/>`,
        `<text x="${n2(centre)}" y="${n2(y(point.rate) - 20)}" text-anchor="middle" font-size="12">${escapeXml(thousands(point.rate))}</text>`,
        `<text x="${n2(centre)}" y="${n2(y(point.rate) - 6)}" text-anchor="middle" font-size="11" fill="#555555">×${speedup.toFixed(2)}</text>`,
      );
      centres.push(`${n2(centre)},${n2(y(ideal(s, point.workers)))}`);
    }
    out.push(
      `<polyline class="ideal" points="${centres.join(' ')}" fill="none" stroke="${colour}" stroke-width="1.5" stroke-dasharray="6 4"/>`,
      ...centres.map((c) => {
        const [cx, cy] = c.split(',');
        return `<circle cx="${cx}" cy="${cy}" r="3" fill="#ffffff" stroke="${colour}"/>`;
      }),
    );
  });
  // Legend.
  series.forEach((s, index) => {
    const colour = COLOURS[index % COLOURS.length] ?? '#336791';
    const ly = PLOT.top - 22;
    const lx = PLOT.left + 8 + index * 150;
    out.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${colour}"/>`,
      `<text x="${lx + 18}" y="${ly}">${escapeXml(s.label)}</text>`,
    );
  });
  const lx = PLOT.left + 8 + series.length * 150;
  out.push(
    `<line x1="${lx}" y1="${PLOT.top - 26}" x2="${lx + 24}" y2="${PLOT.top - 26}" stroke="#555555" stroke-width="1.5" stroke-dasharray="6 4"/>`,
    `<text x="${lx + 30}" y="${PLOT.top - 22}">ideal: K × one worker</text>`,
    `</svg>`,
  );
  return `${out.join('\n')}\n`;
}

/** The chart of one or more reports (e.g. a SQLite and a PostgreSQL run), or null without scale-out lines. */
export function chartOfReports(reports: readonly BenchReport[]): string | null {
  const series = scaleoutSeries(reports);
  if (series.length === 0) return null;
  const first = reports[0];
  const machine = first
    ? `${first.machine.cpus} × ${first.machine.cpu_model}, Node ${first.machine.node}`
    : '';
  const notes = [
    machine,
    ...reports.map((r) => {
      const size = r.results.find((result) => result.name.startsWith('scaleout_'))?.size ?? 0;
      const database = r.machine.database.split(' (')[0] ?? '';
      const load = r.machine.load ? `, load ${r.machine.load.start}–${r.machine.load.end ?? '?'}` : '';
      return `${database}: ${size.toLocaleString('en-US')} messages a run, ${r.date.slice(0, 16).replace('T', ' ')} UTC, revision ${r.machine.revision}${load}`;
    }),
  ].filter((line) => line !== '');
  return scaleoutChart(series, { title: 'Outbound throughput against caseline worker processes', notes });
}
