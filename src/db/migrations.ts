// Numbered, append-only SQL migrations: migrations/<dialect>/NNNN_name.sql.
import { readdirSync, readFileSync } from 'node:fs';
import { packagePath } from '../paths.ts';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

const root = packagePath('migrations') + '/';

export function loadMigrations(dialect: 'sqlite' | 'postgres'): Migration[] {
  const folder = `${root}${dialect}/`;
  return readdirSync(folder)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(folder + file, 'utf8'),
    }));
}

export const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS caseline_migrations (
  version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)`;
