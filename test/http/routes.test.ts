// Every route of the API, on both databases: a success, a validation error naming the field,
// a missing resource (404); and, generated from the route table, a missing or wrong key (401)
// and another project's key (404) — each of those changing nothing.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { processPendingAlerts } from '../../src/app/scheduling/alerts.ts';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, snapshot, type TestApi } from './support.ts';
import { CONFIG_CASES } from './route-table-config.ts';
import { CONTACT_CASES } from './route-table-contacts.ts';
import { SETUP_CASES } from './route-table-setup.ts';
import { ALERT, BROADCAST, KE, SURVEY, type Call } from './route-table-shared.ts';

/** The table: one entry per route, in the order they run (later ones may use earlier state). */
const CASES = [...SETUP_CASES, ...CONTACT_CASES, ...CONFIG_CASES];

/** A concrete URL for a route pattern, inside project p1 (ids that exist there). */
function concrete(url: string): string {
  return url
    .replace(':project', 'p1')
    .replace(':kind', 'case')
    .replace(':keyword', 'VISIT')
    .replace(':number', '254712345678')
    .replace(':prefix', '254')
    .replace(
      /:id/g,
      url.includes('/messages') || url.includes('/events/') ? '1' : url.includes('gateways') ? 'gw-p1' : 'c1',
    );
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
      await ok('PUT', '/api/v1/projects/p1/gateways/gw-p1', {
        type: 'test',
        default: true,
        inbound_secret: 's1-long-enough-secret',
      });
      await ok('PUT', '/api/v1/gateways/gw-global', {
        type: 'test',
        default: true,
        inbound_secret: 's2-long-enough-secret',
      });
      await ok('PUT', '/api/v1/projects/p1/cases/c1', {
        name: 'Amina',
        properties: { contact_phone_number: KE },
      });
      await ok('PUT', '/api/v1/projects/p1/mobile-workers/w1', {
        name: 'Otieno',
        phone_numbers: ['+254711111111'],
      });
      const sent = await ok('POST', '/api/v1/projects/p1/messages', { to: { case: 'c1' }, text: 'first' });
      const [sub] = sent.sub_events as { message_id: number }[];
      vars.message = String(sub?.message_id);
      vars.event = String(sent.event_id);
      await ok('PUT', '/api/v1/projects/p1/surveys/gone', SURVEY);
      // An inbound SMS of p1 (through its gateway), and one of no project (through the global one).
      const inbound = async (gateway: string, secret: string, from: string, text: string) => {
        const response = await api.app.inject({
          method: 'POST',
          url: `/gateways/${gateway}/inbound`,
          headers: { 'x-caseline-secret': secret },
          payload: { from, text },
        });
        assert.equal(response.statusCode, 200, response.body);
        return String((response.json() as { message_id: number }).message_id);
      };
      vars.inbound = await inbound('gw-p1', 's1-long-enough-secret', KE, 'hello');
      vars.orphan = await inbound('gw-global', 's2-long-enough-secret', '+254799000001', 'who is this?');
      keys.p1 = await api.projectKey('p1');
      keys.p2 = await api.projectKey('p2');
    });
    after(() => api.close());

    const fill = (url: string) => url.replace(/\{(\w+)\}/g, (_, name: string) => vars[name] ?? '');
    const keyFor = (call: Call) => (call.as === 'p1' ? keys.p1 : undefined);

    test('the table covers every route', () => {
      const table = new Set(CASES.map((c) => c.route));
      const routes = api.app.apiRoutes.map((r) => `${r.method} ${r.url}`);
      assert.deepEqual(
        routes.filter((r) => !table.has(r)),
        [],
        'routes without a test',
      );
      assert.deepEqual(
        [...table].filter((r) => !routes.includes(r)),
        [],
        'tests without a route',
      );
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
        const malformed = await api.app.inject({
          method: route.method as 'GET',
          url,
          headers: { authorization: `Token ${keys.p1}` },
        });
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
          const list = (await api.call('GET', '/api/v1/projects/p3/keys')).json() as {
            keys: { id: string }[];
          };
          vars.p3key = list.keys[0]?.id ?? '';
        }
        const before = await snapshot(api.t.db);
        const bad = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.bad.url), {
          key: keyFor(c.bad),
          body: c.bad.body,
        });
        assert.equal(bad.statusCode, c.bad.status ?? 400, `bad: ${bad.body}`);
        const error = errorOf(bad);
        assert.equal(error.code, 'invalid_input');
        assert.equal(error.field, c.bad.field, error.message);
        assert.deepEqual(await snapshot(api.t.db), before, 'a rejected request changed the database');

        if (c.notFound) {
          const missing = await api.call(c.route.split(' ')[0] ?? 'GET', fill(c.notFound.url), {
            key: keyFor(c.notFound),
            body: c.notFound.body,
          });
          assert.equal(missing.statusCode, 404, `not found: ${missing.body}`);
          assert.equal(errorOf(missing).code, 'not_found');
        }

        const method = c.route.split(' ')[0] ?? 'GET';
        const response = await api.call(method, fill(c.success.url), {
          key: keyFor(c.success),
          body: c.success.body,
        });
        assert.equal(response.statusCode, c.success.status, response.body);
        if (c.success.check) c.success.check(response.json());
      });
    }

    test('an alert: processing of the existing cases runs as due work, then GET shows it done with its instances and preview', async () => {
      const as = { key: keys.p1 };
      const kisumu = ['m1', 'm2', 'm3'];
      for (const [i, id] of [...kisumu, 'm4'].entries()) {
        const village = id === 'm4' ? 'Nakuru' : 'Kisumu';
        const put = await api.call('PUT', `/api/v1/projects/p1/cases/${id}`, {
          ...as,
          body: {
            type: 'mother',
            name: `Mama ${id}`,
            properties: { village, contact_phone_number: `+25472000000${i}` },
          },
        });
        assert.equal(put.statusCode, 201, put.body);
      }
      const alert = {
        ...ALERT,
        case_type: 'mother',
        schedule: { type: 'daily', time: '09:00', occurrences: 2 },
      };
      const created = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', { ...as, body: alert });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(created.json().processing, { total: 4, done: 0, pending: true });

      // Two cases per batch: the progress shows between batches.
      const deps = { store: api.t.store, clock: api.clock };
      const progress: unknown[] = [];
      for (let round = 0; round < 20 && (await processPendingAlerts(deps, 2)) > 0; round++) {
        progress.push((await api.call('GET', '/api/v1/projects/p1/alerts/mothers', as)).json().processing);
      }
      assert.deepEqual(progress.slice(-3), [
        { total: 4, done: 2, pending: true },
        { total: 4, done: 4, pending: true },
        { total: 4, done: 4, pending: false },
      ]);
      const read = (await api.call('GET', '/api/v1/projects/p1/alerts/mothers', as)).json();
      assert.equal(read.instance_count, 3);
      assert.equal(read.next_due_at, '2026-01-06T06:00:00.000Z');

      const preview = await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview?days=3', as);
      assert.equal(preview.statusCode, 200, preview.body);
      const expected = ['2026-01-06', '2026-01-07'].flatMap((day) =>
        kisumu.map((id) => ({
          at: `${day}T06:00:00.000Z`,
          local: `${day} 09:00`,
          zone: 'Africa/Nairobi',
          recipient: `case:${id}`,
          text: `Hello Mama ${id}`,
          error: null,
        })),
      );
      assert.deepEqual(preview.json().lines, expected);
      // One day ahead reaches only the first event.
      assert.equal(
        (await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview?days=1', as)).json().lines.length,
        3,
      );

      // Saving it unchanged changes nothing and starts no processing.
      const again = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', { ...as, body: alert });
      assert.equal(again.statusCode, 200, again.body);
      assert.deepEqual(again.json(), read);
      assert.equal(await processPendingAlerts(deps, 2), 0);

      // Inactive: every instance stops (they stay, with no next event), nothing to preview.
      const off = await api.call('PUT', '/api/v1/projects/p1/alerts/mothers', {
        ...as,
        body: { ...alert, active: false },
      });
      assert.equal(off.statusCode, 200, off.body);
      assert.deepEqual([off.json().instance_count, off.json().next_due_at], [read.instance_count, null]);
      assert.deepEqual(
        (await api.call('GET', '/api/v1/projects/p1/alerts/mothers/preview', as)).json().lines,
        [],
      );
    });

    test("a broadcast's preview refuses an id that an alert of the project also has", async () => {
      const put = await api.call('PUT', '/api/v1/projects/p1/broadcasts/mothers', {
        key: keys.p1,
        body: BROADCAST,
      });
      assert.equal(put.statusCode, 201, put.body);
      const preview = await api.call('GET', '/api/v1/projects/p1/broadcasts/mothers/preview', {
        key: keys.p1,
      });
      assert.equal(preview.statusCode, 409, preview.body);
      assert.equal(errorOf(preview).code, 'conflict');
    });
  });
}
