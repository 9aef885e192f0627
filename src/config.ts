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
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not '${env.PORT}'`);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    publicUrl: env.CASELINE_PUBLIC_URL || `http://${host}:${port}`,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    adminKey: env.CASELINE_ADMIN_KEY || null,
    logLevel: env.LOG_LEVEL || 'info',
  };
}
