// The outbound address guard through the console (SPEC 3.6): a project's operator cannot save a
// gateway that reaches a private address — the problem is shown on its input and nothing is
// saved — while the admin's session can (its gateways are trusted).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

const form = (id: string, url: string) => ({
  id,
  type: 'kannel',
  'cfg.kannel.url': url,
  'cfg.kannel.username': 'u',
  'cfg.kannel.password': 'p',
  inbound_secret: 'hook-secret-0123456789',
});

for (const name of DATABASES) {
  describe(`console outbound address guard on ${name}`, () => {
    let api: TestApi;
    let project: Visitor;
    before(async () => {
      const resolve = () => Promise.reject(new Error('no DNS in this test'));
      api = await openApi(name, {}, { outbound: { allowPrivate: false, resolve } });
      await apiOk(api, 'PUT', '/api/v1/projects/clinic', { default_country: 'KE' });
      project = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test("a project's operator: the metadata address is refused on its input, nothing saved", async () => {
      const before = await snapshot(api.t.db);
      const refused = await project.post('/p/clinic/gateways', form('meta', 'http://169.254.169.254/latest'));
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /id="cfg\.kannel\.url"[^>]*aria-invalid="true"/);
      assert.match(refused.body, /cloud metadata address/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('the admin’s session saves an on-premise aggregator', async () => {
      const admin = await signedIn(api, ADMIN_KEY);
      const saved = await admin.post(
        '/p/clinic/gateways',
        form('onprem', 'http://10.0.0.5:13013/cgi-bin/sendsms'),
      );
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal((await api.t.store.gateways.get('onprem'))?.trusted, true);
    });
  });
}
