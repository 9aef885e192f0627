// Every configuration object's whole life through the API (SPEC 7), on SQLite and PostgreSQL:
// create, list (cursor pages, filters), read, change some fields (PATCH, then GET shows it),
// delete (204, then GET 404 and the list no longer has it), 409 with `used_by` while something
// uses it (then deletable once the user is gone), and 404 for another project's key.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from './support.ts';

const DAILY = { type: 'daily', time: '09:00' };
const SURVEY = { questions: [{ id: 'q', type: 'text', text: { '*': 'How are you?' } }] };

interface Life {
  label: string;
  /** The list's path below /api/v1/projects/p, and its key in the answer. */
  plural: string;
  /** Three ids created in this order, listed in this order. */
  ids: [string, string, string];
  /** The item's id as the answer names it (`keyword` for keywords). */
  idField?: string;
  create: (id: string) => unknown;
  patch: Record<string, unknown>;
  /** What GET shows after the PATCH. */
  patched: (item: Record<string, unknown>) => void;
}

const LIVES: Life[] = [
  {
    label: 'alerts',
    plural: 'alerts',
    ids: ['a1', 'a2', 'a3'],
    create: () => ({ case_type: 'patient', criteria: [], schedule: DAILY, content: { text: 'hi' } }),
    patch: { active: false, content: { text: 'changed' } },
    patched: (a) => assert.deepEqual([a.active, a.content], [false, { text: 'changed' }]),
  },
  {
    label: 'broadcasts',
    plural: 'broadcasts',
    ids: ['b1', 'b2', 'b3'],
    create: () => ({ recipients: [{ case: 'c1' }], schedule: DAILY, content: { text: 'hi' } }),
    patch: { active: false },
    patched: (b) => assert.deepEqual([b.active, b.next_due_at], [false, null]),
  },
  {
    label: 'keywords',
    plural: 'keywords',
    ids: ['Alpha', 'beta', 'GAMMA'],
    idField: 'keyword',
    create: () => ({ reply: { text: 'hello' } }),
    patch: { allow: 'cases' },
    patched: (k) => assert.deepEqual([k.allow, k.reply], ['cases', { text: 'hello' }]),
  },
  {
    label: 'surveys',
    plural: 'surveys',
    ids: ['s1', 's2', 's3'],
    create: () => SURVEY,
    patch: { expiry_hours: 12 },
    patched: (s) => assert.deepEqual([s.expiry_hours, s.questions], [12, SURVEY.questions]),
  },
  {
    label: 'groups',
    plural: 'groups',
    ids: ['g1', 'g2', 'g3'],
    create: () => ({ kind: 'case', members: ['c1'] }),
    patch: { name: 'Mothers' },
    patched: (g) => assert.deepEqual([g.name, g.members], ['Mothers', ['c1']]),
  },
  {
    label: 'gateways',
    plural: 'gateways',
    ids: ['gw1', 'gw2', 'gw3'],
    create: () => ({ type: 'test' }),
    patch: { rate_limit_per_minute: 60 },
    patched: (g) => assert.deepEqual([g.rate_limit_per_minute, g.type], [60, 'test']),
  },
];

