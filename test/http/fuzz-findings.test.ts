// What the fuzz test over every route found, one regression test each, on both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from './support.ts';

for (const name of DATABASES) {
  describe(`fuzz findings on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name);
    });
    after(() => api.close());

    // PostgreSQL refused the NUL in the gateway look-up: 500. No gateway has such an id.
    test('a webhook for a gateway id with NUL or a lone surrogate is an unknown gateway, not a 500', async () => {
      for (const method of ['GET', 'POST'] as const) {
        for (const kind of ['inbound', 'status']) {
          for (const id of ['%00', 'a%00b', '%ED%A0%80']) {
            const response = await api.app.inject({ method, url: `/gateways/${id}/${kind}?secret=x` });
            assert.ok(
              response.statusCode < 500,
              `${method} ${id}/${kind}: ${response.statusCode} ${response.body}`,
            );
            if (id !== '%ED%A0%80') assert.equal(response.statusCode, 403, response.body);
          }
        }
      }
    });
  });
}
