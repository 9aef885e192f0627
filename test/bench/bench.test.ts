// The benchmark harness at a tiny size on SQLite: every benchmark runs, measures caseline and
// its baseline, and the JSON document has the shape issue #7 asks for.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { bench } from '../../src/bench/command.ts';
import { BENCH_NAMES } from '../../src/bench/harness.ts';
import { formatTable } from '../../src/bench/report.ts';

test(
  'every benchmark runs at 200 items on SQLite and reports both figures',
  { timeout: 60_000 },
  async () => {
    const file = join(tmpdir(), `caseline-bench-${randomBytes(4).toString('hex')}.json`);
    try {
      await bench({ json: file }, { size: 200, dueSpreadMs: 500 });
      const report = JSON.parse(readFileSync(file, 'utf8')) as {
        machine: Record<string, unknown>;
        results: Record<string, unknown>[];
      };
      for (const key of ['cpus', 'memory_gib', 'node', 'os', 'database'])
        assert.ok(report.machine[key], `machine.${key}`);
      assert.match(String(report.machine.database), /^SQLite/);
      assert.deepEqual(
        report.results.map((r) => r.name),
        [...BENCH_NAMES],
      );
      for (const r of report.results) {
        assert.equal(r.skipped, undefined, `${String(r.name)} skipped: ${String(r.skipped)}`);
        assert.equal(r.failed, undefined, `${String(r.name)} failed: ${String(r.failed)}`);
        assert.equal(r.database, 'sqlite');
        assert.equal(r.size, 200);
        assert.equal(typeof r.unit, 'string');
        for (const figure of ['caseline', 'baseline', 'ratio']) {
          const value = r[figure];
          assert.ok(
            typeof value === 'number' && Number.isFinite(value) && value > 0,
            `${String(r.name)}.${figure} is ${String(value)}`,
          );
        }
      }
      const table = formatTable(report.results as never);
      for (const name of BENCH_NAMES) assert.match(table, new RegExp(`^${name}\\s`, 'm'));
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
