// What the fault tests share: a backlog of queued SMS, `caseline worker` processes, and waiting
// for a condition while watching that no worker died.
import { spawn, type ChildProcess } from 'node:child_process';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import type { NewMessage } from '../../src/app/ports/records.ts';
import type { Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { testDeps } from '../support/databases.ts';

const bin = new URL('../../bin/caseline.js', import.meta.url).pathname;

/** Queued SMS rows, all due at `dueAt`: the `i`th says `message i` through gateway `gatewayId(i)`. */
export function queuedSms(
  count: number,
  projectId: string,
  gatewayId: (i: number) => string,
  dueAt: number,
): NewMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    projectId,
    eventId: null,
    subEventId: null,
    direction: 'out',
    channel: 'sms',
    contact: null,
    phone: `2547${10_000_000 + i}`,
    email: null,
    gatewayId: gatewayId(i),
    subject: null,
    text: `message ${i}`,
    segments: 1,
    status: 'queued',
    kind: 'message',
    replyTo: null,
    dueAt,
    outcome: null,
  }));
}

/**
 * A project `projectId` with its own `http` gateway (of the same id) posting to `gatewayUrl`
 * (`ref` = message id), and `count` SMS due now.
 */
export async function queueBacklog(
  store: Store,
  projectId: string,
  gatewayUrl: string,
  count: number,
): Promise<void> {
  const deps = testDeps(store, Date.now());
  await putProject(deps, projectId, {});
  await putGateway(deps, projectId, {
    project: projectId,
    type: 'http',
    default: true,
    config: { url: gatewayUrl, params: { to: '{to}', text: '{text}', ref: '{message_id}' } },
  });
  const now = Date.now();
  await store.messages.insertMany(
    queuedSms(count, projectId, () => projectId, now),
    now,
  );
}

export interface WorkerProcess {
  process: ChildProcess;
  /** What it wrote: pino's lines on stdout, a crash on stderr. */
  output(): string;
  running(): boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts `caseline worker` on `databaseUrl` with these CASELINE_* / LOG_LEVEL settings. */
export function startWorker(databaseUrl: string, settings: Record<string, string>): WorkerProcess {
  const child = spawn(process.execPath, [bin, 'worker'], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ...settings },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: string) => (output += chunk);
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  return {
    process: child,
    output: () => output,
    running: () => child.exitCode === null && child.signalCode === null,
    exit,
  };
}

/** Stops a worker that still runs (SIGTERM: it finishes its round) and waits for it to exit. */
export async function stopWorker(worker: WorkerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (worker.running()) worker.process.kill(signal);
  await worker.exit;
}

/** Polls `check` every 50 ms; fails after `timeoutMs`, or at once when one of `alive` exits. */
export async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  timeoutMs: number,
  alive: readonly WorkerProcess[] = [],
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const dead = alive.findIndex((w) => !w.running());
    if (dead !== -1)
      throw new Error(`worker ${dead + 1} exited while waiting for ${what}:\n${alive[dead]?.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
