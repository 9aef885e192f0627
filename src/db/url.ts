// DATABASE_URL, read once: `sqlite:PATH`, `:memory:`, or `postgres://user:password@host:port/db`.
// Errors name the variable and a well-formed example, so the operator sees what to type.
import { userInfo } from 'node:os';
import { PlainError } from '../plain-error.ts';

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | {
      kind: 'postgres';
      host: string;
      port: number;
      database: string;
      user: string;
    };

const EXAMPLES = 'sqlite:/path/to/caseline.db or postgres://user:password@host:5432/database';

export function parseDatabaseUrl(url: string, name = 'DATABASE_URL'): DatabaseTarget {
  if (url === ':memory:' || url === 'sqlite::memory:') return { kind: 'sqlite', path: ':memory:' };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length);
    if (path === '') throw new PlainError(`${name} 'sqlite:' names no file`, `write it as ${EXAMPLES}`);
    return { kind: 'sqlite', path };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      throw new PlainError(
        `${name} '${redactUrl(url)}' is not a valid URL (a bad port or a character to %-encode?)`,
        `write it as ${EXAMPLES}`,
      );
    }
    // pg: a host may instead be given as ?host= (a socket folder); the default is localhost.
    const host = decodeURIComponent(parsed.hostname) || parsed.searchParams.get('host') || 'localhost';
    // Messages name the user; pg's default is the one the process runs as.
    const user = decodeURIComponent(parsed.username) || userInfo().username;
    const database = decodeURIComponent(parsed.pathname.slice(1)) || user;
    if (database.includes('/'))
      throw new PlainError(
        `${name} '${redactUrl(url)}' has more than a database name after the host`,
        `write it as ${EXAMPLES}`,
      );
    return { kind: 'postgres', host, port: parsed.port ? Number(parsed.port) : 5432, database, user };
  }
  throw new PlainError(
    `${name} '${redactUrl(url)}' is neither sqlite: nor postgres://`,
    `write it as ${EXAMPLES}`,
  );
}

/** The URL without its password, for logs and messages. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

/** Where the database is, for a message: "PostgreSQL at host:5432" or "SQLite file PATH". */
export function describeTarget(target: DatabaseTarget): string {
  return target.kind === 'sqlite'
    ? `the SQLite file ${target.path}`
    : `PostgreSQL at ${target.host}:${target.port}`;
}
