// Every start-up and command failure ends as one line on stderr naming the cause and the fix,
// exit code 1, no stack trace (issue #16); --debug adds the stack.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { runCli, tempDataDir, type CliResult } from '../support/cli.ts';
import { closedPort } from '../support/net.ts';

const data = tempDataDir();
const env = (extra: Record<string, string> = {}) => ({ CASELINE_DATA_DIR: data.dir, ...extra });

/** One line on stderr matching `pattern`, exit 1, nothing that looks like a stack trace. */
function assertPlain(result: CliResult, pattern: RegExp): void {
  const lines = result.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${result.stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.match(lines[0] ?? '', / — \S/, 'the line names a fix after the dash');
  assert.equal(result.code, 1, `exit code 1, got ${result.code}\n${result.stderr}`);
  assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m, 'no stack trace');
}

describe('plain errors', { concurrency: 4 }, () => {
  after(() => data.remove());

  describe('a port in use', () => {
    const blocker = createServer();
    let port = 0;
    before(async () => {
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      port = (blocker.address() as { port: number }).port;
    });
    after(() => new Promise<void>((resolve) => blocker.close(() => resolve())));

    test('names the port and another to use', async () => {
      const result = await runCli(['serve'], {
        env: env({ PORT: String(port), CASELINE_ADMIN_KEY: 'a-long-enough-admin-key' }),
      });
      assertPlain(
        result,
        new RegExp(`^caseline: port ${port} on 127\\.0\\.0\\.1 is already in use .* PORT=${port + 1}$`),
      );
    });
  });

  test('an unreachable PostgreSQL fails the server within 5 s, naming host and port', async () => {
    const port = await closedPort();
    const result = await runCli(['serve'], {
      env: env({
        DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/caseline`,
        CASELINE_ADMIN_KEY: 'a-long-enough-admin-key',
      }),
    });
    assertPlain(
      result,
      new RegExp(`^caseline: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} \\(connection refused`),
    );
    // It tried for about 5 s (the line says how long), not the minute it used to wait; the wall
    // time adds loading the sources through tsx, which takes seconds on a busy machine.
    const waited = Number(/after (\d+) s\)/.exec(result.stderr)?.[1]);
    assert.ok(waited >= 3 && waited <= 5, `tried for ${waited} s`);
    assert.ok(result.ms < 40_000, `failed after ${Math.round(result.ms)} ms`);
  });

  test('an unreachable PostgreSQL fails a command the same way', async () => {
    const port = await closedPort();
    const result = await runCli(['why', 'clinic', 'case:c1'], {
      env: env({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/caseline` }),
    });
    assertPlain(result, new RegExp(`^caseline why: cannot reach PostgreSQL at 127\\.0\\.0\\.1:${port} `));
  });

  test('a malformed DATABASE_URL', async () => {
    const result = await runCli(['why', 'clinic', 'case:c1'], {
      env: env({ DATABASE_URL: 'postgres://me@db.example.org:five/caseline' }),
    });
    assertPlain(
      result,
      /^caseline why: DATABASE_URL 'postgres:\/\/me@db\.example\.org:five\/caseline' is not a valid URL .* postgres:\/\/user:password@host:5432\/database$/,
    );
  });

  test('a DATABASE_URL of another kind, with its password hidden', async () => {
    const result = await runCli(['serve'], {
      env: env({ DATABASE_URL: 'mysql://root:hunter2@localhost/caseline' }),
    });
    assertPlain(
      result,
      /^caseline: DATABASE_URL 'mysql:\/\/root:\*\*\*@localhost\/caseline' is neither sqlite: nor postgres:\/\//,
    );
    assert.doesNotMatch(result.stderr, /hunter2/);
  });

  test('a missing import file', async () => {
    const result = await runCli(['import', 'no-such-cases.csv', '--project', 'clinic'], { env: env() });
    assertPlain(result, /^caseline import: cannot read no-such-cases\.csv: no such file — check the path/);
  });

  test('an import file that is a folder', async () => {
    const result = await runCli(['import', data.dir, '--project', 'clinic'], { env: env() });
    assertPlain(result, /^caseline import: .* is a folder — give the path of a \.csv or \.xlsx file$/);
  });

  test('an unknown project names the database that was opened and what it holds', async () => {
    const result = await runCli(['why', 'clinic', 'case:c1'], { env: env() });
    assertPlain(
      result,
      new RegExp(
        `^caseline why: no project 'clinic' in sqlite:${data.dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/caseline\\.db, which has no projects yet — `,
      ),
    );
  });

  test('an admin key shorter than 16 characters stops the server', async () => {
    const result = await runCli(['serve'], { env: env({ CASELINE_ADMIN_KEY: 'secret123' }) });
    assertPlain(result, /^caseline: CASELINE_ADMIN_KEY has 9 characters; the server needs at least 16 — /);
  });

  test('a PORT that is no port', async () => {
    const result = await runCli(['serve'], { env: env({ PORT: 'eighty' }) });
    assertPlain(result, /^caseline: PORT must be a port number from 0 to 65535, not 'eighty' — /);
  });

  test('a usage mistake, in the same form', async () => {
    const result = await runCli(['why', 'clinic', '--colour'], { env: env() });
    assertPlain(result, /^caseline: unknown option '--colour' — caseline --help lists the commands/);
  });

  test('--debug adds the stack trace', async () => {
    const result = await runCli(['why', 'clinic', 'case:c1', '--debug'], {
      env: env({ DATABASE_URL: 'postgres://me@host:five/db' }),
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^caseline why: DATABASE_URL .* is not a valid URL/);
    assert.match(result.stderr, /^\s+at /m, 'the stack follows');
  });
});
