// The scale-out chart: a well-formed SVG whose bars are proportional to the figures, with
// every text escaped, built from a results JSON as `caseline bench --chart` writes it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  chartOfReports,
  escapeXml,
  niceScale,
  scaleoutChart,
  scaleoutSeries,
} from '../../src/bench/chart.ts';
import type { BenchResult } from '../../src/bench/harness.ts';
import type { BenchReport } from '../../src/bench/report.ts';

/** Every tag closed in order, no stray '<' or unescaped '&': enough to catch a broken document. */
function assertWellFormed(svg: string): void {
  assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  const stack: string[] = [];
  const text = svg.replace(
    /<(\/?)([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z0-9-:]*="[^"<]*")*)\s*(\/?)>/g,
    (_, close, name, _a, self) => {
      if (self === '/') return '';
      if (close === '/') assert.equal(stack.pop(), name, `</${name}> closes what it opened`);
      else stack.push(name);
      return '';
    },
  );
  assert.deepEqual(stack, [], 'every element is closed');
  assert.doesNotMatch(text, /[<>]/, 'no stray angle brackets outside tags');
  assert.doesNotMatch(svg, /&(?!(amp|lt|gt|quot|#39);)/, 'every ampersand is an entity');
}

function result(name: string, database: string, caseline: number): BenchResult {
  return {
    name,
    database: database as 'postgres',
    unit: 'msg/s',
    size: 1000,
    caseline,
    baseline: caseline,
    ratio: 1,
    seconds: 1,
  };
}

function report(database: string, results: BenchResult[]): BenchReport {
  return {
    machine: {
      cpus: 2,
      cpu_model: 'Xeon <test> & co',
      memory_gib: 4,
      node: 'v20',
      os: 'linux',
      database: `${database} 1.0 (x)`,
      revision: 'abc',
    },
    command: 'caseline bench --quick',
    date: '2025-01-02T03:04:05.000Z',
    results,
  };
}

const bars = (svg: string) =>
  [
    ...svg.matchAll(
      /<rect class="bar" data-series="([^"]*)" data-workers="(\d+)" data-value="([\d.]+)" x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)"/g,
    ),
  ].map((m) => ({
    series: m[1],
    workers: Number(m[2]),
    value: Number(m[3]),
    y: Number(m[4]),
    height: Number(m[5]),
  }));

test('bars are proportional to msg/s, with the ideal line from one worker', () => {
  const svg = scaleoutChart(
    [
      {
        label: 'PostgreSQL',
        points: [
          { workers: 1, rate: 1000 },
          { workers: 2, rate: 1500 },
          { workers: 4, rate: 1800 },
        ],
      },
      {
        label: 'SQLite',
        points: [
          { workers: 1, rate: 800 },
          { workers: 2, rate: 700 },
          { workers: 4, rate: 400 },
        ],
      },
    ],
    { title: 'Throughput', notes: ['2 cores'] },
  );
  assertWellFormed(svg);
  const found = bars(svg);
  assert.equal(found.length, 6);
  const pg1 = found.find((b) => b.series === 'PostgreSQL' && b.workers === 1);
  assert.ok(pg1);
  for (const bar of found)
    assert.ok(Math.abs(bar.height / pg1.height - bar.value / 1000) < 0.005, `${bar.series} ${bar.workers}`);
  // The ideal line of PostgreSQL reaches 4 × 1,000 at 4 workers: the axis goes at least that far.
  assert.match(svg, />4,000</);
  assert.match(svg, /×1\.80/);
  assert.equal((svg.match(/<polyline class="ideal"/g) ?? []).length, 2);
  const ideal = /<polyline class="ideal" points="([^"]+)"/
    .exec(svg)?.[1]
    ?.split(' ')
    .map((p) => Number(p.split(',')[1]));
  const axis = pg1.y + pg1.height;
  assert.ok(
    ideal && Math.abs((axis - (ideal[2] ?? 0)) / pg1.height - 4) < 0.01,
    'the ideal point at 4 workers is 4 × one',
  );
});

test('text from the results is escaped', () => {
  const svg = scaleoutChart([{ label: 'A & <B>', points: [{ workers: 1, rate: 10 }] }], {
    title: 'x < y & "z"',
    notes: ["it's <b>"],
  });
  assertWellFormed(svg);
  assert.ok(svg.includes('x &lt; y &amp; &quot;z&quot;'));
  assert.ok(svg.includes('A &amp; &lt;B&gt;'));
  assert.ok(svg.includes('it&#39;s &lt;b&gt;'));
  assert.equal(escapeXml(`<&>"'`), '&lt;&amp;&gt;&quot;&#39;');
});

test('series come from scaleout_K lines, one per database, across reports', () => {
  const reports = [
    report('PostgreSQL', [
      result('outbound', 'postgres', 900),
      result('scaleout_1', 'postgres', 1000),
      result('scaleout_4', 'postgres', 1700),
      result('scaleout_2', 'postgres', 1400),
    ]),
    report('SQLite', [
      result('scaleout_1', 'sqlite', 800),
      { ...result('scaleout_2', 'sqlite', 0), caseline: null, failed: 'x' },
    ]),
  ];
  assert.deepEqual(scaleoutSeries(reports), [
    {
      label: 'PostgreSQL',
      points: [
        { workers: 1, rate: 1000 },
        { workers: 2, rate: 1400 },
        { workers: 4, rate: 1700 },
      ],
    },
    { label: 'SQLite', points: [{ workers: 1, rate: 800 }] },
  ]);
  const svg = chartOfReports(reports);
  assert.ok(svg);
  assertWellFormed(svg);
  assert.ok(svg.includes('Xeon &lt;test&gt; &amp; co'));
  assert.equal(chartOfReports([report('SQLite', [result('outbound', 'sqlite', 1)])]), null);
});

test('axis steps are 1, 2 or 5 × a power of ten', () => {
  assert.deepEqual(niceScale(3700), { top: 4000, step: 1000 });
  assert.deepEqual(niceScale(1234), { top: 1500, step: 500 });
  assert.deepEqual(niceScale(0), { top: 1, step: 0.2 });
});