for (const name of DATABASES) {
  describe(`every object's whole life through the API on ${name}`, () => {
    let api: TestApi;
    let key: string;
    let other: string;
    const call = (method: string, url: string, body?: unknown, as = key) =>
      api.call(method, `/api/v1/projects/p${url}`, { key: as, body });

    before(async () => {
      api = await openApi(name);
      await api.ok('PUT', '/api/v1/projects/p', {});
      await api.ok('PUT', '/api/v1/projects/q', {});
      await api.ok('PUT', '/api/v1/projects/p/cases/c1', {
        properties: { contact_phone_number: '+254712000401' },
      });
      key = await api.projectKey('p');
      other = await api.projectKey('q');
    });
    after(() => api?.close());

    for (const life of LIVES) {
      test(`${life.label}: create, list in pages, read, change, delete; another project's key gets 404`, async () => {
        const idOf = (item: Record<string, unknown>) => item[life.idField ?? 'id'];
        for (const id of life.ids) {
          const created = await call('PUT', `/${life.plural}/${id}`, life.create(id));
          assert.equal(created.statusCode, 201, created.body);
        }
        // Two pages of two, then the cursor runs out.
        const first = (await call('GET', `/${life.plural}?limit=2`)).json();
        assert.deepEqual(first[life.plural].map(idOf), life.ids.slice(0, 2));
        assert.equal(typeof first.next_cursor, 'string');
        const second = (
          await call('GET', `/${life.plural}?limit=2&cursor=${encodeURIComponent(first.next_cursor)}`)
        ).json();
        assert.deepEqual(second[life.plural].map(idOf), life.ids.slice(2));
        assert.equal(second.next_cursor, null);

        const [id] = life.ids;
        const patched = await call('PATCH', `/${life.plural}/${id}`, life.patch);
        assert.equal(patched.statusCode, 200, patched.body);
        life.patched(patched.json());
        life.patched((await call('GET', `/${life.plural}/${id}`)).json());

        // Another project's key: 404 on the list, the item and every change, nothing changes.
        for (const [method, url, body] of [
          ['GET', `/${life.plural}`, undefined],
          ['GET', `/${life.plural}/${id}`, undefined],
          ['PATCH', `/${life.plural}/${id}`, life.patch],
          ['PUT', `/${life.plural}/${id}`, life.create(id)],
          ['DELETE', `/${life.plural}/${id}`, undefined],
        ] as const) {
          const response = await call(method, url, body, other);
          assert.equal(response.statusCode, 404, `${method} ${url} with q's key: ${response.body}`);
        }
        // And the same id in q's own project is simply not there.
        const inQ = await api.call('GET', `/api/v1/projects/q/${life.plural}/${id}`, { key: other });
        assert.equal(inQ.statusCode, 404);

        const deleted = await call('DELETE', `/${life.plural}/${id}`);
        assert.equal(deleted.statusCode, 204, deleted.body);
        assert.equal(deleted.body, '');
        assert.equal((await call('GET', `/${life.plural}/${id}`)).statusCode, 404);
        assert.equal((await call('DELETE', `/${life.plural}/${id}`)).statusCode, 404);
        assert.equal((await call('PATCH', `/${life.plural}/${id}`, life.patch)).statusCode, 404);
        const rest = (await call('GET', `/${life.plural}`)).json();
        assert.deepEqual(rest[life.plural].map(idOf), life.ids.slice(1));
      });
    }

    test('prefix mappings: map, list, move, read, delete', async () => {
      await call('PUT', '/gateways/gw-a', { type: 'test' });
      await call('PUT', '/gateways/gw-b', { type: 'test', prefixes: ['2547'] });
      assert.equal((await call('PUT', '/prefixes/2541', { gateway: 'gw-a' })).statusCode, 201);
      const listed = (await call('GET', '/prefixes')).json();
      assert.deepEqual(
        listed.prefixes.map((m: { id: string; gateway: string }) => [m.id, m.gateway]),
        [
          ['2541', 'gw-a'],
          ['2547', 'gw-b'],
        ],
      );
      // Moving a mapping takes it from the gateway that had it.
      assert.equal((await call('PATCH', '/prefixes/2547', { gateway: 'gw-a' })).statusCode, 200);
      assert.deepEqual((await call('GET', '/gateways/gw-a')).json().prefixes, ['2541', '2547']);
      assert.deepEqual((await call('GET', '/gateways/gw-b')).json().prefixes, []);
      assert.equal((await call('GET', '/prefixes/2547')).json().gateway, 'gw-a');
      // Only the project's own gateways: q's key cannot see them, nor map to another's gateway.
      assert.equal((await call('GET', '/prefixes/2547', undefined, other)).statusCode, 404);
      const foreign = await api.call('PUT', '/api/v1/projects/q/prefixes/2547', {
        key: other,
        body: { gateway: 'gw-a' },
      });
      assert.equal(foreign.statusCode, 400);
      assert.equal(foreign.json().error.field, 'gateway');
      assert.equal((await call('DELETE', '/prefixes/2547')).statusCode, 204);
      assert.equal((await call('GET', '/prefixes/2547')).statusCode, 404);
      assert.deepEqual((await call('GET', '/gateways/gw-a')).json().prefixes, ['2541']);
    });

    test('API keys: list, read, rename, delete (revoked: 404, listed only when asked)', async () => {
      const created = await api.ok('POST', '/api/v1/projects/p/keys', { name: 'app' });
      const item = `/api/v1/projects/p/keys/${created.id}`;
      assert.equal((await api.ok('GET', item)).name, 'app');
      assert.equal((await api.ok('PATCH', item, { name: 'mobile app' })).name, 'mobile app');
      assert.equal((await api.ok('GET', item)).name, 'mobile app');
      assert.equal((await api.call('DELETE', item)).statusCode, 204);
      assert.equal((await api.call('GET', item)).statusCode, 404);
      assert.equal((await api.call('DELETE', item)).statusCode, 404);
      const live = (await api.ok('GET', '/api/v1/projects/p/keys')).keys.map((k: { id: string }) => k.id);
      assert.ok(!live.includes(created.id));
      const all = await api.ok('GET', '/api/v1/projects/p/keys?revoked=true');
      const revoked = all.keys.find((k: { id: string }) => k.id === created.id);
      assert.ok(revoked?.revoked_at, 'a deleted key is kept for the record');
      // The key itself stops working.
      assert.equal((await api.call('GET', '/api/v1/projects/p', { key: created.key })).statusCode, 401);
    });

    test('a survey in use: 409 naming the keyword, alert and broadcast that start it; deletable once they are gone', async () => {
      await call('PUT', '/surveys/intake', SURVEY);
      await call('PUT', '/keywords/JOINUS', { action: 'survey', survey: 'intake' });
      await call('PUT', '/alerts/intake-alert', {
        case_type: 'patient',
        criteria: [],
        schedule: DAILY,
        content: { survey: 'intake' },
      });
      await call('PUT', '/broadcasts/intake-all', {
        recipients: [{ case: 'c1' }],
        schedule: DAILY,
        content: { survey: 'intake' },
      });
      const refused = await call('DELETE', '/surveys/intake');
      assert.equal(refused.statusCode, 409, refused.body);
      const body = refused.json();
      assert.equal(body.error.code, 'conflict');
      assert.deepEqual(body.used_by, [
        { kind: 'keyword', id: 'JOINUS' },
        { kind: 'alert', id: 'intake-alert' },
        { kind: 'broadcast', id: 'intake-all' },
      ]);
      assert.match(body.error.message, /keyword 'JOINUS', alert 'intake-alert', broadcast 'intake-all'/);
      assert.equal((await call('GET', '/surveys/intake')).statusCode, 200, 'nothing was deleted');
      await call('DELETE', '/keywords/JOINUS');
      await call('PATCH', '/alerts/intake-alert', { content: { text: 'no survey' } });
      await call('DELETE', '/broadcasts/intake-all');
      assert.equal((await call('DELETE', '/surveys/intake')).statusCode, 204);
    });

    test('a group in use: 409 naming the broadcast that sends to it and the cases it owns', async () => {
      await call('PUT', '/groups/team', { kind: 'mobile_worker', members: [] });
      await call('PUT', '/broadcasts/to-team', {
        recipients: [{ group: 'team' }],
        schedule: DAILY,
        content: { text: 'hi' },
      });
      await call('PUT', '/cases/owned', { owner: 'team' });
      const refused = await call('DELETE', '/groups/team');
      assert.equal(refused.statusCode, 409);
      assert.deepEqual(refused.json().used_by, [
        { kind: 'broadcast', id: 'to-team' },
        { kind: 'case', id: 'owned' },
      ]);
      await call('DELETE', '/broadcasts/to-team');
      await call('DELETE', '/cases/owned');
      assert.equal((await call('DELETE', '/groups/team')).statusCode, 204);
    });

    test('a gateway in use: 409 naming the cases that name it; another project only as that project', async () => {
      await call('PUT', '/gateways/named', { type: 'test', name: 'Safaricom' });
      await call('PUT', '/cases/routed', { properties: { contact_backend_id: 'safaricom' } });
      await call('PUT', '/cases/closed-one', {
        closed: true,
        properties: { contact_backend_id: 'Safaricom' },
      });
      const refused = await call('DELETE', '/gateways/named');
      assert.equal(refused.statusCode, 409);
      assert.deepEqual(refused.json().used_by, [{ kind: 'case', id: 'routed' }]);

      // Shared with q by the admin: q's case that names it shows to p only as project q.
      await api.ok('PATCH', '/api/v1/gateways/named', { shared_with: ['q'] });
      await api.ok('PUT', '/api/v1/projects/q/cases/theirs', {
        properties: { contact_backend_id: 'Safaricom' },
      });
      await call('PUT', '/cases/routed', { properties: { contact_backend_id: null } });
      const shared = await call('DELETE', '/gateways/named');
      assert.deepEqual(shared.json().used_by, [{ kind: 'project', id: 'q' }]);
      const asAdmin = await api.call('DELETE', '/api/v1/gateways/named');
      assert.deepEqual(asAdmin.json().used_by, [{ kind: 'case', id: 'q/theirs' }]);

      await api.ok('PUT', '/api/v1/projects/q/cases/theirs', { properties: { contact_backend_id: null } });
      assert.equal((await call('DELETE', '/gateways/named')).statusCode, 204);
      assert.equal((await call('GET', '/gateways/named')).statusCode, 404);
    });
  });
}
