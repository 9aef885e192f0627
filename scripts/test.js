// `npm test`: typecheck, lint, the build, every *.test.ts (unit and both-database tests), then
// the conformance scenarios (public and our own) on SQLite and on a fresh PostgreSQL database.
// Everything runs with its own data directory, never the user's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
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

function run(label, command, args) {
  console.log(`\n== ${label}`);
  const result = spawnSync(command, args, { stdio: 'inherit' });
  return result.status === 0;
}

const results = [
  run('typecheck', 'npx', ['tsc', '--noEmit', '-p', '.']),
  run('lint', 'npx', ['eslint', 'src', 'test', 'scripts', 'bin']),
  // What bin/caseline.js runs: the tests that start it (and the scenarios below) use the build.
  run('build', process.execPath, ['scripts/build.js']),
  // Two files at a time even on two cores: the slow files (browsers, worker processes, a private
  // PostgreSQL) mostly wait on other processes.
  run('tests', process.execPath, [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    ...files('test', '.test.ts').sort(),
  ]),
  run('scenarios on SQLite', process.execPath, ['bin/caseline.js', 'conformance', 'test/scenarios']),
  run('scenarios on PostgreSQL', process.execPath, [
    'bin/caseline.js',
    'conformance',
    'test/scenarios',
    '--database',
    postgres,
  ]),
];
rmSync(dataDir, { recursive: true, force: true });
process.exitCode = results.every(Boolean) ? 0 : 1;
