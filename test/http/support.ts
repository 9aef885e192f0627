// An API server (with the operator console) on a test database (SQLite in memory or a fresh
// PostgreSQL schema) with an admin key, a virtual clock and helpers to call it through inject.
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import type { FastifyBaseLogger, FastifyInstance, LightMyRequestResponse, RouteOptions } from 'fastify';
import { ensureAdminKey } from '../../src/app/access/keys.ts';
import { VirtualClock } from '../../src/clock.ts';
import type { Config } from '../../src/config.ts';
import type { OutboundPolicy } from '../../src/app/ports/outbound.ts';
import type { Db } from '../../src/db/dialect.ts';
import { createConsoleLists } from '../../src/db/console-lists-read.ts';
import { createConsoleReads } from '../../src/db/console-read.ts';
import { createConsoleSessionRepo } from '../../src/db/console-sessions.ts';
import { checkWritable } from '../../src/db/health.ts';
import { createReadModel } from '../../src/db/read-model.ts';
import { createApiKeyRepo } from '../../src/db/repos/api-keys.ts';
import { createGatewayRemoval } from '../../src/db/repos/gateway-removal.ts';
import { buildApp } from '../../src/cli/app.ts';
import { gatewayCatalog } from '../../src/gateways/registry.ts';
import { createMetrics } from '../../src/metrics.ts';
import { openTestDb, START, type DatabaseName, type TestDb } from '../support/databases.ts';

export const ADMIN_KEY = 'test-admin-key';
/** The server's public address in tests (what Twilio signatures cover). */
export const PUBLIC_URL = 'https://caseline.example.org';

export interface TestApi {
  app: FastifyInstance;
  t: TestDb;
  clock: VirtualClock;
  call(
    method: string,
    url: string,
    options?: { key?: string | null; body?: unknown; headers?: Record<string, string>; payload?: string },
  ): Promise<LightMyRequestResponse>;
  /** Calls the API with the admin key, asserts success and returns the JSON answer. */
  ok(method: string, url: string, body?: unknown): Promise<ReturnType<typeof JSON.parse>>;
  /** Creates a project key through the API. */
  projectKey(project: string): Promise<string>;
  close(): Promise<void>;
}

export async function openApi(
  name: DatabaseName,
  api: Partial<Config['api']> = {},
  options: {
    /** /metrics, with gateway labels when `tenantLabels`. */
    metrics?: boolean | { tenantLabels: boolean };
    loggerInstance?: FastifyBaseLogger;
    /** The outbound address guard; default lifted (CASELINE_ALLOW_PRIVATE_GATEWAYS=true), as
     *  tests' gateways are servers on 127.0.0.1. */
    outbound?: OutboundPolicy;
    /** Other server settings (CASELINE_TRUST_PROXY, /metrics). */
    config?: Partial<Pick<Config, 'trustProxy' | 'metrics'>>;
    /** Sees every route as it is added (the routes are added in plugins, at ready). */
    onRoute?: (route: RouteOptions) => void;
  } = {},
): Promise<TestApi> {
  const t = await openTestDb(name);
  const clock = new VirtualClock(START);
  const keys = createApiKeyRepo(t.db.kysely);
  await ensureAdminKey(keys, clock, ADMIN_KEY);
  const app = buildApp({
    store: t.store,
    clock,
    config: {
      // Rate limits are off unless a test turns them on (as the rate-limit tests do).
      api: {
        rateLimitPerMinute: 0,
        bodyLimitBytes: 1024 * 1024,
        batchLimit: 100,
        authFailuresPerMinute: 0,
        ...api,
      },
      publicUrl: PUBLIC_URL,
      ...options.config,
    },
    outbound: options.outbound ?? { allowPrivate: true, resolve: () => Promise.resolve([]) },
    readModel: createReadModel(t.db),
    keys,
    gatewayRemoval: createGatewayRemoval(t.db.kysely),
    gatewayTypes: gatewayCatalog,
    isConflict: (error) => t.db.dialect.isUniqueViolation(error),
    healthProbe: () => checkWritable(t.db),
    ...(options.metrics
      ? { metrics: createMetrics(t.store, clock, options.metrics === true ? {} : options.metrics) }
      : {}),
    // The console is on in every API test too, which shows its scope leaves the API alone.
    console: {
      sessions: createConsoleSessionRepo(t.db.kysely),
      reads: createConsoleReads(t.db),
      lists: createConsoleLists(t.db),
    },
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: false }),
  });
  if (options.onRoute) app.addHook('onRoute', options.onRoute);
  await app.ready();
  const call: TestApi['call'] = (method, url, options = {}) => {
    const key = options.key === undefined ? ADMIN_KEY : options.key;
    const headers: Record<string, string> = {
      ...(key === null ? {} : { authorization: `Bearer ${key}` }),
      ...options.headers,
    };
    if (options.payload !== undefined) {
      return app.inject({
        method: method as 'GET',
        url,
        headers: { 'content-type': 'application/json', ...headers },
        payload: options.payload,
      });
    }
    return app.inject({
      method: method as 'GET',
      url,
      headers,
      ...(options.body !== undefined ? { payload: options.body as object } : {}),
    });
  };
  return {
    app,
    t,
    clock,
    call,
    async ok(method, url, body) {
      const response = await call(method, url, { body });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
      return response.json();
    },
    async projectKey(project) {
      const response = await call('POST', `/api/v1/projects/${project}/keys`, { body: { name: 'test' } });
      assert.equal(response.statusCode, 201, response.body);
      return (response.json() as { key: string }).key;
    },
    async close() {
      await app.close();
      await t.close();
    },
  };
}

