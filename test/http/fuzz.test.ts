// Property: bad requests never break the server and never change the database. Over 4,000
// generated requests on SQLite (and a shorter run on PostgreSQL, whose text and integer types
// are stricter): every write is refused with a 4xx error body (a batch answers 200 with every
// item refused), no request answers 5xx, and every table is as it was. FUZZ_SCALE=10 runs ten
// times as many here and in the schema-driven property below (a deeper run than CI's).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { DatabaseName } from '../support/databases.ts';
import { badRequest, type BadRequest } from './bad-payloads.ts';
import { fuzzable, requestTo, type Route } from './schema-payloads.ts';
import { ADMIN_KEY, openApi, snapshot, tableFingerprint, type TestApi } from './support.ts';

const SCALE = Number(process.env.FUZZ_SCALE ?? 1) || 1;
const RUNS: Record<DatabaseName, number> = { sqlite: 4_000 * SCALE, postgres: 1_500 * SCALE };

async function seed(api: TestApi): Promise<string> {
  const ok = async (method: string, url: string, body: unknown) => {
    const response = await api.call(method, url, { body });
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
  };
  await ok('PUT', '/api/v1/projects/p1', { default_country: 'KE' });
  await ok('PUT', '/api/v1/projects/p2', {});
  await ok('PUT', '/api/v1/projects/p1/gateways/gw-p1', { type: 'test', default: true });
  await ok('PUT', '/api/v1/gateways/gw-global', { type: 'test' });
  await ok('PUT', '/api/v1/projects/p1/cases/c1', { properties: { contact_phone_number: '+254712345678' } });
  await ok('PUT', '/api/v1/projects/p1/mobile-workers/w1', { phone_numbers: ['+254711111111'] });
  await ok('PUT', '/api/v1/projects/p1/mobile-workers/w2', { username: 'taken' });
  await ok('POST', '/api/v1/projects/p1/messages', { to: { case: 'c1' }, text: 'hello' });
  const schedule = { type: 'daily', time: '09:00' };
  await ok('PUT', '/api/v1/projects/p1/alerts/a1', {
    case_type: 'patient',
    criteria: [],
    schedule,
    content: { text: 'hi' },
  });
  await ok('PUT', '/api/v1/projects/p1/broadcasts/b1', {
    recipients: [{ case: 'c1' }],
    schedule,
    content: { text: 'hi' },
  });
  await ok('PUT', '/api/v1/projects/p1/surveys/s1', {
    questions: [{ id: 'q', type: 'text', text: { '*': 'Q?' } }],
  });
  await ok('PUT', '/api/v1/projects/p1/keywords/visit', {
    action: 'survey',
    survey: 's1',
    reply: { text: 'hi' },
  });
  return api.projectKey('p1');
}

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`bad requests on ${name}`, () => {
    let api: TestApi;
    let p1Key: string;
    before(async () => {
      api = await openApi(name, { batchLimit: 10 });
      p1Key = await seed(api);
    });
    after(() => api.close());

    test(`${RUNS[name]} generated bad requests: no 5xx, writes refused, nothing changes`, async () => {
      const before = await snapshot(api.t.db);
      const statuses = new Map<number, number>();
      const send = (request: BadRequest) => {
        const authorization = `Bearer ${request.key === 'p1' ? p1Key : 'test-admin-key'}`;
        if (request.raw) {
          return api.app.inject({
            method: request.method as 'POST',
            url: request.url,
            headers: { authorization, 'content-type': request.raw.type },
            payload: request.raw.text,
          });
        }
        return api.app.inject({
          method: request.method as 'POST',
          url: request.url,
          headers: { authorization },
          ...(request.body !== undefined
            ? {
                payload: JSON.stringify(request.body),
                headers: { authorization, 'content-type': 'application/json' },
              }
            : {}),
        });
      };
      await fc.assert(
        fc.asyncProperty(badRequest, async (request) => {
          const response = await send(request);
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          assert.ok(
            response.statusCode < 500,
            `${request.method} ${request.url}: ${response.statusCode} ${response.body}`,
          );
          if (request.kind === 'read') return;
          if (request.kind === 'batch' && response.statusCode === 200) {
            const counts = (response.json() as { counts: Record<string, number> }).counts;
            assert.equal(
              (counts.created ?? 0) + (counts.updated ?? 0) + (counts.ignored ?? 0),
              0,
              `a bad batch item was applied: ${JSON.stringify(request.body)}`,
            );
            return;
          }
          assert.ok(
            response.statusCode >= 400,
            `accepted: ${request.method} ${request.url} ${JSON.stringify(request.body ?? request.raw)} → ${response.statusCode} ${response.body}`,
          );
          const body = response.json() as { error?: { code?: unknown; message?: unknown } };
          assert.equal(typeof body.error?.code, 'string', response.body);
          assert.equal(typeof body.error?.message, 'string', response.body);
        }),
        { numRuns: RUNS[name] },
      );
      assert.deepEqual(await snapshot(api.t.db), before, 'a refused request changed the database');
      assert.ok([...statuses.keys()].every((status) => status < 500));
    });
  });
}

