// Webhook authentication failures are throttled per gateway and client address (issue #14
// finding 8), and CASELINE_TRUST_PROXY says whether X-Forwarded-For names the client: off, a
// forged header does not escape the throttle; on, each forwarded client has its own budget.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, errorOf, openApi, type TestApi } from './support.ts';

const SECRET = 'gateway-secret-0123456789';

for (const name of DATABASES) {
  describe(`webhook authentication throttle on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name, { authFailuresPerMinute: 3 });
      await api.ok('PUT', '/api/v1/projects/p', {});
      await api.ok('PUT', '/api/v1/projects/p/gateways/gw', { type: 'test', inbound_secret: SECRET });
      await api.ok('PUT', '/api/v1/projects/p/gateways/gw2', { type: 'test', inbound_secret: SECRET });
    });
    after(() => api.close());

    const hook = (gateway: string, secret: string, remoteAddress: string, text = 'hello') =>
      api.app.inject({
        method: 'POST',
        url: `/gateways/${gateway}/inbound?secret=${secret}`,
        remoteAddress,
        payload: { from: '254700000001', text },
      });

    test('wrong secrets from one address: 403 three times, then 429 with Retry-After until the minute ends', async () => {
      for (let i = 0; i < 3; i++)
        assert.equal((await hook('gw', 'wrong', '203.0.113.9')).statusCode, 403, `attempt ${i + 1}`);
      const refused = await hook('gw', 'wrong', '203.0.113.9');
      assert.equal(refused.statusCode, 429);
      assert.equal(errorOf(refused).code, 'rate_limited');
      assert.equal(refused.headers['retry-after'], '60');
      // Guessing stops: even the right secret from that address waits.
      assert.equal((await hook('gw', SECRET, '203.0.113.9')).statusCode, 429);
      // The provider, calling from its own address, and the other gateway are not affected.
      assert.equal((await hook('gw', SECRET, '198.51.100.1', 'one')).statusCode, 200);
      assert.equal((await hook('gw2', 'wrong', '203.0.113.9')).statusCode, 403);
      api.clock.set(api.clock.now() + 60_000);
      assert.equal((await hook('gw', SECRET, '203.0.113.9', 'two')).statusCode, 200);
    });

    test('successful calls never count', async () => {
      for (let i = 0; i < 10; i++)
        assert.equal((await hook('gw', SECRET, '198.51.100.2', `ok ${i}`)).statusCode, 200, `call ${i + 1}`);
      for (let i = 0; i < 3; i++) assert.equal((await hook('gw', 'wrong', '198.51.100.2')).statusCode, 403);
      assert.equal((await hook('gw', 'wrong', '198.51.100.2')).statusCode, 429);
    });
  });
}

describe('CASELINE_TRUST_PROXY', () => {
  const wrongKey = (api: TestApi, forwarded: string) =>
    api.call('GET', '/api/v1/projects', { key: 'not-a-key', headers: { 'x-forwarded-for': forwarded } });

  test('off (default): a forged X-Forwarded-For does not escape the throttle', async () => {
    const api = await openApi('sqlite', { authFailuresPerMinute: 2 });
    try {
      assert.equal((await wrongKey(api, '192.0.2.1')).statusCode, 401);
      assert.equal((await wrongKey(api, '192.0.2.2')).statusCode, 401);
      assert.equal(
        (await wrongKey(api, '192.0.2.3')).statusCode,
        429,
        'the same client, whatever it forwards',
      );
      assert.equal((await api.call('GET', '/api/v1/projects', { key: ADMIN_KEY })).statusCode, 429);
    } finally {
      await api.close();
    }
  });

  test('on: each forwarded client address is throttled on its own', async () => {
    const api = await openApi('sqlite', { authFailuresPerMinute: 2 }, { config: { trustProxy: true } });
    try {
      for (let i = 0; i < 2; i++) assert.equal((await wrongKey(api, '192.0.2.1')).statusCode, 401);
      assert.equal((await wrongKey(api, '192.0.2.1')).statusCode, 429);
      assert.equal((await wrongKey(api, '192.0.2.2')).statusCode, 401, 'another client has its own budget');
      const other = await api.call('GET', '/api/v1/projects', {
        headers: { 'x-forwarded-for': '192.0.2.3' },
      });
      assert.equal(other.statusCode, 200);
    } finally {
      await api.close();
    }
  });
});
