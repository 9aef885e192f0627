// The benchmark harness at a tiny size on SQLite: every benchmark runs, measures caseline and
// its baseline, and the JSON document has the shape issue #7 asks for; the scale-out runs real
// worker processes on PostgreSQL (the database meant for several) and finds no duplicate send.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bench } from '../../src/bench/command.ts';
import { BENCH_NAMES } from '../../src/bench/harness.ts';
import { formatTable } from '../../src/bench/report.ts';
import { POSTGRES_URL } from '../support/databases.ts';

/** scaleout spawns worker processes: its own tests below run it with fewer. */
const IN_PROCESS = BENCH_NAMES.filter((name) => name !== 'scaleout');

test(
  'every benchmark runs at 200 items on SQLite and reports both figures',
  // A guard against a hang, not a speed check: beside the other test files on a loaded 2-core
  // machine (load average above 10) it took 52 s, and once ran past 60 s.
  { timeout: 180_000 },
  async () => {
    const file = join(tmpdir(), `caseline-bench-${randomBytes(4).toString('hex')}.json`);
    try {
      await bench({ json: file, only: IN_PROCESS.join(',') }, { size: 200, dueSpreadMs: 500 });
      const report = JSON.parse(readFileSync(file, 'utf8')) as {
        machine: Record<string, unknown>;
        results: Record<string, unknown>[];
      };
      for (const key of ['cpus', 'memory_gib', 'node', 'os', 'database'])
        assert.ok(report.machine[key], `machine.${key}`);
      assert.match(String(report.machine.database), /^SQLite/);
      assert.deepEqual(
        report.results.map((r) => r.name),
        [...IN_PROCESS],
      );
      for (const r of report.results) {
        assert.equal(r.skipped, undefined, `${String(r.name)} skipped: ${String(r.skipped)}`);
        assert.equal(r.failed, undefined, `${String(r.name)} failed: ${String(r.failed)}`);
        assert.equal(r.database, 'sqlite');
        assert.equal(r.size, 200);
        assert.equal(typeof r.unit, 'string');
        // The cost per item (issue #19): CPU, statements and memory of the caseline side.
        for (const figure of [
          'caseline',
          'baseline',
          'ratio',
          'cpu_ms_per_item',
          'statements_per_item',
          'peak_rss_mb',
        ]) {
          const value = r[figure];
          assert.ok(
            typeof value === 'number' && Number.isFinite(value) && value > 0,
            `${String(r.name)}.${figure} is ${String(value)}`,
          );
        }
      }
      const inbound = report.results.find((r) => r.name === 'inbound');
      const details = (inbound?.details ?? {}) as Record<string, number>;
      assert.ok(details.p99_ms !== undefined && details.p99_ms >= 0, 'inbound p99 at half capacity');
      assert.ok(
        details.latency_rate !== undefined &&
          Math.abs(details.latency_rate - Number(inbound?.caseline) / 2) <= 1,
        `inbound latency measured at half of caseline's capacity: ${details.latency_rate}`,
      );
      const table = formatTable(report.results as never);
      for (const name of IN_PROCESS) assert.match(table, new RegExp(`^${name}\\s`, 'm'));
    } finally {
      rmSync(file, { force: true });
    }
  },
);

test('a benchmark that cannot run is a skipped line, not a number', () => {
  const table = formatTable([
    {
      name: 'inbound',
      database: 'sqlite',
      unit: '',
      size: 10,
      caseline: null,
      baseline: null,
      ratio: null,
      seconds: 0,
      skipped: 'autocannon is not installed',
    },
  ]);
  assert.match(table, /^inbound\s.*skipped: autocannon is not installed$/m);
});

test(
  '2 worker processes send 200 messages on PostgreSQL, none twice',
  // Spawning `caseline worker` takes seconds, and much longer when other test runs load the machine.
  { timeout: 180_000 },
  async () => {
    const file = join(tmpdir(), `caseline-bench-${randomBytes(4).toString('hex')}.json`);
    const chart = file.replace(/\.json$/, '.svg');
    try {
      const report = await bench(
        { json: file, only: 'scaleout', database: POSTGRES_URL },
        { size: 200, workerCounts: [2] },
      );
      assert.deepEqual(
        report.results.map((r) => [r.name, r.failed]),
        [['scaleout_2', undefined]],
      );
      const [two] = report.results;
      assert.equal(two?.details?.duplicates, 0);
      assert.ok((two?.caseline ?? 0) > 0);
      assert.equal(two?.ratio, 1, 'the first worker count is the base of the speed-up');
      assert.ok((two?.cpu_ms_per_item ?? 0) > 0, "the workers' CPU per message");
      assert.ok((two?.peak_rss_mb ?? 0) > 0, "the workers' peak RSS");
      assert.ok(Number(two?.details?.pg_cpu_ms_per_item) > 0, "the PostgreSQL backends' CPU per message");
      assert.match(readFileSync(chart, 'utf8'), /^<svg[^>]*>[\s\S]*<rect class="bar"[\s\S]*<\/svg>\n$/);
    } finally {
      rmSync(file, { force: true });
      rmSync(chart, { force: true });
    }
  },
);
