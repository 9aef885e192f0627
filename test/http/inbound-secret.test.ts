// Inbound secrets (issue #14 finding 8): at least 16 characters; a gateway created without one
// gets a random one, shown once in the create answer and never again.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, type TestApi } from './support.ts';

for (const name of DATABASES) {
  describe(`inbound secrets on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name);
      await api.ok('PUT', '/api/v1/projects/p', {});
    });
    after(() => api.close());

    test('a secret under 16 characters is a 400 naming the field, and nothing is saved', async () => {
      for (const url of ['/api/v1/projects/p/gateways/short', '/api/v1/gateways/short']) {
        const response = await api.call('PUT', url, {
          body: { type: 'test', inbound_secret: 'fifteen-chars!!' },
        });
        assert.equal(response.statusCode, 400, url);
        assert.equal(errorOf(response).field, 'inbound_secret');
        assert.equal((await api.call('GET', '/api/v1/gateways/short')).statusCode, 404);
      }
      await api.ok('PUT', '/api/v1/projects/p/gateways/short', {
        type: 'test',
        inbound_secret: 'sixteen-chars!!!',
      });
    });

    test('created without one: a random secret in the create answer, which authenticates the webhook, and never shown again', async () => {
      const created = await api.call('PUT', '/api/v1/projects/p/gateways/gen', { body: { type: 'test' } });
      assert.equal(created.statusCode, 201);
      const secret = (created.json() as { inbound_secret?: string; inbound_secret_set: boolean })
        .inbound_secret;
      assert.ok(secret !== undefined && secret.length >= 32, `generated: ${secret}`);
      const other = (
        await api.call('PUT', '/api/v1/projects/p/gateways/gen2', { body: { type: 'test' } })
      ).json() as {
        inbound_secret: string;
      };
      assert.notEqual(other.inbound_secret, secret, 'random');
      const hook = await api.app.inject({
        method: 'POST',
        url: `/gateways/gen/inbound?secret=${encodeURIComponent(secret)}`,
        payload: { from: '254700000001', text: 'hi' },
      });
      assert.equal(hook.statusCode, 200, hook.body);
      for (const [method, body] of [
        ['GET', undefined],
        ['PATCH', { name: 'renamed' }],
        ['PUT', { type: 'test' }],
      ] as const) {
        const answer = await api.call(method, '/api/v1/projects/p/gateways/gen', { body });
        assert.equal(answer.statusCode, 200, method);
        assert.doesNotMatch(answer.body, new RegExp(secret.replace(/[-_]/g, '.')), method);
        assert.equal((answer.json() as { inbound_secret_set: boolean }).inbound_secret_set, true);
      }
      assert.equal((await api.t.store.gateways.get('gen'))?.inboundSecret, secret, 'kept, not regenerated');
    });
  });
}
