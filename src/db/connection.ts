// Chooses the dialect from a DATABASE_URL: 'sqlite:PATH', ':memory:', or 'postgres://...'.
import type { Db } from './dialect.ts';
import { openPostgres, type PostgresOptions } from './postgres/connection.ts';
import { openSqlite } from './sqlite/connection.ts';

export const DEFAULT_DATABASE_URL = 'sqlite:./data/caseline.db';

export async function openDatabase(url: string, options: PostgresOptions = {}): Promise<Db> {
  if (url === ':memory:' || url === 'sqlite::memory:') return openSqlite(':memory:');
  if (url.startsWith('sqlite:')) return openSqlite(url.slice('sqlite:'.length));
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) return openPostgres(url, options);
  throw new Error(`DATABASE_URL must be sqlite:PATH or postgres://..., not '${url}'`);
}
