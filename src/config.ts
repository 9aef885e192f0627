// The environment, read once: every setting with its default (SPEC 7).
import { DEFAULT_DATABASE_URL } from './db/connection.ts';

export interface Config {
  port: number;
  host: string;
  /** The address gateways call back on (webhooks); default http://HOST:PORT. */
  publicUrl: string;
  databaseUrl: string;
  adminKey: string | null;
  logLevel: string;
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
}

function positive(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a whole number of at least 1, not '${text}'`);
  return value;
}

function nonNegative(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0)
    throw new Error(`${name} must be a whole number of at least 0, not '${text}'`);
  return value;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    publicUrl: env.CASELINE_PUBLIC_URL || `http://${host}:${port}`,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    adminKey: env.CASELINE_ADMIN_KEY || null,
    logLevel: env.LOG_LEVEL || 'info',
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
  };
}
