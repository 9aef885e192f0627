// Opening the database at start: a PostgreSQL server that is not up yet is waited for, up to a
// patience (5 s for the server and the CLI, so a wrong host fails fast; a minute for a worker,
// often started beside its database), then the failure is one PlainError naming the host, the
// port and what to do. Once running, the pool and the worker loop ride out restarts themselves.
import type { Db } from './dialect.ts';
import { openDatabase } from './connection.ts';
import { describeTarget, parseDatabaseUrl, type DatabaseTarget } from './url.ts';
import { PlainError } from '../plain-error.ts';

/** Connection failures worth waiting out (the server is starting or restarting). */
const STARTING = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', '57P03']);

export interface ReachOptions {
  /** How long to keep trying a PostgreSQL server that refuses connections, in ms. */
  patienceMs: number;
  /** Told before each wait, with the error code and the wait in ms. */
  onWait?: (code: string, waitMs: number) => void;
}

/** Opens and migrates the database of `url`; any failure is a PlainError. */
export async function openMigrated(url: string, options: ReachOptions): Promise<Db> {
  return (await openAndMigrate(url, options)).db;
}

/** openMigrated, also telling how many migrations it applied. */
export async function openAndMigrate(
  url: string,
  options: ReachOptions,
): Promise<{ db: Db; applied: number }> {
  const target = parseDatabaseUrl(url);
  await reachDatabase(url, options);
  let db: Db | null = null;
  try {
    db = await openDatabase(url);
    const applied = await db.migrate();
    return { db, applied };
  } catch (error) {
    await db?.close().catch(() => undefined);
    throw plainDatabaseError(error, target);
  }
}

/** Waits until a PostgreSQL server answers (a PlainError once patience runs out); SQLite needs no wait. */
export async function reachDatabase(url: string, options: ReachOptions): Promise<void> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'postgres') await reachPostgres(url, target, options);
}

/** Connects once (a fresh client, with a timeout) until the server answers or patience runs out. */
async function reachPostgres(
  url: string,
  target: Extract<DatabaseTarget, { kind: 'postgres' }>,
  options: ReachOptions,
): Promise<void> {
  const { default: pg } = await import('pg');
  const started = performance.now();
  for (let wait = 250; ; wait = Math.min(wait * 2, 5_000)) {
    const left = started + options.patienceMs - performance.now();
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: Math.max(left, 200) });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.end();
      return;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = errorCode(error);
      if (!STARTING.has(code) || performance.now() + wait > started + options.patienceMs)
        throw plainDatabaseError(error, target, (performance.now() - started) / 1000);
      options.onWait?.(code, wait);
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}

/** The error's code: Node's (ECONNREFUSED), PostgreSQL's SQLSTATE or SQLite's; '' when none. */
export function errorCode(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  if ('code' in error && error.code) return String(error.code);
  // Node 20 tries every address of a name (IPv6 and IPv4) and reports them together.
  if (error instanceof AggregateError) return errorCode(error.errors[0]);
  // pg's own failures carry no code: its connection timeout, and a server that closed the
  // connection before answering.
  if (error instanceof Error && /timeout/i.test(error.message)) return 'ETIMEDOUT';
  if (error instanceof Error && /Connection terminated/i.test(error.message)) return 'ECONNRESET';
  return '';
}

const NETWORK: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was closed before PostgreSQL answered',
  ETIMEDOUT: 'no answer',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EAI_AGAIN: 'name lookup failed',
  '57P03': 'the server is starting up',
};

/** A database failure at start as one line; an error it does not know is returned as it is. */
export function plainDatabaseError(error: unknown, target: DatabaseTarget, afterSeconds?: number): unknown {
  if (error instanceof PlainError) return error;
  const code = errorCode(error);
  const where = describeTarget(target);
  const message = error instanceof Error ? error.message : String(error);
  if (target.kind === 'postgres') {
    const after =
      afterSeconds !== undefined && afterSeconds >= 1 ? ` after ${afterSeconds.toFixed(0)} s` : '';
    if (code in NETWORK)
      return new PlainError(
        `cannot reach ${where} (${NETWORK[code]}${after})`,
        'start PostgreSQL there, or correct the host and port in DATABASE_URL',
        { cause: error },
      );
    if (code === 'ENOTFOUND')
      return new PlainError(`cannot reach ${where}: no such host`, 'correct the host in DATABASE_URL', {
        cause: error,
      });
    if (code === '28P01' || code === '28000')
      return new PlainError(
        `${where} refused user '${target.user}' (${message})`,
        'correct the user and password in DATABASE_URL, or allow the user in pg_hba.conf',
        { cause: error },
      );
    if (code === '3D000')
      return new PlainError(
        `${where} has no database '${target.database}'`,
        `create it: createdb -h ${target.host} -p ${target.port} -U ${target.user} ${target.database}`,
        { cause: error },
      );
    if (code === '42501')
      return new PlainError(
        `${where}: user '${target.user}' may not create caseline's tables in '${target.database}' (${message})`,
        `make the user the database's owner: ALTER DATABASE ${target.database} OWNER TO ${target.user}`,
        { cause: error },
      );
    return error;
  }
  if (
    code === 'EACCES' ||
    code === 'EPERM' ||
    code === 'EROFS' ||
    code === 'SQLITE_CANTOPEN' ||
    code === 'SQLITE_READONLY'
  )
    return new PlainError(
      `cannot open ${where} (${message})`,
      'make its folder writable, or set CASELINE_DATA_DIR or DATABASE_URL=sqlite:PATH elsewhere',
      { cause: error },
    );
  if (code === 'SQLITE_NOTADB' || code === 'SQLITE_CORRUPT')
    return new PlainError(
      `${where} is not a caseline database (${message})`,
      'point DATABASE_URL at the right file, or move this one away',
      { cause: error },
    );
  return error;
}
