// `npm test`: typecheck, lint, format, the build, every *.test.ts (unit and both-database tests),
// then the conformance scenarios (public and our own) on SQLite and on a fresh PostgreSQL
// database. Everything runs with its own data directory, never the user's. The last line counts
// everything: `N passed, M failed` — each test, each scenario, and each check before them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const postgres = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function files(dir, suffix) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'caseline-npm-test-'));
process.env.CASELINE_DATA_DIR = dataDir;

let passed = 0;
let failed = 0;

/** A check that passes or fails as a whole (typecheck, lint, format, build). */
function check(label, command, args) {
  console.log(`\n== ${label}`);
  const ok = spawnSync(command, args, { stdio: 'inherit' }).status === 0;
  if (ok) passed++;
  else failed++;
  return ok;
}

/** The conformance runner prints `N passed, M failed` last (its output is passed through). */
function scenarios(label, args) {
  console.log(`\n== ${label}`);
  const result = spawnSync(process.execPath, ['bin/caseline.js', 'conformance', ...args], {
    encoding: 'utf8',
  });
  process.stdout.write(result.stdout);
  process.stderr.write(result.stderr);
  const counts = /^(\d+) passed, (\d+) failed$/m.exec(result.stdout);
  if (counts) {
    passed += Number(counts[1]);
    failed += Number(counts[2]);
  }
  // A run that printed no count (it crashed) is one failure, never a silent pass.
  if (!counts || (result.status !== 0 && Number(counts[2]) === 0)) failed++;
}

check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']);
check('lint', 'npx', ['eslint', 'src', 'test', 'scripts', 'bin']);
check('format', 'npx', ['prettier', '--check', '--log-level', 'warn', 'src', 'test', 'scripts']);
// What bin/caseline.js runs: the tests that start it (and the scenarios below) use the build.
check('build', process.execPath, ['scripts/build.js']);

// Three files at a time even on two cores: the slow files (browsers, worker processes, a private
// PostgreSQL) mostly wait on other processes. The spec reporter shows each test; the counting
// reporter totals them for the last line.
console.log('\n== tests');
const counts = join(dataDir, 'test-counts.json');
const tests = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=3',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    '--test-reporter=./scripts/count-reporter.js',
    `--test-reporter-destination=${counts}`,
    ...files('test', '.test.ts').sort(),
  ],
  { stdio: 'inherit' },
);
try {
  const seen = JSON.parse(readFileSync(counts, 'utf8'));
  passed += seen.passed;
  failed += seen.failed;
  if (tests.status !== 0 && seen.failed === 0) failed++;
} catch {
  failed++;
}

scenarios('scenarios on SQLite', ['test/scenarios']);
scenarios('scenarios on PostgreSQL', ['test/scenarios', '--database', postgres]);

rmSync(dataDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
