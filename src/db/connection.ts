// Chooses the dialect from a DATABASE_URL: 'sqlite:PATH', ':memory:', or 'postgres://...'. Each
// dialect's module (and its driver) is loaded only when used: pg is no part of a SQLite start.
import type { Db } from './dialect.ts';
import type { PostgresOptions } from './postgres/connection.ts';
import { parseDatabaseUrl } from './url.ts';

export async function openDatabase(url: string, options: PostgresOptions = {}): Promise<Db> {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite') {
    const { openSqlite } = await import('./sqlite/connection.ts');
    return openSqlite(target.path, options.onQuery);
  }
  const { openPostgres } = await import('./postgres/connection.ts');
  return openPostgres(url, options);
}
