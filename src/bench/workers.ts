// `caseline worker` processes for the scale-out benchmark: spawned from bin/caseline.js as an
// operator would run them, each with its own pool of connections, added as the benchmark
// goes from 1 to 2 to 4, stopped with SIGTERM.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { packagePath } from '../paths.ts';

const BIN = packagePath('bin', 'caseline.js');
/** Starting a worker loads tsx and the sources and migrates: seconds on a busy 2-core machine. */
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export interface WorkerSettings {
  batchSize: number;
  concurrency: number;
  leaseMs: number;
}

export interface WorkerProcesses {
  /** The processes running now. */
  readonly pids: number[];
  /** Error lines the workers logged (pino level ≥ 50). */
  readonly errors: string[];
  /** Starts processes until `total` run, resolving once each new one has logged that it started. */
  grow(total: number): Promise<void>;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Worker processes on `databaseUrl`, none running yet. `appName` becomes their PostgreSQL
 * application_name (PGAPPNAME), so that their server backends can be found in pg_stat_activity.
 */
export function workerProcesses(
  databaseUrl: string,
  settings: WorkerSettings,
  appName: string,
): WorkerProcesses {
  const errors: string[] = [];
  const children: ChildProcess[] = [];
  const startOne = async () => {
    const child = spawn(process.execPath, [BIN, 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        CASELINE_BATCH_SIZE: String(settings.batchSize),
        CASELINE_CONCURRENCY: String(settings.concurrency),
        CASELINE_LEASE_MS: String(settings.leaseMs),
        LOG_LEVEL: 'info',
        PGAPPNAME: appName,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('a worker did not start within a minute')),
        START_TIMEOUT_MS,
      );
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it started`)));
      createInterface({ input: child.stdout! }).on('line', (line) => {
        let entry: { level?: number; msg?: string; err?: { message?: string } };
        try {
          entry = JSON.parse(line) as typeof entry;
        } catch {
          return;
        }
        if (entry.msg === 'caseline worker started') {
          clearTimeout(timer);
          resolve();
        } else if ((entry.level ?? 0) >= 50)
          errors.push(`${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim());
      });
    });
  };
  return {
    get pids() {
      return children.map((c) => c.pid ?? 0).filter((pid) => pid > 0);
    },
    errors,
    async grow(total) {
      await Promise.all(Array.from({ length: Math.max(0, total - children.length) }, startOne));
    },
    async stop() {
      for (const child of children)
        if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timeout = setTimeout(() => {
        for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await Promise.all(children.map(exited));
      clearTimeout(timeout);
    },
  };
}
