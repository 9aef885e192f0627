// Findings of the security audit on the API (issue #14): wrong keys are throttled per client
// address; text no database can hold is refused at the door alike on both databases, and an
// inbound SMS carrying it is kept (made storable), never lost; /healthz fails when the database
// cannot take writes.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { sql } from 'kysely';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, errorOf, openApi, type TestApi } from './support.ts';

for (const name of DATABASES) {
  describe(`API security on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name, { authFailuresPerMinute: 5 });
    });
    after(() => api.close());

    test('wrong keys from one address are refused for the rest of the minute, with Retry-After', async () => {
      const wrong = () => api.call('GET', '/api/v1/projects', { key: 'not-a-key' });
      for (let i = 0; i < 5; i++) assert.equal((await wrong()).statusCode, 401, `attempt ${i + 1}`);
      const refused = await wrong();
      assert.equal(refused.statusCode, 429);
      assert.equal(errorOf(refused).code, 'rate_limited');
      assert.equal(refused.headers['retry-after'], '60');
      // The address is refused whatever it presents until the window ends: guessing stops.
      assert.equal((await api.call('GET', '/api/v1/projects', { key: ADMIN_KEY })).statusCode, 429);
      api.clock.set(api.clock.now() + 30_000);
      assert.equal((await wrong()).headers['retry-after'], '30');
      api.clock.set(api.clock.now() + 30_000);
      assert.equal((await api.call('GET', '/api/v1/projects', { key: ADMIN_KEY })).statusCode, 200);
    });

    test('a NUL or a lone surrogate in any input is a 400 naming the field, and nothing is saved', async () => {
      await api.ok('PUT', '/api/v1/projects/p', {});
      for (const [text, words] of [
        ['a\u0000b', /NUL/],
        ['a\uD800b', /lone UTF-16 surrogate/],
        ['a\uDC00', /lone UTF-16 surrogate/],
      ] as const) {
        const response = await api.call('PUT', '/api/v1/projects/p/cases/c1', {
          body: { name: 'Amina', properties: { village: text } },
        });
        assert.equal(response.statusCode, 400, JSON.stringify(text));
        const error = errorOf(response);
        assert.equal(error.field, 'properties.village');
        assert.match(error.message, words);
      }
      assert.equal((await api.call('GET', '/api/v1/projects/p/cases/c1')).statusCode, 404);
      // A pair of surrogates is one character (an emoji) and is fine.
      await api.ok('PUT', '/api/v1/projects/p/cases/c1', { properties: { village: 'Kisumu \u{1F600}' } });
    });

    test('an inbound SMS with a NUL is stored, made storable, and answered', async () => {
      await api.ok('PUT', '/api/v1/projects/p', {});
      await api.ok('PUT', '/api/v1/projects/p/gateways/gw-nul', {
        type: 'test',
        inbound_secret: 'a-secret-of-sixteen-or-more',
      });
      const response = await api.app.inject({
        method: 'POST',
        url: '/gateways/gw-nul/inbound',
        headers: { 'x-caseline-secret': 'a-secret-of-sixteen-or-more' },
        payload: { from: '+254712345678', text: 'hello\u0000there' },
      });
      assert.equal(response.statusCode, 200, response.body);
      const stored = await api.t.store.messages.get(response.json().message_id);
      assert.equal(stored?.text, 'hello\u2400there');
    });

    test('a masked secret never follows a gateway to a new address', async () => {
      await api.ok('PUT', '/api/v1/projects/p', {});
      const sid = `AC${'b'.repeat(32)}`;
      await api.ok('PUT', '/api/v1/gateways/tw-admin', {
        project: 'p',
        type: 'twilio',
        config: { account_sid: sid, auth_token: 'admin-provisioned-token', from: '+15005550006' },
      });
      const key = await api.projectKey('p');
      const shown = (await api.call('GET', '/api/v1/projects/p/gateways/tw-admin', { key })).json();
      assert.equal(shown.config.auth_token, '********');
      const redirected = await api.call('PUT', '/api/v1/projects/p/gateways/tw-admin', {
        key,
        body: { config: { ...shown.config, base_url: 'https://collector.example.net' } },
      });
      assert.equal(redirected.statusCode, 400);
      const error = errorOf(redirected);
      assert.equal(error.field, 'config.auth_token');
      assert.match(error.message, /config\.base_url changed/);
      const stored = await api.t.store.gateways.get('tw-admin');
      assert.equal(stored?.config.base_url, undefined, 'nothing saved');
      // Sent back unchanged, the secret stays; given again with the new address, it is taken.
      assert.equal(
        (
          await api.call('PUT', '/api/v1/projects/p/gateways/tw-admin', {
            key,
            body: { config: shown.config },
          })
        ).statusCode,
        200,
      );
      const moved = await api.call('PUT', '/api/v1/projects/p/gateways/tw-admin', {
        key,
        body: {
          config: { ...shown.config, base_url: 'https://collector.example.net', auth_token: 'own-token' },
        },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.equal((await api.t.store.gateways.get('tw-admin'))?.config.auth_token, 'own-token');
    });

    test('another address is not affected by one that guesses', async () => {
      for (let i = 0; i < 6; i++) {
        await api.app.inject({
          method: 'GET',
          url: '/api/v1/projects',
          remoteAddress: '10.0.0.9',
          headers: { authorization: 'Bearer nope' },
        });
      }
      const other = await api.app.inject({
        method: 'GET',
        url: '/api/v1/projects',
        remoteAddress: '10.0.0.10',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      assert.equal(other.statusCode, 200);
    });
  });
}

describe('/healthz', () => {
  let api: TestApi;
  before(async () => {
    api = await openApi('sqlite');
  });
  after(() => api.close());

  test('is ok while the database takes writes, and 503 once it is read-only', async () => {
    const ok = await api.app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json(), { status: 'ok' });
    // What a read-only database file does to every write (SQLITE_READONLY), on the same connection.
    await sql`PRAGMA query_only = 1`.execute(api.t.db.kysely);
    try {
      const failing = await api.app.inject({ method: 'GET', url: '/healthz' });
      assert.equal(failing.statusCode, 503);
      assert.equal(failing.json().status, 'error');
    } finally {
      await sql`PRAGMA query_only = 0`.execute(api.t.db.kysely);
    }
  });
});