// Every route, its payloads generated from its own schema (schema-payloads.ts): no 5xx, a
// refused write changes nothing, an accepted write reads back. The routes are the app's own,
// collected as it adds them, so a new route is fuzzed without a line here.
const SCHEMA_RUNS = 5_000 * SCALE;

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`every route from its schema on ${name}`, () => {
    let api: TestApi;
    let p1Key: string;
    const routes: Route[] = [];
    before(async () => {
      api = await openApi(name, { batchLimit: 10 }, { onRoute: (route) => routes.push(...fuzzable(route)) });
      p1Key = await seed(api);
    });
    after(() => api.close());

    test(`${SCHEMA_RUNS} requests over every API route and webhook: no 5xx, no half-saved object`, async () => {
      assert.ok(routes.length >= 70, `only ${routes.length} routes collected`);
      assert.ok(
        routes.some((route) => route.url.startsWith('/gateways/')),
        'the webhooks are fuzzed',
      );
      const gets = new Set(routes.filter((r) => r.method === 'GET').map((r) => r.url));
      const fingerprint = await tableFingerprint(api.t.db);
      let baseline = { counts: (await fingerprint(0)).counts, touched: '' };
      const statuses = new Map<number, number>();
      const started = performance.now();
      await fc.assert(
        fc.asyncProperty(requestTo(routes), async (request) => {
          api.clock.set(api.clock.now() + 1000);
          const at = api.clock.now();
          const response = await api.call(request.route.method, request.url, {
            key: request.key === 'p1' ? p1Key : ADMIN_KEY,
            ...(request.body === undefined ? {} : { payload: JSON.stringify(request.body) }),
          });
          statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
          const what = `${request.route.method} ${request.url} ${JSON.stringify(request.body)}`;
          assert.ok(response.statusCode < 500, `${what} → ${response.statusCode} ${response.body}`);
          if (request.route.method === 'GET') return;
          const now = await fingerprint(at);
          if (response.statusCode >= 400) {
            assert.deepEqual(now, baseline, `refused yet changed: ${what} → ${response.body}`);
            return;
          }
          baseline = { counts: now.counts, touched: '' };
          if (request.route.method !== 'PUT' && request.route.method !== 'PATCH') return;
          // Accepted: the object reads back, and so does the list it is in.
          const path = request.url.split('?')[0] ?? '';
          if (gets.has(request.route.url)) {
            const read = await api.call('GET', path, { key: request.key === 'p1' ? p1Key : ADMIN_KEY });
            assert.equal(read.statusCode, 200, `${what} accepted, then GET → ${read.body}`);
          }
          const parent = request.route.url.replace(/\/:\w+$/, '');
          if (parent !== request.route.url && gets.has(parent)) {
            const list = await api.call('GET', path.replace(/\/[^/]+$/, ''));
            assert.equal(list.statusCode, 200, `${what} accepted, then its list → ${list.body}`);
          }
        }),
        { numRuns: SCHEMA_RUNS },
      );
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${name}: ${SCHEMA_RUNS} requests over ${routes.length} routes in ${seconds.toFixed(1)} s`,
        [...statuses],
      );
    });
  });
}
