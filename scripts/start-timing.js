// `node scripts/start-timing.js [runs]`: how long caseline takes to start (BENCHMARKS.md,
// "Start-up"): `npm start` until its port accepts a connection, and `caseline --version` and
// `caseline why` until they exit, each run `runs` times (default 10) on a fresh data directory
// with one warm-up run first. Prints the minimum, median and maximum in milliseconds.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const runs = Number(process.argv[2] ?? 10);
const root = new URL('..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'caseline-timing-'));

function freePort() {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const ADMIN_KEY = 'timing-admin-key-0123456789';

/** Milliseconds from spawning `npm start` until its port accepts a connection. */
async function startToListening(whileUp = async () => {}) {
  const port = await freePort();
  const started = performance.now();
  // Its own process group, so that npm, its shell and the server stop together.
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { ...process.env, CASELINE_DATA_DIR: dataDir, PORT: String(port), CASELINE_ADMIN_KEY: ADMIN_KEY },
    stdio: 'ignore',
    detached: true,
  });
  let exited = false;
  const exit = new Promise((resolve) => child.once('exit', () => resolve((exited = true))));
  while (!(await accepts(port))) {
    if (exited) throw new Error('npm start exited before listening');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  const ms = performance.now() - started;
  await whileUp(`http://127.0.0.1:${port}/api/v1`);
  process.kill(-child.pid, 'SIGTERM');
  await exit;
  return ms;
}

/** Milliseconds from spawning `node bin/caseline.js ...args` until it exits. */
async function command(args) {
  const started = performance.now();
  const child = spawn(process.execPath, ['bin/caseline.js', ...args], {
    cwd: root,
    env: { ...process.env, CASELINE_DATA_DIR: dataDir },
    stdio: 'ignore',
  });
  await new Promise((resolve) => child.once('exit', resolve));
  return performance.now() - started;
}

async function measure(label, run) {
  await run();
  const times = [];
  for (let i = 0; i < runs; i++) times.push(await run());
  times.sort((a, b) => a - b);
  const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(0);
  console.log(
    `${label.padEnd(40)} min ${at(0).padStart(5)}  median ${at(0.5).padStart(5)}  max ${at(1).padStart(5)} ms`,
  );
}

/** A project with a case for `caseline why` to explain. */
async function seed(api) {
  const put = async (path, body) => {
    const response = await fetch(`${api}${path}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`PUT ${path}: ${response.status} ${await response.text()}`);
  };
  await put('/projects/clinic', { time_zone: 'Africa/Nairobi', default_country: 'KE' });
  await put('/projects/clinic/gateways/sms', { type: 'test', default: true });
  await put('/projects/clinic/cases/c1', {
    type: 'patient',
    properties: { contact_phone_number: '0712 345 678' },
  });
}

try {
  await startToListening(seed);
  console.log(
    `${runs} runs each after one warm-up; 1-minute load average ${(await import('node:os')).loadavg()[0].toFixed(2)}`,
  );
  await measure('npm start → port accepts connections', startToListening);
  await measure('caseline --version', () => command(['--version']));
  await measure('caseline why clinic case:c1 (SQLite)', () => command(['why', 'clinic', 'case:c1']));
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
