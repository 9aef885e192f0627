// CommCare HQ case forwarding (shared/reference/commcare-forwarding.md) on both databases:
// the payload mapped onto a case, duplicates and out-of-order deliveries, the "Test" button,
// basic auth with the project key, and 4xx only for payloads that can never succeed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, snapshot, type TestApi } from './support.ts';

const URL = '/api/v1/projects/clinic/commcare/cases';

/** The reference's example payload (§5). */
function forwarded(overrides: Record<string, unknown> = {}, properties: Record<string, unknown> = {}) {
  return {
    domain: 'demo-clinic',
    case_id: '5f0c2a1e-8d4b-4f7e-9a63-2b1c0d9e7a41',
    user_id: 'a1b2c3d4e5f60718293a4b5c6d7e8f90',
    closed: false,
    xform_ids: ['0b7d3f52-1c9e-4e0a-9d2b-6f4a8c1e2d33'],
    date_closed: null,
    date_modified: '2025-03-04T10:15:40.120000Z',
    server_date_modified: '2025-03-04T10:15:42.518203Z',
    properties: {
      contact_phone_number: '+254712345678',
      dob: '1990-07-12',
      village: 'Kisumu West',
      case_name: 'Amina Otieno',
      case_type: 'patient',
      owner_id: 'f00dfeedf00dfeedf00dfeedf00dfeed',
      external_id: null,
      date_opened: '2025-02-20T08:03:11.906',
      ...properties,
    },
    indices: {
      parent: {
        case_type: 'household',
        case_id: 'c3d2e1f0-1111-4222-8333-944455556666',
        relationship: 'child',
      },
    },
    attachments: {},
    ...overrides,
  };
}

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

