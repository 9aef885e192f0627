// Findings of the security audit on the API (issue #14): wrong keys are throttled per client
// address, and /healthz fails when the database cannot take writes.
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
