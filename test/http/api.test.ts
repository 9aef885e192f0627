// The API beyond single routes, on both databases: the message log (send later, filters,
// pages, attempts, events), conflicts, gateway secrets, opt-outs, verification; and on SQLite
// the limits (body, batch, rate), the error catalog, keys, and the OpenAPI document.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ensureAdminKey, hashKey } from '../../src/app/access/keys.ts';
import { VirtualClock } from '../../src/clock.ts';
import { createReadModel } from '../../src/db/read-model.ts';
import { createApiKeyRepo } from '../../src/db/repos/api-keys.ts';
import { createGatewayRemoval } from '../../src/db/repos/gateway-removal.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { gatewayCatalog } from '../../src/gateways/registry.ts';
import { buildServer } from '../../src/http/server.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES, openTestDb, START } from '../support/databases.ts';
import { ADMIN_KEY, errorOf, openApi, snapshot, type TestApi } from './support.ts';

const TWILIO = {
  account_sid: `AC${'1'.repeat(32)}`,
  auth_token: 'twilio-secret-token',
  from: '+15005550006',
};

for (const name of DATABASES) {
  describe(`API behaviour on ${name}`, () => {
    let api: TestApi;
    let key: string;
    const gateway = () => new TestGateway(api.clock);
    let test_gateway: TestGateway;

    before(async () => {
      api = await openApi(name);
      test_gateway = gateway();
      const ok = async (method: string, url: string, body?: unknown) => {
        const response = await api.call(method, url, { body });
        assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
        return response.json();
      };
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', {});
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/c1', {
        name: 'Amina',
        properties: { contact_phone_number: '0712345678' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/c2', { name: 'No number' });
      key = await api.projectKey('clinic');
    });
    after(() => api.close());

    const send = (body: unknown) => api.call('POST', '/api/v1/projects/clinic/messages', { key, body });
    const work = () =>
      runDueWork({
        store: api.t.store,
        clock: api.clock,
        adapters: (type) => (type === 'test' ? test_gateway : null),
        mailer: new RecordingMailer(api.clock),
        workerId: 'test',
      });

    test('send now and later; the log filters, pages newest first, and shows attempts and the event', async () => {
      const later = await send({ to: { case: 'c1' }, text: 'Tomorrow', at: '2026-01-06T08:00:00Z' });
      assert.equal(later.statusCode, 202, later.body);
      const failed = await send({ to: { case: 'c2' }, text: 'Hello' });
      assert.equal(failed.json().sub_events[0].error.code, 'NO_PHONE_NUMBER');
      const now = await send({ to: { phone: '+254712345678' }, text: 'Now' });
      const nowId = now.json().sub_events[0].message_id as number;
      await work();

      const all = (await api.call('GET', '/api/v1/projects/clinic/messages', { key })).json();
      assert.deepEqual(
        all.messages.map((m: { text: string }) => m.text),
        ['Now', 'Tomorrow'],
      );
      assert.equal(all.messages[1].due_at, '2026-01-06T08:00:00.000Z');
      assert.equal(all.messages[0].status, 'sent');

      const page1 = (await api.call('GET', '/api/v1/projects/clinic/messages?limit=1', { key })).json();
      assert.equal(page1.messages.length, 1);
      assert.ok(page1.next_cursor);
      const page2 = (
        await api.call('GET', `/api/v1/projects/clinic/messages?limit=1&cursor=${page1.next_cursor}`, { key })
      ).json();
      assert.deepEqual(
        page2.messages.map((m: { text: string }) => m.text),
        ['Tomorrow'],
      );
      assert.equal(page2.next_cursor, null);

      const filtered = async (query: string) =>
        (await api.call('GET', `/api/v1/projects/clinic/messages?${query}`, { key }))
          .json()
          .messages.map((m: { text: string }) => m.text);
      assert.deepEqual(await filtered('status=sent'), ['Now']);
      assert.deepEqual(await filtered('contact=case:c1'), ['Tomorrow']);
      assert.deepEqual(await filtered('number=0712%20345%20678'), ['Now', 'Tomorrow']);
      assert.deepEqual(await filtered('from=2026-01-05T08:00:00Z&to=2026-01-05T08:00:01Z'), [
        'Now',
        'Tomorrow',
      ]);
      assert.deepEqual(await filtered('to=2026-01-05T08:00:00Z'), []);
      assert.deepEqual(await filtered('error_code=NO_PHONE_NUMBER'), []);

      const detail = (await api.call('GET', `/api/v1/projects/clinic/messages/${nowId}`, { key })).json();
      assert.equal(detail.attempt_log.length, 1);
      assert.equal(detail.attempt_log[0].outcome, 'accepted');
      assert.equal(detail.event.sub_events[0].recipient.kind, 'phone');

      const errors = (await api.call('GET', '/api/v1/projects/clinic/events?status=error', { key })).json();
      assert.equal(errors.events.length, 1);
      const event = (
        await api.call('GET', `/api/v1/projects/clinic/events/${errors.events[0].id}`, { key })
      ).json();
      assert.deepEqual(
        [event.sub_events[0].recipient, event.sub_events[0].error_code],
        [{ kind: 'case', id: 'c2' }, 'NO_PHONE_NUMBER'],
      );

      // Another project's message is not there for this project.
      assert.equal((await api.call('GET', `/api/v1/projects/other/messages/${nowId}`)).statusCode, 404);
    });

    test('why, opt-outs of the project, and the phone registry agree', async () => {
      const why = (await api.call('GET', '/api/v1/projects/clinic/contacts/case/c2/why', { key })).json();
      assert.equal(why.phone_status, 'NO_PHONE_NUMBER');
      const c1 = async () =>
        (await api.call('GET', '/api/v1/projects/clinic/contacts/case/c1/why', { key })).json();
      assert.deepEqual([(await c1()).gets_sms, (await c1()).opted_out], [true, false]);
      assert.equal(
        (await api.call('PUT', '/api/v1/opt-outs/254712345678', { body: { opted_out: true } })).statusCode,
        200,
      );
      // Opted out: the phone status is unchanged, but no SMS goes, and the reason says why.
      const optedOut = await c1();
      assert.deepEqual(
        [optedOut.phone_status, optedOut.gets_sms, optedOut.opted_out],
        ['ONE_WAY', false, true],
      );
      assert.match(optedOut.reason, /PHONE_NUMBER_OPTED_OUT.*until it texts an opt-in keyword/);
      const optOuts = (await api.call('GET', '/api/v1/projects/clinic/opt-outs', { key })).json();
      assert.deepEqual(
        optOuts.opt_outs.map((o: { number: string }) => o.number),
        ['254712345678'],
      );
      assert.deepEqual((await api.call('GET', '/api/v1/projects/other/opt-outs')).json().opt_outs, []);
      assert.deepEqual(
        (
          await api.call('PUT', '/api/v1/opt-outs/254712345678', {
            body: { opted_out: false, can_opt_in: false },
          })
        ).json(),
        {
          number: '254712345678',
          opted_out: false,
          can_opt_in: false,
        },
      );
      const registry = (await api.call('GET', '/api/v1/phone-numbers/254712345678')).json();
      assert.deepEqual(registry.opt_out, { opted_out: false, can_opt_in: false });
      assert.deepEqual([(await c1()).gets_sms, (await c1()).opted_out], [true, false]);
    });

    test('verification results come back as codes', async () => {
      await api.call('PUT', '/api/v1/projects/clinic/mobile-workers/w1', {
        key,
        body: { name: 'Otieno', phone_numbers: ['+254711000001'] },
      });
      const start = (number: string) =>
        api.call('POST', '/api/v1/projects/clinic/mobile-workers/w1/verifications', {
          key,
          body: { number },
        });
      assert.equal((await start('+254711000001')).json().result, 'WORKFLOW_STARTED');
      assert.equal((await start('0711 000 001')).json().result, 'RESENT_PENDING');
      await api.call('PUT', '/api/v1/projects/clinic/mobile-workers/w1', { key, body: { active: false } });
      const inactive = await start('+254711000001');
      assert.equal(inactive.statusCode, 409);
    });

    test('conflicts answer 409: a taken username, a gateway id of another project', async () => {
      await api.call('PUT', '/api/v1/projects/clinic/mobile-workers/w2', {
        key,
        body: { username: 'amina' },
      });
      const taken = await api.call('PUT', '/api/v1/projects/clinic/mobile-workers/w3', {
        key,
        body: { username: 'amina' },
      });
      assert.equal(taken.statusCode, 409);
      assert.deepEqual(errorOf(taken), {
        code: 'conflict',
        message: "username 'amina' belongs to mobile worker 'w2'",
        field: 'username',
      });
      await api.call('PUT', '/api/v1/projects/other/gateways/other-gw', { body: { type: 'test' } });
      const clash = await api.call('PUT', '/api/v1/projects/clinic/gateways/other-gw', {
        key,
        body: { type: 'test' },
      });
      assert.equal(clash.statusCode, 409);
      assert.equal(errorOf(clash).field, 'id');
      const sharing = await api.call('PUT', '/api/v1/projects/clinic/gateways/sms', {
        key,
        body: { shared_with: ['other'] },
      });
      assert.equal(sharing.statusCode, 403);
    });

    test('gateway secrets are masked in answers, and a masked value sent back keeps the secret', async () => {
      const created = await api.call('PUT', '/api/v1/gateways/tw', {
        body: { type: 'twilio', config: TWILIO, inbound_secret: 'hook-secret-0123456789' },
      });
      assert.equal(created.statusCode, 201, created.body);
      const http = await api.call('PUT', '/api/v1/projects/clinic/gateways/agg', {
        key,
        body: {
          type: 'http',
          config: {
            url: 'https://user:url-password@sms.example.org/send',
            params: { to: '{to}', text: '{text}', key: 'param-secret' },
            headers: { 'X-Token': 'header-secret' },
            secret_params: ['key'],
          },
        },
      });
      assert.equal(http.statusCode, 201, http.body);
      for (const url of [
        '/api/v1/gateways/tw',
        '/api/v1/gateways',
        '/api/v1/projects/clinic/gateways/agg',
        '/api/v1/projects/clinic/gateways',
      ]) {
        const text = (await api.call('GET', url)).body;
        for (const secret of [
          'twilio-secret-token',
          'hook-secret-0123456789',
          'url-password',
          'param-secret',
          'header-secret',
        ]) {
          assert.ok(!text.includes(secret), `${url} shows ${secret}`);
        }
      }
      const shown = (await api.call('GET', '/api/v1/gateways/tw')).json();
      assert.equal(shown.config.auth_token, '********');
      assert.equal(shown.inbound_secret_set, true);
      const again = await api.call('PUT', '/api/v1/gateways/tw', { body: { config: shown.config } });
      assert.equal(again.statusCode, 200);
      assert.equal((await api.t.store.gateways.get('tw'))?.config.auth_token, 'twilio-secret-token');
      const agg = (await api.call('GET', '/api/v1/projects/clinic/gateways/agg', { key })).json();
      assert.equal(agg.config.url, 'https://user:********@sms.example.org/send');
      await api.call('PUT', '/api/v1/projects/clinic/gateways/agg', { key, body: { config: agg.config } });
      assert.equal(
        (await api.t.store.gateways.get('agg'))?.config.url,
        'https://user:url-password@sms.example.org/send',
      );
    });

    test('deleting a gateway removes its prefixes; deleting a case releases its number', async () => {
      await api.call('PUT', '/api/v1/projects/clinic/gateways/pre', {
        key,
        body: { type: 'test', prefixes: ['2547'] },
      });
      assert.equal(
        (await api.call('DELETE', '/api/v1/projects/clinic/gateways/pre', { key })).statusCode,
        204,
      );
      const reuse = await api.call('PUT', '/api/v1/projects/clinic/gateways/pre2', {
        key,
        body: { type: 'test', prefixes: ['2547'] },
      });
      assert.equal(reuse.statusCode, 201, reuse.body);
      assert.equal(
        (await api.call('DELETE', '/api/v1/projects/clinic/cases/c1', { key })).json().case.deleted,
        true,
      );
      const why = (await api.call('GET', '/api/v1/projects/clinic/contacts/case/c1/why', { key })).json();
      assert.equal(why.phone_status, 'INACTIVE');
    });
  });
}

describe('limits, errors, keys and the document (SQLite)', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi('sqlite', { bodyLimitBytes: 4096, batchLimit: 3, rateLimitPerMinute: 0 });
    await api.call('PUT', '/api/v1/projects/p1', { body: {} });
  });
  after(() => api.close());

  test('a body over the limit: 413; a batch over the limit: 413 naming cases; nothing changes', async () => {
    const before = await snapshot(api.t.db);
    const big = await api.call('PUT', '/api/v1/projects/p1/cases/c1', { body: { name: 'x'.repeat(5000) } });
    assert.equal(big.statusCode, 413);
    assert.equal(errorOf(big).code, 'payload_too_large');
    const batch = await api.call('POST', '/api/v1/projects/p1/cases/batch', {
      body: { cases: [{ id: 'a' }, { id: 'b' }, { id: 'c' }, { id: 'd' }] },
    });
    assert.equal(batch.statusCode, 413);
    assert.equal(errorOf(batch).field, 'cases');
    assert.deepEqual(await snapshot(api.t.db), before);
  });

  test('bad JSON, an empty body, a wrong content type, an unknown route', async () => {
    const notJson = await api.call('PUT', '/api/v1/projects/p1/cases/c1', { payload: '{"name": "x",}' });
    assert.deepEqual([notJson.statusCode, errorOf(notJson).field], [400, 'body']);
    const empty = await api.call('PUT', '/api/v1/projects/p1/cases/c1', { payload: '' });
    assert.deepEqual([empty.statusCode, errorOf(empty).field], [400, 'body']);
    const form = await api.call('PUT', '/api/v1/projects/p1/cases/c1', {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    assert.equal(form.statusCode, 415);
    const badId = await api.call('PUT', '/api/v1/projects/no%20spaces%20please', { body: {} });
    assert.deepEqual([badId.statusCode, errorOf(badId).field], [400, 'project']);
    const missing = await api.call('GET', '/api/v1/nothing-here');
    assert.deepEqual([missing.statusCode, errorOf(missing).code], [404, 'not_found']);
  });

  test('rate limit per key: 429 after the limit, other keys unaffected', async () => {
    const limited = await openApi('sqlite', { rateLimitPerMinute: 3 });
    try {
      await limited.call('PUT', '/api/v1/projects/p1', { body: {} });
      const key = await limited.projectKey('p1');
      for (let i = 0; i < 3; i++)
        assert.equal((await limited.call('GET', '/api/v1/projects/p1', { key })).statusCode, 200);
      const over = await limited.call('GET', '/api/v1/projects/p1', { key });
      assert.equal(over.statusCode, 429);
      assert.equal(errorOf(over).code, 'rate_limited');
      assert.ok(over.headers['retry-after']);
      // The admin key has its own budget: two requests so far (PUT, POST keys).
      assert.equal((await limited.call('GET', '/api/v1/projects/p1')).statusCode, 200);
      const admin = await limited.call('POST', '/api/v1/projects/p1/keys', {
        key: null,
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
        body: {},
      });
      assert.equal(admin.statusCode, 429);
      assert.equal((await limited.app.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await limited.close();
    }
  });

  test('a server fault answers 500 without its internals', async () => {
    const t = await openTestDb('sqlite');
    const keys = createApiKeyRepo(t.db.kysely);
    await ensureAdminKey(keys, new VirtualClock(START), ADMIN_KEY);
    const store = {
      ...t.store,
      projects: {
        ...t.store.projects,
        get: () => Promise.reject(new Error('connection to db.internal:5432 lost')),
      },
    };
    const app = buildServer({
      store,
      clock: new VirtualClock(START),
      config: {
        api: { rateLimitPerMinute: 0, bodyLimitBytes: 1024, batchLimit: 10, authFailuresPerMinute: 0 },
        publicUrl: 'http://127.0.0.1:8080',
      },
      readModel: createReadModel(t.db),
      keys,
      gatewayRemoval: createGatewayRemoval(t.db.kysely),
      gatewayTypes: gatewayCatalog,
      logger: false,
    });
    try {
      const response = await app.inject({
        method: 'GET',
        url: '/api/v1/projects/p1',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      assert.equal(response.statusCode, 500);
      assert.equal(errorOf(response).code, 'internal');
      assert.ok(!response.body.includes('db.internal'), response.body);
    } finally {
      await app.close();
      await t.close();
    }
  });

  test('the admin key: generated once, replaced by a configured one, stored only as a hash', async () => {
    const t = await openTestDb('sqlite');
    try {
      const keys = createApiKeyRepo(t.db.kysely);
      const clock = new VirtualClock(START);
      const first = await ensureAdminKey(keys, clock, null);
      assert.match(first.generated ?? '', /^cl_[A-Za-z0-9_-]{43}$/);
      assert.equal((await ensureAdminKey(keys, clock, null)).generated, null);
      const rows = await t.db.kysely.selectFrom('api_keys').selectAll().execute();
      assert.deepEqual(
        rows.map((r) => r.key_hash),
        [hashKey(first.generated ?? '')],
      );
      await ensureAdminKey(keys, clock, 'chosen');
      assert.equal(await keys.findByHash(hashKey(first.generated ?? '')), null);
      assert.equal((await keys.findByHash(hashKey('chosen')))?.id, 'admin');
    } finally {
      await t.close();
    }
  });

  test('project keys are stored hashed and shown once', async () => {
    const created = (await api.call('POST', '/api/v1/projects/p1/keys', { body: { name: 'app' } })).json();
    const rows = await api.t.db.kysely
      .selectFrom('api_keys')
      .selectAll()
      .where('id', '=', created.id)
      .execute();
    assert.equal(rows[0]?.key_hash, hashKey(created.key));
    assert.ok(!JSON.stringify(rows).includes(created.key));
    const listed = (await api.call('GET', '/api/v1/projects/p1/keys')).body;
    assert.ok(!listed.includes(created.key));
  });

  test('the OpenAPI document lists every route with its schemas; the explorer is at /docs', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    const doc = response.json() as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; security?: unknown }>>;
    };
    assert.match(doc.openapi, /^3\./);
    for (const route of api.app.apiRoutes) {
      const path = route.url.replace(/:(\w+)/g, '{$1}');
      const operation = doc.paths[path]?.[route.method.toLowerCase()];
      assert.ok(operation, `${route.method} ${path} is not in the document`);
      assert.ok(operation.responses['401'], `${route.method} ${path} documents no 401`);
      assert.ok(operation.security, `${route.method} ${path} documents no security`);
    }
    const put = doc.paths['/api/v1/projects/{project}/cases/{id}']?.put as unknown as {
      requestBody: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
    };
    assert.ok(put.requestBody.content['application/json']?.schema.properties.server_modified_on);
    const docs = await api.app.inject({ method: 'GET', url: '/docs' });
    assert.ok(docs.statusCode === 200 || docs.statusCode === 302, String(docs.statusCode));
    assert.equal((await api.app.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
  });
});
