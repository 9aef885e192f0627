// `npm test`: typecheck, lint, format, the build, every *.test.ts (unit and both-database tests),
// then the conformance scenarios (public and our own) on SQLite and on a fresh PostgreSQL
// database. Everything runs with its own data directory, never the user's. The last line counts
// everything: `N passed, M failed` — each test, each scenario, and each check before them.
//
// The build and the three checks run side by side, each printed whole when all have ended. Then
// the test files run, three at a time, and beside them the scenario runs (on SQLite, then on
// PostgreSQL), which mostly wait on the database; their output is printed whole when each ends,
// between the tests' lines. The checks stay out of the tests' way: beside them they took CPU
// from timing-sensitive tests on a loaded machine.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const postgres = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

// The slowest files (seconds measured three at a time; see the commit that set this): started
// first, so that no long file starts last and runs on alone. The rest follow in name order.
const SLOW_FIRST = [
  'test/http/fuzz.test.ts',
  'test/browser/lifecycle.test.ts',
  'test/cli/data-dir.test.ts',
  'test/faults/crash.test.ts',
  'test/conformance/public.test.ts',
  'test/app/inbound.test.ts',
  'test/faults/postgres-restart.test.ts',
  'test/browser/messages-and-alerts.test.ts',
  'test/browser/contacts-and-registry.test.ts',
  'test/faults/record-failure.test.ts',
  'test/readme.test.ts',
];

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

/** Runs a command to its end, its output (stdout and stderr) kept; resolves {status, output}. */
function run(command, args, env = process.env) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (output += chunk));
    child.once('error', (error) => resolve({ status: null, output: `${output}${error}\n` }));
    child.once('close', (status) => resolve({ status, output }));
  });
}

/** A partial last line of the tests' output, held back until its end comes. */
let pendingLine = '';

/** Prints a finished phase's output whole (it falls between two lines of the tests' output). */
function printBlock(text) {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}

/** The checks' output, in the order they were started. */
const checkOutput = [];

/** A check that passes or fails as a whole (typecheck, lint, format, build); its output is kept
 *  for checkOutput. */
async function check(label, command, args) {
  const slot = checkOutput.push('') - 1;
  const { status, output } = await run(command, args);
  checkOutput[slot] = `\n== ${label}\n${output}`;
  if (status === 0) passed++;
  else failed++;
  return status === 0;
}

/** The conformance runner prints `N passed, M failed` last (its output is passed through). */
async function scenarios(label, args) {
  const { status, output } = await run(process.execPath, ['bin/caseline.js', 'conformance', ...args]);
  printBlock(`\n== ${label}\n${output}`);
  const counts = /^(\d+) passed, (\d+) failed$/m.exec(output);
  if (counts) {
    passed += Number(counts[1]);
    failed += Number(counts[2]);
  }
  // A run that printed no count (it crashed) is one failure, never a silent pass.
  if (!counts || (status !== 0 && Number(counts[2]) === 0)) failed++;
}

/** The test files, three at a time. The spec reporter shows each test; the counting reporter
 *  totals them for the last line. Their output is passed on line by line, so a lane's block
 *  printed meanwhile falls between two lines. */
async function testFiles(built) {
  const all = files('test', '.test.ts').sort();
  const order = [
    ...SLOW_FIRST.filter((file) => all.includes(file)),
    ...all.filter((f) => !SLOW_FIRST.includes(f)),
  ];
  const counts = join(dataDir, 'test-counts.json');
  // Three files at a time even on two cores: the slow files (browsers, worker processes, a
  // private PostgreSQL) mostly wait on other processes. CASELINE_TEST_BUILT: when the build above
  // succeeded, it is fresh, so the tests that start `caseline` run it rather than the sources through tsx (the
  // same code, about two seconds of CPU less at each start).
  const child = spawn(
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
      ...order,
    ],
    {
      env: built ? { ...process.env, CASELINE_TEST_BUILT: '1' } : process.env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    const text = pendingLine + chunk;
    const end = text.lastIndexOf('\n') + 1;
    process.stdout.write(text.slice(0, end));
    pendingLine = text.slice(end);
  });
  const status = await new Promise((resolve) => child.once('close', resolve));
  process.stdout.write(pendingLine);
  pendingLine = '';
  try {
    const seen = JSON.parse(readFileSync(counts, 'utf8'));
    passed += seen.passed;
    failed += seen.failed;
    if (status !== 0 && seen.failed === 0) failed++;
  } catch {
    failed++;
  }
}

/** Beside the test files: the scenarios, one run at a time. */
async function scenarioRuns() {
  await scenarios('scenarios on SQLite', ['test/scenarios']);
  await scenarios('scenarios on PostgreSQL', ['test/scenarios', '--database', postgres]);
}

// What bin/caseline.js runs: the tests that start it (and the scenarios) use the build.
const [, , , built] = await Promise.all([
  check('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  check('lint', 'npx', ['eslint', 'src', 'test', 'scripts', 'bin']),
  check('format', 'npx', ['prettier', '--check', '--log-level', 'warn', 'src', 'test', 'scripts']),
  check('build', process.execPath, ['scripts/build.js']),
]);
for (const block of checkOutput) printBlock(block);

console.log('\n== tests (beside them: the scenarios)');
await Promise.all([testFiles(built), scenarioRuns()]);

rmSync(dataDir, { recursive: true, force: true });
console.log(`\n${passed} passed, ${failed} failed`);
process.exitCode = failed === 0 ? 0 : 1;
