// Wiring for the long-running modes: `serve` (HTTP server plus a queue worker) and `worker`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import Fastify from 'fastify';
import type { Adapters, Mailer } from './app/ports.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/connection.ts';
import { createStore } from './db/store.ts';
import { TestGateway } from './gateways/test/test.ts';
import { startWorkerLoop } from './queue/worker.ts';
import type { DispatchDeps } from './queue/dispatcher.ts';

/** Until SMTP is configured, e-mail fails with a clear reason rather than vanishing. */
const unconfiguredMailer: Mailer = {
  send: async () => ({ kind: 'rejected', detail: 'no SMTP server is configured (set SMTP_URL)' }),
};

async function engine(config: Config) {
  const db = await openDatabase(config.databaseUrl);
  await db.migrate();
  const store = createStore(db);
  const testGateway = new TestGateway(systemClock);
  const adapters: Adapters = (type) => (type === 'test' ? testGateway : null);
  const deps: DispatchDeps = { store, clock: systemClock, adapters, mailer: unconfiguredMailer, workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}` };
  return { db, deps };
}

export async function serve(config: Config): Promise<void> {
  const { db, deps } = await engine(config);
  const app = Fastify({ logger: { level: config.logLevel } });
  app.get('/healthz', async () => {
    await deps.store.projects.get('');
    return { status: 'ok' };
  });
  const worker = startWorkerLoop(deps, app.log);
  app.addHook('onClose', async () => {
    await worker.stop();
    await db.close();
  });
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`caseline listening on ${address} (database ${redact(config.databaseUrl)})`);
  stopOnSignal(() => app.close());
}

export async function work(config: Config): Promise<void> {
  const { db, deps } = await engine(config);
  const { default: pino } = await import('pino');
  const log = pino({ level: config.logLevel });
  const worker = startWorkerLoop(deps, log);
  log.info({ worker: deps.workerId }, 'caseline worker started');
  stopOnSignal(async () => {
    await worker.stop();
    await db.close();
  });
}

function stopOnSignal(stop: () => Promise<unknown>): void {
  const handler = () => void stop().then(() => process.exit(0));
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}

/** The database URL without its password, for logs. */
export function redact(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
