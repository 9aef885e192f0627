// The `caseline` command as a child process, the way an operator runs it, with its own data
// directory (never the user's). By default it runs the sources (src/cli.ts through tsx), so a
// test sees the code as it is now; `compiled: true` runs bin/caseline.js, which runs dist/.
// `npm test` builds first and then sets CASELINE_TEST_BUILT=1: the build is the code as it is
// now, and starts without tsx compiling the sources in each child (about 2 s of CPU a start).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SOURCE = join(REPO_ROOT, 'src', 'cli.ts');
const BIN = join(REPO_ROOT, 'bin', 'caseline.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  ms: number;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
  compiled?: boolean;
}

/** A fresh data directory; `remove()` deletes it. */
export function tempDataDir(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'caseline-test-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function environment(options: CliOptions): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LOG_LEVEL: 'info', LOG_FORMAT: 'json' };
  // The caller's settings must not leak in: each test says what it means.
  for (const name of [
    'DATABASE_URL',
    'CASELINE_ADMIN_KEY',
    'PORT',
    'HOST',
    'CASELINE_PUBLIC_URL',
    'SMTP_URL',
    'SMTP_HOST',
  ])
    delete env[name];
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export function spawnCli(args: string[], options: CliOptions = {}): ChildProcess {
  // tsx by its full URL: the child's current folder may be anywhere.
  const compiled = options.compiled ?? process.env.CASELINE_TEST_BUILT === '1';
  const argv = compiled ? [BIN, ...args] : ['--import', import.meta.resolve('tsx'), SOURCE, ...args];
  return spawn(process.execPath, argv, {
    cwd: options.cwd ?? REPO_ROOT,
    env: environment(options),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs `caseline ...args` to its end. */
export async function runCli(args: string[], options: CliOptions = {}): Promise<CliResult> {
  const started = performance.now();
  const child = spawnCli(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  return { code, stdout, stderr, ms: performance.now() - started };
}

export interface RunningServer {
  url: string;
  output(): string;
  stop(): Promise<void>;
}

/** Starts `caseline serve` on `port` and waits until /healthz answers (at most 60 s). */
export async function startServer(port: number, options: CliOptions = {}): Promise<RunningServer> {
  const child = spawnCli(['serve'], { ...options, env: { ...options.env, PORT: String(port) } });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`caseline serve exited (${child.exitCode}):\n${output}`);
    const ok = await fetch(`${url}/healthz`).then(
      async (response) => (await response.arrayBuffer(), response.ok),
      () => false,
    );
    if (ok) break;
    if (performance.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`caseline serve did not answer within a minute:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
