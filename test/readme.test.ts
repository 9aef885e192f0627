// README.md's five-minute walk-through, run as a newcomer would: the server started with
// `npm start` in this folder (its own home folder, so its own data directory; a free port instead
// of 8080), then every command block marked `<!-- walk-through -->`, as written, in one shell.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { REPO_ROOT } from './support/cli.ts';
import { closedPort } from './support/net.ts';

const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/<!-- walk-through(: server)? -->\s*```sh\n([\s\S]*?)```/g)].map(
  (match) => ({ server: match[1] !== undefined, text: match[2] ?? '' }),
);

const home = mkdtempSync(join(tmpdir(), 'caseline-readme-'));
after(() => rmSync(home, { recursive: true, force: true }));

/** A newcomer's environment: a home of its own, none of caseline's settings. */
function newcomer(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, ...extra };
  for (const name of Object.keys(env))
    if (/^(CASELINE_|DATABASE_URL$|XDG_DATA_HOME$|LOG_|SMTP_|PORT$|HOST$)/.test(name) && !(name in extra))
      delete env[name];
  return env;
}

test('the README walk-through works as written', { timeout: 180_000 }, async () => {
  assert.deepEqual(
    blocks.filter((block) => block.server).map((block) => block.text),
    ['npm install\nnpm start\n'],
    'the server block is what this test runs',
  );
  const commands = blocks.filter((block) => !block.server).map((block) => block.text);
  assert.ok(commands.length >= 5, `${commands.length} command blocks`);

  const port = await closedPort();
  // `npm install` has been run: this is its clone. Its own process group, to stop npm and caseline together.
  const server = spawn('npm', ['start'], {
    cwd: REPO_ROOT,
    env: newcomer({ PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let serverOutput = '';
  server.stdout.setEncoding('utf8').on('data', (chunk: string) => (serverOutput += chunk));
  server.stderr.setEncoding('utf8').on('data', (chunk: string) => (serverOutput += chunk));
  const stopped = new Promise((resolve) => server.once('exit', resolve));
  try {
    const deadline = performance.now() + 60_000;
    while (
      !(await fetch(`http://127.0.0.1:${port}/healthz`).then(
        async (r) => (await r.arrayBuffer(), r.ok),
        () => false,
      ))
    ) {
      assert.ok(server.exitCode === null, `npm start exited:\n${serverOutput}`);
      assert.ok(performance.now() < deadline, `npm start did not answer within a minute:\n${serverOutput}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.match(serverOutput, /generated the admin API key/, 'the first start prints the admin key');

    const script = commands
      .map(
        (text, i) =>
          `printf '\\n### block ${i}\\n'\n${text.replaceAll('127.0.0.1:8080', `127.0.0.1:${port}`)}`,
      )
      .join('\n');
    const run = spawnSync('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: REPO_ROOT,
      env: newcomer(),
      encoding: 'utf8',
      timeout: 150_000,
    });
    const output = `${run.stdout}\n--- stderr:\n${run.stderr}\n--- server:\n${serverOutput}`;
    assert.equal(run.status, 0, output);
    const out = run.stdout.split(/\n### block \d+\n/).slice(1);
    const expect = (block: number, pattern: RegExp) => assert.match(out[block] ?? '', pattern, output);
    expect(0, /^\{"status":"ok"\}$/m);
    expect(1, /"id":"clinic"/);
    expect(2, /"type":"test".*"inbound_secret_set":true/);
    expect(3, /"status":"created"/);
    expect(3, /^case amina: TWO_WAY — gets SMS$/m);
    expect(3, /^ {2}number: \+254712345678$/m);
    expect(4, /^\{"event_id":\d+,"sub_events":\[\{[^\n]*"error":null\}\]\}$/m);
    expect(4, /"messages":\[\{[^\]]*"status":"sent"/);
    expect(5, /"outcome":"opted_out"/);
    expect(5, /^case amina: .*PHONE_NUMBER_OPTED_OUT|opted out/m);
    expect(5, /^no problems/m);
  } finally {
    if (server.pid !== undefined && server.exitCode === null) process.kill(-server.pid, 'SIGTERM');
    await stopped;
  }
});
