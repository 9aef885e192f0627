// Wiring for the long-running modes: `serve` (HTTP server plus a queue worker) and `worker`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import pino from 'pino';
import { ensureAdminKey } from './app/access/keys.ts';
import { createReceiver } from './app/gateways/receive.ts';
import type { Mailer } from './app/ports/gateway.ts';
import { systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { openDatabase } from './db/connection.ts';
import type { Db } from './db/dialect.ts';
import { createStore } from './db/store.ts';
import { createAdapters, emailType, gatewayCatalog } from './gateways/registry.ts';
import { TestGateway } from './gateways/test/test.ts';
import { createMetrics } from './metrics.ts';
import type { DispatchDeps } from './queue/dispatcher.ts';
import { startWorkerLoop } from './queue/worker.ts';

/** Without SMTP settings, e-mail fails with a clear reason rather than vanishing. */
const unconfiguredMailer: Mailer = {
  send: async () => ({
    kind: 'rejected',
    detail: 'no SMTP server is configured (set SMTP_URL or SMTP_HOST)',
  }),
};

/** Connection failures worth waiting out at start (the database is starting or restarting). */
const STARTING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);
const START_PATIENCE_MS = 60_000;

/** Opens and migrates the database, waiting up to a minute for one that is not up yet. */
async function openMigrated(config: Config, log: pino.Logger): Promise<Db> {
  const deadline = Date.now() + START_PATIENCE_MS;
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    let db: Db | null = null;
    try {
      db = await openDatabase(config.databaseUrl);
      await db.migrate();
      return db;
    } catch (error) {
      await db?.close().catch(() => undefined);
      const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
      if (!STARTING.has(code) || Date.now() + wait > deadline) throw error;
      log.warn(
        { code, database: redact(config.databaseUrl) },
        `database not reachable yet; retrying in ${wait} ms`,
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

async function engine(config: Config, log: pino.Logger) {
  const db = await openMigrated(config, log);
  const store = createStore(db);
  const smtp = emailType('smtp');
  const smtpConfig = smtp?.configFromEnv(process.env) ?? null;
  const mailer = smtp && smtpConfig ? smtp.createMailer(smtpConfig) : unconfiguredMailer;
  const metrics = createMetrics(store, systemClock);
  const deps: DispatchDeps = {
    store,
    clock: systemClock,
    adapters: createAdapters({
      test: new TestGateway(systemClock),
      publicUrl: config.publicUrl,
      // What arrives on a gateway's connection (SMPP) enters the same pipeline as a webhook's.
      receiver: createReceiver({ store, clock: systemClock }),
      lastInboundAt: (gatewayId, number) => store.messages.lastInboundAt(gatewayId, number),
    }),
    mailer,
    workerId: `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`,
    metrics,
  };
  const close = async () => {
    if ('close' in mailer && typeof mailer.close === 'function') mailer.close();
    await db.close();
  };
  return { db, deps, metrics, close };
}

export async function serve(config: Config): Promise<void> {
  // Loaded here, not at the top: a worker process has no use for the HTTP server and console.
  const [
    { buildApp },
    { createConsoleLists },
    { createConsoleReads },
    { createConsoleSessionRepo },
    { createReadModel },
    { createApiKeyRepo },
    { createGatewayRemoval },
  ] = await Promise.all([
    import('./cli/app.ts'),
    import('./db/console-lists-read.ts'),
    import('./db/console-read.ts'),
    import('./db/console-sessions.ts'),
    import('./db/read-model.ts'),
    import('./db/repos/api-keys.ts'),
    import('./db/repos/gateway-removal.ts'),
  ]);
  const { db, deps, metrics, close } = await engine(config, pino({ level: config.logLevel }));
  const keys = createApiKeyRepo(db.kysely);
  const { generated } = await ensureAdminKey(keys, systemClock, config.adminKey);
  if (generated !== null) {
    console.log(
      `caseline: generated the admin API key (shown only now; only its hash is stored):\n\n    ${generated}\n`,
    );
    console.log(
      'caseline: keep it safe, or set CASELINE_ADMIN_KEY to choose your own (that replaces this one).',
    );
  }
  const app = buildApp({
    store: deps.store,
    clock: systemClock,
    config,
    readModel: createReadModel(db),
    keys,
    gatewayRemoval: createGatewayRemoval(db.kysely),
    gatewayTypes: gatewayCatalog,
    metrics,
    isConflict: (error) => db.dialect.isUniqueViolation(error),
    console: {
      sessions: createConsoleSessionRepo(db.kysely),
      reads: createConsoleReads(db),
      lists: createConsoleLists(db),
    },
  });
  const worker = startWorkerLoop(deps, app.log, { ...config.worker });
  app.addHook('onClose', async () => {
    await worker.stop();
    await close();
  });
  const address = await app.listen({ port: config.port, host: config.host });
  console.log(`caseline listening on ${address} (database ${redact(config.databaseUrl)})`);
  stopOnSignal(() => app.close());
}

export async function work(config: Config): Promise<void> {
  const log = pino({ level: config.logLevel });
  const { deps, close } = await engine(config, log);
  const worker = startWorkerLoop(deps, log, { ...config.worker });
  log.info({ worker: deps.workerId, database: redact(config.databaseUrl) }, 'caseline worker started');
  stopOnSignal(async () => {
    await worker.stop();
    await close();
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
