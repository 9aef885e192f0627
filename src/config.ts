// The environment, read once: every setting with its default (SPEC 7). A bad value is a
// PlainError naming the variable and what it should be.
import { dataDirectory, databaseFile } from './data-dir.ts';
import { parseDatabaseUrl } from './db/url.ts';
import type { LogFormat } from './logging.ts';
import { PlainError } from './plain-error.ts';

/** The shortest admin key the server accepts (SPEC 7). */
export const MIN_ADMIN_KEY_LENGTH = 16;

export interface Config {
  port: number;
  host: string;
  /** The address gateways call back on (webhooks); default http://HOST:PORT. */
  publicUrl: string;
  /** Where the embedded database and the generated admin key live (CASELINE_DATA_DIR). */
  dataDir: string;
  /** DATABASE_URL; default: caseline.db in the data directory. */
  databaseUrl: string;
  adminKey: string | null;
  logLevel: string;
  /** LOG_FORMAT (src/logging.ts); default auto. */
  logFormat: LogFormat;
  /** Queue worker: messages claimed per round, lease length, sends in flight at once. */
  worker: { batchSize: number; leaseMs: number; concurrency: number };
  /** HTTP API limits. */
  api: {
    /** Requests per minute per API key (per client address without a key); 0: no limit. Default 600. */
    rateLimitPerMinute: number;
    /** Largest request body, in bytes. Default 10 MiB. */
    bodyLimitBytes: number;
    /** Most cases in one batch request. Default 5,000. */
    batchLimit: number;
    /** Wrong API keys per client address per minute before it is refused until the minute
     *  ends (429); 0: no limit. Default 20. */
    authFailuresPerMinute: number;
  };
  /** CASELINE_ALLOW_PRIVATE_GATEWAYS: a project's gateways may reach private addresses (SPEC 3.6). */
  allowPrivateGateways: boolean;
  /** CASELINE_TRUST_PROXY: whose X-Forwarded-For gives the client address (Fastify's
   *  trustProxy: true, a hop count, or addresses/CIDRs); false: the connection's address. */
  trustProxy: boolean | number | string;
  /** /metrics: a bearer token it needs (CASELINE_METRICS_TOKEN), and whether its series name
   *  gateways (CASELINE_METRICS_TENANT_LABELS), which tell tenants apart. */
  metrics: { token: string | null; tenantLabels: boolean };
}

function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const text = (env[name] ?? '').trim().toLowerCase();
  if (text === '' || text === 'false' || text === '0') return false;
  if (text === 'true' || text === '1') return true;
  throw new PlainError(`${name} must be true or false, not '${env[name]}'`, `fix or unset ${name}`);
}

/** CASELINE_TRUST_PROXY as Fastify's trustProxy reads it: true, a hop count, or addresses. */
function trustProxy(env: NodeJS.ProcessEnv): boolean | number | string {
  const text = (env.CASELINE_TRUST_PROXY ?? '').trim();
  if (text === '' || text === 'false') return false;
  if (text === 'true') return true;
  if (/^\d+$/.test(text)) return Number(text);
  if (/^[0-9a-fA-F.:/]+(\s*,\s*[0-9a-fA-F.:/]+)*$/.test(text)) return text;
  throw new PlainError(
    `CASELINE_TRUST_PROXY must be true, a number of proxies, or the proxies' addresses (comma-separated, CIDR allowed), not '${text}'`,
    'fix or unset CASELINE_TRUST_PROXY',
  );
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new PlainError(
      `${name} must be a whole number of at least 1, not '${text}'`,
      `fix or unset ${name}`,
    );
  return value;
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new PlainError(
      `${name} must be a whole number of at least 0, not '${text}'`,
      `fix or unset ${name}`,
    );
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** The admin key when it is good enough for a server to start on (null: generate one). */
export function checkedAdminKey(config: Pick<Config, 'adminKey'>): string | null {
  const key = config.adminKey;
  if (key !== null && key.length < MIN_ADMIN_KEY_LENGTH)
    throw new PlainError(
      `CASELINE_ADMIN_KEY has ${key.length} characters; the server needs at least ${MIN_ADMIN_KEY_LENGTH}`,
      'set a longer one (e.g. openssl rand -hex 24), or unset it to have one generated',
    );
  return key;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new PlainError(
      `PORT must be a port number from 0 to 65535, not '${env.PORT}'`,
      'fix or unset PORT',
    );
  const host = env.HOST || '127.0.0.1';
  const dataDir = dataDirectory(env);
  const databaseUrl = env.DATABASE_URL || `sqlite:${databaseFile(dataDir)}`;
  parseDatabaseUrl(databaseUrl);
  const logFormat = env.LOG_FORMAT || 'auto';
  if (logFormat !== 'json' && logFormat !== 'pretty' && logFormat !== 'auto')
    throw new PlainError(
      `LOG_FORMAT must be json, pretty or auto, not '${logFormat}'`,
      'fix or unset LOG_FORMAT',
    );
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel))
    throw new PlainError(
      `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, not '${logLevel}'`,
      'fix or unset LOG_LEVEL',
    );
  return {
    port,
    host,
    publicUrl: env.CASELINE_PUBLIC_URL || `http://${host}:${port}`,
    dataDir,
    databaseUrl,
    adminKey: env.CASELINE_ADMIN_KEY || null,
    logLevel,
    logFormat,
    worker: {
      batchSize: positive(env, 'CASELINE_BATCH_SIZE', 100),
      leaseMs: positive(env, 'CASELINE_LEASE_MS', 60_000),
      concurrency: positive(env, 'CASELINE_CONCURRENCY', 16),
    },
    api: {
      rateLimitPerMinute: nonNegative(env, 'CASELINE_RATE_LIMIT', 600),
      bodyLimitBytes: positive(env, 'CASELINE_BODY_LIMIT', 10 * 1024 * 1024),
      batchLimit: positive(env, 'CASELINE_BATCH_LIMIT', 5_000),
      authFailuresPerMinute: nonNegative(env, 'CASELINE_AUTH_FAILURES_PER_MINUTE', 20),
    },
    allowPrivateGateways: flag(env, 'CASELINE_ALLOW_PRIVATE_GATEWAYS'),
    trustProxy: trustProxy(env),
    metrics: {
      token: env.CASELINE_METRICS_TOKEN || null,
      tenantLabels: flag(env, 'CASELINE_METRICS_TENANT_LABELS'),
    },
  };
}