/** Every row of every table, as sorted JSON lines per table. */
export async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const query =
    db.dialect.name === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  // config_version counts configuration writes for the inbound cache (app/config-cache.ts): a
  // save that rewrites identical rows moves it, a reload and no change of stored data.
  const tables = (await query.execute(db.kysely)).rows
    .map((row) => row.name)
    .filter((name) => name !== 'config_version')
    .sort();
  assert.ok(tables.length >= 10, `expected the whole schema, found tables ${tables.join(', ')}`);
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.kysely))
      .rows;
    result[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

/** The error body of a response, checked for shape. */
export function errorOf(response: LightMyRequestResponse): { code: string; message: string; field?: string } {
  const body = response.json() as { error?: { code: string; message: string; field?: string } };
  assert.ok(body.error, `expected an error body, got ${response.body}`);
  assert.equal(typeof body.error.code, 'string');
  assert.equal(typeof body.error.message, 'string');
  return body.error;
}

/** Per table: its row count, and how many rows were created or updated at or after an instant
 *  (tables with such columns) — one query, cheap enough to run after every request. */
export async function tableFingerprint(
  db: Db,
): Promise<(since: number) => Promise<{ counts: string; touched: string }>> {
  const tables = Object.keys(await snapshot(db));
  const columns = async (table: string): Promise<string[]> => {
    const query =
      db.dialect.name === 'sqlite'
        ? sql<{ name: string }>`SELECT name FROM pragma_table_info(${table})`
        : sql<{ name: string }>`SELECT column_name AS name FROM information_schema.columns
            WHERE table_schema = current_schema() AND table_name = ${table}`;
    return (await query.execute(db.kysely)).rows.map((row) => row.name);
  };
  const parts: string[] = [];
  for (const table of tables) {
    const stamps = (await columns(table)).filter((c) => c === 'created_at' || c === 'updated_at');
    const touched = stamps.length > 0 ? stamps.map((c) => `${c} >= $SINCE`).join(' OR ') : 'FALSE';
    parts.push(
      `SELECT '${table}' AS t, COUNT(*) AS n, SUM(CASE WHEN ${touched} THEN 1 ELSE 0 END) AS touched FROM ${table}`,
    );
  }
  const text = parts.join(' UNION ALL ');
  return async (since) => {
    const rows = (
      await sql<{ t: string; n: number | string; touched: number | string | null }>`${sql.raw(
        text.replaceAll('$SINCE', String(Math.trunc(since))),
      )}`.execute(db.kysely)
    ).rows.sort((a, b) => a.t.localeCompare(b.t));
    return {
      counts: rows.map((row) => `${row.t}:${row.n}`).join(','),
      touched: rows
        .filter((row) => Number(row.touched ?? 0) > 0)
        .map((row) => `${row.t}:${row.touched}`)
        .join(','),
    };
  };
}
