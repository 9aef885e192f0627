// PostgreSQL through a pg Pool. An optional schema isolates a database per test or scenario.
import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import type { Db, Dialect, Executor } from '../dialect.ts';
import { loadMigrations, MIGRATIONS_TABLE } from '../migrations.ts';
import { insertUnnest } from './unnest.ts';
import type { Database } from '../schema.ts';

// BIGINT (epoch ms, counts, ids) as numbers: every value we store fits a double exactly.
pg.types.setTypeParser(pg.types.builtins.INT8, (value: string) => Number(value));

const postgresDialect: Dialect = {
  name: 'postgres',
  async lockKeys(tx: Executor, keys: readonly string[]) {
    // Sorted, so two transactions locking overlapping sets cannot deadlock; in one statement,
    // taken in the array's order (the OFFSET 0 subquery keeps the order to the aggregate).
    const sorted = [...new Set(keys)].sort();
    if (sorted.length === 0) return;
    if (sorted.length === 1) {
      await sql`SELECT pg_advisory_xact_lock(hashtextextended(${sorted[0]}, 0))`.execute(tx);
      return;
    }
    await sql`SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0))) FROM (SELECT k FROM unnest(${sorted}::text[]) WITH ORDINALITY AS t(k, n) ORDER BY n OFFSET 0) AS ordered`.execute(
      tx,
    );
  },
  skipLocked: (query) => query.forUpdate().skipLocked(),
  isUniqueViolation: (error) => codeOf(error) === '23505',
  isRetryable: (error) => ['40001', '40P01'].includes(codeOf(error)),
  insertRows: insertUnnest,
};

function codeOf(error: unknown): string {
  return typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
}

export interface PostgresOptions {
  /** Use (and create) this schema instead of public. */
  schema?: string;
  /** Pool size; the default suits one process on a small machine. */
  max?: number;
  /** application_name of the pool's connections: lets a benchmark find its server backends. */
  applicationName?: string;
  /** Called once for every statement run through Kysely (the benchmarks count them). */
  onQuery?: () => void;
}

export async function openPostgres(url: string, options: PostgresOptions = {}): Promise<Db> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema))
    throw new Error(`invalid schema name '${schema}'`);
  if (schema !== undefined) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } catch (error) {
      // Two processes creating the same schema at once: the loser's IF NOT EXISTS still fails.
      if (!['23505', '42P06'].includes(codeOf(error))) throw error;
    } finally {
      await client.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 10,
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
    ...(options.applicationName !== undefined ? { application_name: options.applicationName } : {}),
  });
  // A client that loses its server (a restart, a terminated session) must not crash the
  // process: the pool reports an idle client's loss on the pool; a client out of the pool emits
  // 'error' itself when the loss arrives between two of its queries (PostgreSQL's FATAL 57P01
  // "terminating connection due to administrator command" with no query running), and an
  // 'error' event nobody listens to kills the process. Either way the query in flight or the
  // next one fails, the caller (the worker loop) retries, and the pool discards the client on
  // release.
  pool.on('error', () => undefined);
  pool.on('connect', (client) => client.on('error', () => undefined));
  const onQuery = options.onQuery;
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({ pool }),
    ...(onQuery ? { log: () => onQuery() } : {}),
  });
  return {
    kysely,
    dialect: postgresDialect,
    migrate: () => migratePostgres(pool),
    close: () => kysely.destroy(),
  };
}

async function migratePostgres(pool: pg.Pool): Promise<number> {
  const migrations = loadMigrations('postgres');
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // One migrator at a time per schema; the others wait, then find nothing left to do.
    await client.query("SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':migrate', 0))");
    await client.query(MIGRATIONS_TABLE);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM caseline_migrations');
    const applied = new Set(rows.map((row) => Number(row.version)));
    const pending = migrations.filter((m) => !applied.has(m.version));
    for (const migration of pending) {
      await client.query(migration.sql);
      await client.query('INSERT INTO caseline_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [
        migration.version,
        migration.name,
        Date.now(),
      ]);
    }
    await client.query('COMMIT');
    return pending.length;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

/** Drops a schema made for a test or a scenario. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await client.end();
  }
}
