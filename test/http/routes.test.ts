// Every route of the API, on both databases: a success, a validation error naming the field,
// a missing resource (404); and, generated from the route table, a missing or wrong key (401)
// and another project's key (404) — each of those changing nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, snapshot, type TestApi } from './support.ts';

interface Call {
  url: string;
  body?: unknown;
  /** Which key: admin (default), p1's key, or none. */
  as?: 'admin' | 'p1';
}

interface RouteCase {
  route: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies of many shapes, checked field by field
  success: Call & { status: number; check?: (body: any) => void };
  bad: Call & { field: string; status?: number };
  /** null: the route answers for anything (a list, an upsert, a number's state). */
  notFound: Call | null;
}

const LONG = 'x'.repeat(201);
const KE = '+254712345678';

/** The table: one entry per route, in the order they run (later ones may use earlier state). */
const CASES: RouteCase[] = [
  {
    route: 'GET /api/v1/projects',
    success: { url: '/api/v1/projects', status: 200, check: (b) => assert.ok(b.projects.some((p: { id: string }) => p.id === 'p1')) },
    bad: { url: '/api/v1/projects?limit=0', field: 'limit' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/projects/:project',
    success: { url: '/api/v1/projects/p3', body: { time_zone: 'Africa/Nairobi' }, status: 201, check: (b) => assert.equal(b.settings.time_zone, 'Africa/Nairobi') },
    bad: { url: '/api/v1/projects/p3', body: { daily_sms_limit: -1 }, field: 'daily_sms_limit' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project',
    success: { url: '/api/v1/projects/p1', as: 'p1', status: 200, check: (b) => assert.equal(b.id, 'p1') },
    bad: { url: `/api/v1/projects/${LONG}`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/keys',
    success: { url: '/api/v1/projects/p3/keys', body: { name: 'app' }, status: 201, check: (b) => assert.match(b.key, /^cl_/) },
    bad: { url: '/api/v1/projects/p3/keys', body: { name: 5 }, field: 'name' },
    notFound: { url: '/api/v1/projects/nope/keys', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/keys',
    success: { url: '/api/v1/projects/p3/keys', status: 200, check: (b) => assert.ok(b.keys.length >= 1 && b.keys.every((k: object) => !('key' in k))) },
    bad: { url: `/api/v1/projects/${LONG}/keys`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/keys' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/keys/:id',
    success: { url: '/api/v1/projects/p3/keys/{p3key}', status: 204 },
    bad: { url: `/api/v1/projects/p3/keys/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p3/keys/key_nope' },
  },
  {
    route: 'PUT /api/v1/projects/:project/gateways/:id',
    success: { url: '/api/v1/projects/p1/gateways/gw-p1b', as: 'p1', body: { type: 'test', prefixes: ['256'] }, status: 201, check: (b) => assert.equal(b.project, 'p1') },
    bad: { url: '/api/v1/projects/p1/gateways/gw-p1b', as: 'p1', body: { type: 'http', config: { url: 'ftp://x' } }, field: 'config.url' },
    notFound: { url: '/api/v1/projects/nope/gateways/gw9', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways',
    success: { url: '/api/v1/projects/p1/gateways', as: 'p1', status: 200, check: (b) => assert.deepEqual(b.gateways.map((g: { id: string }) => g.id).sort(), ['gw-p1', 'gw-p1b']) },
    bad: { url: `/api/v1/projects/${LONG}/gateways`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/gateways' },
  },
  {
    route: 'GET /api/v1/projects/:project/gateways/:id',
    success: { url: '/api/v1/projects/p1/gateways/gw-p1', as: 'p1', status: 200, check: (b) => assert.equal(b.default, true) },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-global' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/gateways/:id',
    success: { url: '/api/v1/projects/p1/gateways/gw-p1b', as: 'p1', status: 204 },
    bad: { url: `/api/v1/projects/p1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/projects/p1/gateways/gw-none' },
  },
  {
    route: 'PUT /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-global2', body: { type: 'test', prefixes: ['1'] }, status: 201, check: (b) => assert.equal(b.project, null) },
    bad: { url: '/api/v1/gateways/gw-global2', body: { prefixes: ['12a'] }, field: 'prefixes[0]' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/gateways',
    success: { url: '/api/v1/gateways', status: 200, check: (b) => assert.ok(b.gateways.some((g: { id: string }) => g.id === 'gw-global')) },
    bad: { url: '/api/v1/gateways?x=1', field: 'querystring' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-p1', status: 200, check: (b) => assert.equal(b.project, 'p1') },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/nope' },
  },
  {
    route: 'DELETE /api/v1/gateways/:id',
    success: { url: '/api/v1/gateways/gw-global2', status: 204 },
    bad: { url: `/api/v1/gateways/${LONG}`, field: 'id' },
    notFound: { url: '/api/v1/gateways/gw-none' },
  },
  {
    route: 'PUT /api/v1/projects/:project/cases/:id',
    success: { url: '/api/v1/projects/p1/cases/c2', as: 'p1', body: { name: 'Baraka', properties: { contact_phone_number: '+254712345679' } }, status: 201, check: (b) => assert.equal(b.status, 'created') },
    bad: { url: '/api/v1/projects/p1/cases/c2', as: 'p1', body: { closed: 'yes' }, field: 'closed' },
    notFound: { url: '/api/v1/projects/nope/cases/c2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/cases',
    success: { url: '/api/v1/projects/p1/cases?limit=1', as: 'p1', status: 200, check: (b) => assert.equal(b.cases.length, 1) },
    bad: { url: '/api/v1/projects/p1/cases?limit=abc', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/cases' },
  },
  {
    route: 'GET /api/v1/projects/:project/cases/:id',
    success: { url: '/api/v1/projects/p1/cases/c1', as: 'p1', status: 200, check: (b) => assert.equal(b.properties.contact_phone_number, KE) },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'DELETE /api/v1/projects/:project/cases/:id',
    success: { url: '/api/v1/projects/p1/cases/c2', as: 'p1', status: 200, check: (b) => assert.equal(b.case.deleted, true) },
    bad: { url: `/api/v1/projects/p1/cases/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/cases/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/cases/batch',
    success: { url: '/api/v1/projects/p1/cases/batch', as: 'p1', body: { cases: [{ id: 'b1' }, { id: 'b2', type: 7 }] }, status: 200, check: (b) => assert.deepEqual(b.counts, { created: 1, updated: 0, ignored: 0, errors: 1 }) },
    bad: { url: '/api/v1/projects/p1/cases/batch', as: 'p1', body: { cases: 'b1' }, field: 'cases' },
    notFound: { url: '/api/v1/projects/nope/cases/batch', body: { cases: [] } },
  },
  {
    route: 'PUT /api/v1/projects/:project/mobile-workers/:id',
    success: { url: '/api/v1/projects/p1/mobile-workers/w2', as: 'p1', body: { name: 'Wanjiru', phone_numbers: ['+254712345670'] }, status: 201 },
    bad: { url: '/api/v1/projects/p1/mobile-workers/w2', as: 'p1', body: { phone_numbers: '+254712345670' }, field: 'phone_numbers' },
    notFound: { url: '/api/v1/projects/nope/mobile-workers/w2', body: {} },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers',
    success: { url: '/api/v1/projects/p1/mobile-workers', as: 'p1', status: 200, check: (b) => assert.deepEqual(b.mobile_workers.map((w: { id: string }) => w.id), ['w1', 'w2']) },
    bad: { url: '/api/v1/projects/p1/mobile-workers?limit=501', as: 'p1', field: 'limit' },
    notFound: { url: '/api/v1/projects/nope/mobile-workers' },
  },
  {
    route: 'GET /api/v1/projects/:project/mobile-workers/:id',
    success: { url: '/api/v1/projects/p1/mobile-workers/w1', as: 'p1', status: 200, check: (b) => assert.equal(b.name, 'Otieno') },
    bad: { url: `/api/v1/projects/p1/mobile-workers/${LONG}`, as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope' },
  },
  {
    route: 'POST /api/v1/projects/:project/mobile-workers/:id/verifications',
    success: { url: '/api/v1/projects/p1/mobile-workers/w1/verifications', as: 'p1', body: { number: '+254 711 111 111' }, status: 200, check: (b) => assert.equal(b.result, 'WORKFLOW_STARTED') },
    bad: { url: '/api/v1/projects/p1/mobile-workers/w1/verifications', as: 'p1', body: { number: '+254 799 999 999' }, field: 'number' },
    notFound: { url: '/api/v1/projects/p1/mobile-workers/nope/verifications', body: { number: KE } },
  },
  {
    route: 'POST /api/v1/projects/:project/messages',
    success: { url: '/api/v1/projects/p1/messages', as: 'p1', body: { to: { case: 'c1' }, text: 'Hello' }, status: 202, check: (b) => assert.equal(b.sub_events[0].error, null) },
    bad: { url: '/api/v1/projects/p1/messages', as: 'p1', body: { to: { patient: 'c1' }, text: 'Hello' }, field: 'to' },
    notFound: { url: '/api/v1/projects/nope/messages', body: { to: { case: 'c1' }, text: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/messages',
    success: { url: `/api/v1/projects/p1/messages?contact=case:c1&number=${encodeURIComponent(KE)}`, as: 'p1', status: 200, check: (b) => assert.ok(b.messages.length >= 1 && b.messages.every((m: { phone: string }) => m.phone === '254712345678')) },
    bad: { url: '/api/v1/projects/p1/messages?status=lost', as: 'p1', field: 'status' },
    notFound: { url: '/api/v1/projects/nope/messages' },
  },
  {
    route: 'GET /api/v1/projects/:project/messages/:id',
    success: { url: '/api/v1/projects/p1/messages/{message}', as: 'p1', status: 200, check: (b) => assert.equal(b.event.sub_events.length, 1) },
    bad: { url: '/api/v1/projects/p1/messages/abc', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/messages/999999' },
  },
  {
    route: 'GET /api/v1/projects/:project/events',
    success: { url: '/api/v1/projects/p1/events?source=api', as: 'p1', status: 200, check: (b) => assert.ok(b.events.length >= 1) },
    bad: { url: '/api/v1/projects/p1/events?from=yesterday', as: 'p1', field: 'from' },
    notFound: { url: '/api/v1/projects/nope/events' },
  },
  {
    route: 'GET /api/v1/projects/:project/events/:id',
    success: { url: '/api/v1/projects/p1/events/{event}', as: 'p1', status: 200, check: (b) => assert.equal(b.sub_events[0].recipient.id, 'c1') },
    bad: { url: '/api/v1/projects/p1/events/0', as: 'p1', field: 'id' },
    notFound: { url: '/api/v1/projects/p1/events/999999' },
  },
  {
    route: 'GET /api/v1/projects/:project/contacts/:kind/:id/why',
    success: { url: '/api/v1/projects/p1/contacts/case/c1/why', as: 'p1', status: 200, check: (b) => assert.equal(b.phone_status, 'ONE_WAY') },
    bad: { url: '/api/v1/projects/p1/contacts/patient/c1/why', as: 'p1', field: 'kind' },
    notFound: { url: '/api/v1/projects/p1/contacts/mobile_worker/nope/why' },
  },
  {
    route: 'GET /api/v1/phone-numbers/:number',
    success: { url: `/api/v1/phone-numbers/${encodeURIComponent(KE)}`, status: 200, check: (b) => assert.equal(b.entries[0].contact.id, 'c1') },
    bad: { url: '/api/v1/phone-numbers/call-me', field: 'number' },
    notFound: null,
  },
  {
    route: 'PUT /api/v1/opt-outs/:number',
    success: { url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`, body: { opted_out: true }, status: 200, check: (b) => assert.deepEqual(b, { number: '254712345678', opted_out: true, can_opt_in: true }) },
    bad: { url: `/api/v1/opt-outs/${encodeURIComponent(KE)}`, body: { opted_out: 'yes' }, field: 'opted_out' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/opt-outs/:number',
    success: { url: '/api/v1/opt-outs/254712345678', status: 200, check: (b) => assert.equal(b.opted_out, true) },
    bad: { url: '/api/v1/opt-outs/12', field: 'number' },
    notFound: null,
  },
  {
    route: 'GET /api/v1/projects/:project/opt-outs',
    success: { url: '/api/v1/projects/p1/opt-outs', as: 'p1', status: 200, check: (b) => assert.deepEqual(b.opt_outs.map((o: { number: string }) => o.number), ['254712345678']) },
    bad: { url: `/api/v1/projects/${LONG}/opt-outs`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/opt-outs' },
  },
  {
    route: 'POST /api/v1/projects/:project/commcare/cases',
    success: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', body: { domain: 'd', case_id: 'cc1', properties: { case_type: 'patient', case_name: 'Z' } }, status: 200 },
    bad: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', body: { domain: 'd', properties: {} }, field: 'case_id', status: 422 },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'PUT /api/v1/projects/:project/commcare/cases',
    success: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', body: [{ case_id: 'cc2', properties: { case_type: 'patient' } }], status: 200 },
    bad: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', body: { case_id: 'cc2', closed: 'no' }, field: 'closed', status: 422 },
    notFound: { url: '/api/v1/projects/nope/commcare/cases', body: { case_id: 'x' } },
  },
  {
    route: 'GET /api/v1/projects/:project/commcare/cases',
    success: { url: '/api/v1/projects/p1/commcare/cases', as: 'p1', status: 200 },
    bad: { url: `/api/v1/projects/${LONG}/commcare/cases`, field: 'project' },
    notFound: { url: '/api/v1/projects/nope/commcare/cases' },
  },
];

/** A concrete URL for a route pattern, inside project p1 (ids that exist there). */
function concrete(url: string): string {
  return url
    .replace(':project', 'p1')
    .replace(':kind', 'case')
    .replace(':number', '254712345678')
    .replace(/:id/g, url.includes('/messages/') || url.includes('/events/') ? '1' : url.includes('gateways') ? 'gw-p1' : 'c1');
}

for (const name of DATABASES) {
  describe(`API routes on ${name}`, () => {
    let api: TestApi;
    const keys: Record<string, string> = {};
    const vars: Record<string, string> = {};

    before(async () => {
      api = await openApi(name);
      const ok = async (method: string, url: string, body?: unknown) => {
        const response = await api.call(method, url, { body });
        assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
        return response.json() as Record<string, unknown>;
      };
      await ok('PUT', '/api/v1/projects/p1', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/p2', {});
      await ok('PUT', '/api/v1/projects/p1/gateways/gw-p1', { type: 'test', default: true });
      await ok('PUT', '/api/v1/gateways/gw-global', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/p1/cases/c1', { name: 'Amina', properties: { contact_phone_number: KE } });
      await ok('PUT', '/api/v1/projects/p1/mobile-workers/w1', { name: 'Otieno', phone_numbers: ['+254711111111'] });
      const sent = await ok('POST', '/api/v1/projects/p1/messages', { to: { case: 'c1' }, text: 'first' });
      const [sub] = sent.sub_events as { message_id: number }[];
      vars.message = String(sub?.message_id);
      vars.event = String(sent.event_id);
      keys.p1 = await api.projectKey('p1');
      keys.p2 = await api.projectKey('p2');
    });
    after(() => api.close());

    const fill = (url: string) => url.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
    const keyFor = (call: Call) => (call.as === 'p1' ? keys.p1 : undefined);

    test('the table covers every route', () => {
      const table = new Set(CASES.map((c) => c.route));
      const routes = api.app.apiRoutes.map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(routes.filter((r) => !table.has(r)), [], 'routes without a test');
      assert.deepEqual([...table].filter((r) => !routes.includes(r)), [], 'tests without a route');
    });

    test('missing, malformed or wrong key: 401, another project: 404, an admin route with a project key: 403 or 404; nothing changes', async () => {
      const before = await snapshot(api.t.db);
      for (const route of api.app.apiRoutes) {
        const url = concrete(route.url);
        const label = `${route.method} ${url}`;
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : {};
        for (const key of [null, 'wrong-key', '']) {
          const response = await api.call(route.method, url, { key, body });
          assert.equal(response.statusCode, 401, `${label} with key ${String(key)}: ${response.body}`);
          assert.equal(errorOf(response).code, 'unauthorized');
        }
        const malformed = await api.app.inject({ method: route.method as 'GET', url, headers: { authorization: `Token ${keys.p1}` } });
        assert.equal(malformed.statusCode, 401, `${label} with a malformed header`);

        const other = await api.call(route.method, url, { key: keys.p2, body });
        assert.equal(other.statusCode, 404, `${label} with p2's key: ${other.body}`);
        assert.equal(errorOf(other).code, 'not_found');
        if (route.auth === 'admin') {
          const own = await api.call(route.method, url, { key: keys.p1, body });
          const expected = url.startsWith('/api/v1/projects/p1') ? 403 : 404;
          assert.equal(own.statusCode, expected, `${label} (admin only) with p1's key: ${own.body}`);
        }
      }
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a revoked key is refused', async () => {
      const created = await api.call('POST', '/api/v1/projects/p2/keys', { body: {} });
      const { id, key } = created.json() as { id: string; key: string };
      assert.equal((await api.call('GET', '/api/v1/projects/p2', { key })).statusCode, 200);
      assert.equal((await api.call('DELETE', `/api/v1/projects/p2/keys/${id}`)).statusCode, 204);
      assert.equal((await api.call('GET', '/api/v1/projects/p2', { key })).statusCode, 401);
    });

    for (const c of CASES) {
      test(c.route, async () => {
        if (c.success.url.includes('{p3key}')) {
          const list = (await api.call('GET', '/api/v1/projects/p3/keys')).json() as { keys: { id: string }[] };
          vars.p3key = list.keys[0]?.id ?? '';
        }
        const before = await snapshot(api.t.db);
        const bad = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.bad.url), { key: keyFor(c.bad), body: c.bad.body });
        assert.equal(bad.statusCode, c.bad.status ?? 400, `bad: ${bad.body}`);
        const error = errorOf(bad);
        assert.equal(error.code, 'invalid_input');
        assert.equal(error.field, c.bad.field, error.message);
        assert.deepEqual(await snapshot(api.t.db), before, 'a rejected request changed the database');

        if (c.notFound) {
          const missing = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.notFound.url), { key: keyFor(c.notFound), body: c.notFound.body });
          assert.equal(missing.statusCode, 404, `not found: ${missing.body}`);
          assert.equal(errorOf(missing).code, 'not_found');
        }

        const method = c.route.split(' ')[0] ?? 'GET';
        const response = await api.call(method, fill(c.success.url), { key: keyFor(c.success), body: c.success.body });
        assert.equal(response.statusCode, c.success.status, response.body);
        if (c.success.check) c.success.check(response.json());
      });
    }
  });
}
