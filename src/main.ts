// Wiring for the long-running modes: `serve` (HTTP server plus a queue worker) and `worker`.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type pino from 'pino';
import { createReceiver } from './app/gateways/receive.ts';
import type { Mailer } from './app/ports/gateway.ts';
import { systemClock } from './clock.ts';
import { checkedAdminKey, type Config } from './config.ts';
import { openMigrated } from './db/reach.ts';
import { redactUrl } from './db/url.ts';
import { createStore } from './db/store.ts';
import { checkWritable } from './db/health.ts';
import { createAdapters, emailType, gatewayCatalog } from './gateways/registry.ts';
import { TestGateway } from './gateways/test/test.ts';
import { createLogger } from './logging.ts';
import { createMetrics } from './metrics.ts';
import { PlainError } from './plain-error.ts';
import type { DispatchDeps } from './queue/dispatcher.ts';
import { startWorkerLoop } from './queue/worker.ts';
import { VERSION } from './version.ts';

/** Without SMTP settings, e-mail fails with a clear reason rather than vanishing. */
const unconfiguredMailer: Mailer = {
  send: async () => ({
    kind: 'rejected',
    detail: 'no SMTP server is configured (set SMTP_URL or SMTP_HOST)',
  }),
};

/**
 * How long a start waits for a PostgreSQL server that refuses connections: the server fails
 * fast (a wrong host or port is a mistake to show at once); a worker, often started beside its
 * database by the same supervisor, waits a minute.
 */
const START_PATIENCE_MS = { serve: 5_000, worker: 60_000 };

/** The mailer of the SMTP_* settings (the registry's `smtp` transport; nodemailer loads at its first send). */
async function mailerFromEnv(env: NodeJS.ProcessEnv): Promise<Mailer> {
  const smtp = emailType('smtp');
  try {
    const settings = smtp?.configFromEnv(env) ?? null;
    return smtp && settings ? smtp.createMailer(settings) : unconfiguredMailer;
  } catch (error) {
    throw new PlainError(
      error instanceof Error ? error.message : String(error),
      'fix or unset the SMTP_* settings',
      { cause: error },
    );
  }
}

async function engine(config: Config, log: pino.Logger, patience: 'serve' | 'worker') {
  const mailer = await mailerFromEnv(process.env);
  const db = await openMigrated(config.databaseUrl, {
    patienceMs: START_PATIENCE_MS[patience],
    // The server's few seconds of waiting end in one line; a worker's minute is worth telling.
    ...(patience === 'worker'
      ? {
          onWait: (code: string, wait: number) =>
            log.warn(
              { code, database: redactUrl(config.databaseUrl) },
              `database not reachable yet; retrying in ${wait} ms`,
            ),
        }
      : {}),
  });
  const store = createStore(db);
  const metrics = createMetrics(store, systemClock, { tenantLabels: config.metrics.tenantLabels });
  const deps: DispatchDeps = {
    store,
    clock: systemClock,
    adapters: createAdapters({
      test: new TestGateway(systemClock),
      publicUrl: config.publicUrl,
      // What arrives on a gateway's connection (SMPP) enters the same pipeline as a webhook's.
      receiver: createReceiver({ store, clock: systemClock }),
      lastInboundAt: (gatewayId, number) => store.messages.lastInboundAt(gatewayId, number),
      allowPrivate: config.allowPrivateGateways,
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
  const adminKey = checkedAdminKey(config);
  // Loaded here, not at the top: a worker process has no use for the HTTP server and console.
  const [
    { buildApp },
    { createConsoleLists },
    { createConsoleReads },
    { createConsoleSessionRepo },
    { createReadModel },
    { createApiKeyRepo },
    { createGatewayRemoval },
    { provideAdminKey },
  ] = await Promise.all([
    import('./cli/app.ts'),
    import('./db/console-lists-read.ts'),
    import('./db/console-read.ts'),
    import('./db/console-sessions.ts'),
    import('./db/read-model.ts'),
    import('./db/repos/api-keys.ts'),
    import('./db/repos/gateway-removal.ts'),
    import('./admin-key.ts'),
  ]);
  const log = createLogger(config);
  const { db, deps, metrics, close } = await engine(config, log, 'serve');
  let stopWorker = async () => {};
  try {
    const keys = createApiKeyRepo(db.kysely);
    const admin = await provideAdminKey(keys, systemClock, adminKey, config.dataDir);
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
      healthProbe: () => checkWritable(db),
      console: {
        sessions: createConsoleSessionRepo(db.kysely),
        reads: createConsoleReads(db),
        lists: createConsoleLists(db),
      },
      loggerInstance: log,
    });
    app.addHook('onClose', async () => {
      await stopWorker();
      await close();
    });
    const address = await app
      .listen({
        port: config.port,
        host: config.host,
        listenTextResolver: (where) => `caseline ${VERSION} listening on ${where}`,
      })
      .catch(async (error: unknown) => {
        await app.close();
        throw error;
      });
    const worker = startWorkerLoop(deps, app.log, { ...config.worker });
    stopWorker = () => worker.stop();
    log.info(
      { data: config.dataDir, database: redactUrl(config.databaseUrl) },
      `console at ${address}/, API at ${address}/api/v1, its documentation at ${address}/docs`,
    );
    announceAdminKey(admin);
    stopOnSignal(() => app.close());
  } catch (error) {
    await close().catch(() => undefined);
    throw error;
  }
}

/**
 * Says where the admin key is; a generated one is shown this once, on stderr and never in the
 * logs (which may be collected elsewhere).
 */
function announceAdminKey(admin: Awaited<ReturnType<typeof import('./admin-key.ts').provideAdminKey>>): void {
  if (admin.kind === 'generated') {
    process.stderr.write(
      `\ncaseline: generated the admin API key (shown only now; kept in ${admin.file}, readable by you alone):\n\n    ${admin.key}\n\n` +
        'caseline: sign in to the console with it, or use it as "Authorization: Bearer <key>";\n' +
        'caseline: set CASELINE_ADMIN_KEY to choose your own instead (that replaces this one).\n\n',
    );
  } else if (admin.kind === 'file' && !admin.matches) {
    process.stderr.write(
      `caseline: the admin key kept in ${admin.file} is not this database's (it was set elsewhere, e.g. by CASELINE_ADMIN_KEY) — set CASELINE_ADMIN_KEY to the key you want\n`,
    );
  }
}

export async function work(config: Config): Promise<void> {
  const log = createLogger(config);
  const { deps, close } = await engine(config, log, 'worker');
  const worker = startWorkerLoop(deps, log, { ...config.worker });
  log.info(
    { worker: deps.workerId, data: config.dataDir, database: redactUrl(config.databaseUrl) },
    'caseline worker started',
  );
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