for (const name of DATABASES) {
  describe(`CommCare forwarding on ${name}`, () => {
    let api: TestApi;
    let key: string;
    const caseUrl = '/api/v1/projects/clinic/cases/5f0c2a1e-8d4b-4f7e-9a63-2b1c0d9e7a41';

    before(async () => {
      api = await openApi(name);
      assert.equal((await api.call('PUT', '/api/v1/projects/clinic', { body: {} })).statusCode, 201);
      key = await api.projectKey('clinic');
    });
    after(() => api.close());

    const post = (body: unknown, headers: Record<string, string> = {}) =>
      api.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: basic('commcare', key), 'content-type': 'application/json', ...headers },
        payload: JSON.stringify(body),
      });

    test('the "Test" button: GET answers 200 with the same auth', async () => {
      const response = await api.app.inject({
        method: 'GET',
        url: URL,
        headers: { authorization: basic('commcare', key) },
      });
      assert.equal(response.statusCode, 200, response.body);
      assert.equal(response.json().status, 'ok');
    });

    test('a forwarded case becomes a case: type, name, owner, properties, indices', async () => {
      const response = await post(forwarded());
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json().results, [
        { index: 0, id: '5f0c2a1e-8d4b-4f7e-9a63-2b1c0d9e7a41', status: 'created' },
      ]);
      const stored = (await api.call('GET', caseUrl)).json();
      assert.equal(stored.type, 'patient');
      assert.equal(stored.name, 'Amina Otieno');
      assert.equal(stored.owner, 'f00dfeedf00dfeedf00dfeedf00dfeed');
      assert.equal(stored.closed, false);
      assert.equal(stored.server_modified_on, '2025-03-04T10:15:42.518Z');
      assert.deepEqual(stored.properties, {
        contact_phone_number: '+254712345678',
        dob: '1990-07-12',
        village: 'Kisumu West',
        date_opened: '2025-02-20T08:03:11.906',
      });
      assert.deepEqual(stored.indices, {
        parent: {
          case_type: 'household',
          case_id: 'c3d2e1f0-1111-4222-8333-944455556666',
          relationship: 'child',
        },
      });
      const number = (await api.call('GET', '/api/v1/phone-numbers/254712345678')).json();
      assert.equal(number.entries.length, 1);
    });

    test('a duplicate delivery (the same time) is applied again and changes nothing', async () => {
      const response = await post(forwarded());
      assert.equal(response.statusCode, 200);
      assert.equal(response.json().results[0].status, 'updated');
      assert.equal((await api.call('GET', caseUrl)).json().name, 'Amina Otieno');
    });

    test('out of order: an older delivery after a newer one is ignored, answered 200', async () => {
      const closed = forwarded({
        closed: true,
        date_closed: '2025-03-10T14:02:09.331000Z',
        server_date_modified: '2025-03-10T14:02:10.000001Z',
      });
      assert.equal((await post(closed)).statusCode, 200);
      const late = await post(forwarded({}, { village: 'Old value' }));
      assert.equal(late.statusCode, 200);
      assert.equal(late.json().results[0].status, 'ignored');
      const stored = (await api.call('GET', caseUrl)).json();
      assert.equal(stored.closed, true);
      assert.equal(stored.properties.village, 'Kisumu West');
      // Closing released the number.
      assert.equal((await api.call('GET', '/api/v1/phone-numbers/254712345678')).json().entries.length, 0);
    });

    test('owner_id at the top level, the v2 shape, a list, the server-modified-on header', async () => {
      const v2 = {
        case_id: 'v2case',
        case_type: 'household',
        case_name: 'Otieno home',
        owner_id: 'loc-1',
        server_last_modified: '2025-03-04T10:00:00Z',
        properties: { size: '4' },
      };
      const list = [forwarded({ case_id: 'top-owner', owner_id: 'user-9' }, { owner_id: undefined }), v2];
      const response = await post(list);
      assert.equal(response.statusCode, 200, response.body);
      assert.deepEqual(response.json().counts, { created: 2, updated: 0, ignored: 0, errors: 0 });
      assert.equal((await api.call('GET', '/api/v1/projects/clinic/cases/top-owner')).json().owner, 'user-9');
      const household = (await api.call('GET', '/api/v1/projects/clinic/cases/v2case')).json();
      assert.deepEqual(
        [household.type, household.name, household.owner],
        ['household', 'Otieno home', 'loc-1'],
      );

      const noDate = { case_id: 'hdr', properties: { case_type: 'patient', case_name: 'H' } };
      assert.equal(
        (await post(noDate, { 'server-modified-on': '2025-01-01T00:00:00.000000Z' })).statusCode,
        200,
      );
      assert.equal(
        (await api.call('GET', '/api/v1/projects/clinic/cases/hdr')).json().server_modified_on,
        '2025-01-01T00:00:00.000Z',
      );
    });

    test('bearer auth works too; a wrong key is 401 (HQ stops); basic auth is only for this endpoint', async () => {
      const bearer = await api.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: `Bearer ${key}` },
        payload: forwarded(),
      });
      assert.equal(bearer.statusCode, 200);
      const wrong = await post(forwarded(), { authorization: basic('commcare', 'nope') });
      assert.equal(wrong.statusCode, 401);
      assert.match(String(wrong.headers['www-authenticate']), /Basic/);
      const elsewhere = await api.app.inject({
        method: 'GET',
        url: '/api/v1/projects/clinic',
        headers: { authorization: basic('x', key) },
      });
      assert.equal(elsewhere.statusCode, 401);
    });

    test('payloads that can never succeed: 422 (or 415 for XML), naming the field, changing nothing', async () => {
      const before = await snapshot(api.t.db);
      const cases: [unknown, string][] = [
        [{ domain: 'demo-clinic', properties: {} }, 'case_id'],
        [forwarded({ server_date_modified: 'last tuesday' }), 'server_date_modified'],
        [forwarded({ closed: 'no' }), 'closed'],
        [[{ case_id: '' }], '[0].case_id'],
        ['a string', 'body'],
      ];
      for (const [body, field] of cases) {
        const response = await post(body);
        assert.equal(response.statusCode, 422, response.body);
        assert.equal(errorOf(response).field, field);
      }
      const notJson = await api.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: basic('c', key), 'content-type': 'application/json' },
        payload: '{"case_id":',
      });
      assert.equal(notJson.statusCode, 422);
      const xml = await api.app.inject({
        method: 'POST',
        url: URL,
        headers: { authorization: basic('c', key), 'content-type': 'text/xml' },
        payload: '<case/>',
      });
      assert.equal(xml.statusCode, 415);
      assert.equal(errorOf(xml).code, 'unsupported_media_type');
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a list with one bad case applies the others and reports the bad one', async () => {
      const response = await post([
        { case_id: 'good', properties: { case_type: 'patient' } },
        { properties: {} },
      ]);
      assert.equal(response.statusCode, 200);
      const [good, bad] = response.json().results;
      assert.equal(good.status, 'created');
      assert.deepEqual(bad, {
        index: 1,
        id: null,
        status: 'error',
        error: { field: '[1].case_id', message: 'is required' },
      });
    });
  });
}
