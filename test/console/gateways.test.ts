// The console's gateway page on both databases: each type's inputs generated from its config
// schema (a secret as a password input, kept when left blank), a config problem shown on its
// input with nothing saved, the webhook addresses under CASELINE_PUBLIC_URL with how calls are
// checked, a test message queued through that gateway alone, and deletion.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { PUBLIC_URL, openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

for (const name of DATABASES) {
  describe(`console gateway page on ${name}`, () => {
    let api: TestApi;
    let project: Visitor;

    before(async () => {
      api = await openApi(name);
      await apiOk(api, 'PUT', '/api/v1/projects/clinic', { default_country: 'KE' });
      project = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('inputs generated from every type’s schema; a kannel gateway saved from them', async () => {
      const page = await project.get('/p/clinic/gateways');
      assert.equal(page.statusCode, 200);
      for (const type of ['http', 'twilio', 'kannel', 'africastalking', 'infobip', 'telerivet', 'smpp'])
        assert.match(page.body, new RegExp(`<fieldset data-gateway-type="${type}"`));
      assert.match(
        page.body,
        /id="cfg\.kannel\.password" name="cfg\.kannel\.password" value=""[^>]*autocomplete="new-password"/,
      );
      assert.match(page.body, /<select id="cfg\.smpp\.bind"/);
      assert.match(page.body, /type="number" id="cfg\.kannel\.dlr_mask"/);

      const form = {
        id: 'kannel1',
        type: 'kannel',
        'cfg.kannel.url': 'http://kannel.local:13013/cgi-bin/sendsms',
        'cfg.kannel.username': 'tester',
        'cfg.kannel.password': 'pw-1',
        'cfg.kannel.dlr_mask': '31',
        'cfg.twilio.auth_token': 'ignored: another type',
        inbound_secret: 'hook-secret-0123456789',
      };
      const saved = await project.post('/p/clinic/gateways', form);
      assert.equal(saved.statusCode, 303, saved.body);
      const stored = await api.t.store.gateways.get('kannel1');
      assert.deepEqual(stored?.config, {
        url: 'http://kannel.local:13013/cgi-bin/sendsms',
        username: 'tester',
        password: 'pw-1',
        dlr_mask: 31,
      });
      // Saved again with the password left blank: the stored one is kept.
      const again = await project.post('/p/clinic/gateways', {
        ...form,
        'cfg.kannel.password': '',
        'cfg.kannel.from': 'CLINIC',
      });
      assert.equal(again.statusCode, 303, again.body);
      const kept = await api.t.store.gateways.get('kannel1');
      assert.equal(kept?.config.password, 'pw-1');
      assert.equal(kept?.config.from, 'CLINIC');
      const edit = await project.get('/p/clinic/gateways?edit=kannel1');
      assert.match(edit.body, /id="cfg\.kannel\.username" name="cfg\.kannel\.username" value="tester"/);
      assert.doesNotMatch(edit.body, /pw-1/);
    });

    test('a config problem is shown on its input and nothing is saved', async () => {
      const before = await snapshot(api.t.db);
      const bad = await project.post('/p/clinic/gateways', {
        id: 'kannel2',
        type: 'kannel',
        'cfg.kannel.url': 'ftp://nope',
        'cfg.kannel.username': 'u',
        'cfg.kannel.password': 'p',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="cfg\.kannel\.url"[^>]*aria-invalid="true"/);
      assert.match(bad.body, /must be an http:\/\/ or https:\/\/ URL/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('webhook addresses under the public URL, with how calls are checked', async () => {
      const page = await project.get('/p/clinic/gateways');
      assert.match(
        page.body,
        new RegExp(`<code id="inbound-kannel1">${PUBLIC_URL}/gateways/kannel1/inbound</code>`),
      );
      assert.match(
        page.body,
        new RegExp(`<code id="status-kannel1">${PUBLIC_URL}/gateways/kannel1/status</code>`),
      );
      assert.match(page.body, /\?secret=/);
    });

    test('a test message is queued through that gateway alone; a bad number is refused', async () => {
      await apiOk(api, 'PUT', '/api/v1/projects/clinic/gateways/main', { type: 'test', default: true });
      const sent = await project.post('/p/clinic/gateways/kannel1/test', {
        to: '+254712345678',
        text: 'Testing',
      });
      assert.equal(sent.statusCode, 303, sent.body);
      const row = await api.t.db.kysely
        .selectFrom('messages')
        .select(['gateway_id', 'phone', 'text', 'status'])
        .where('text', '=', 'Testing')
        .executeTakeFirst();
      assert.deepEqual(row, {
        gateway_id: 'kannel1',
        phone: '254712345678',
        text: 'Testing',
        status: 'queued',
      });
      const bad = await project.post('/p/clinic/gateways/kannel1/test', { to: '12', text: 'Testing' });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /INVALID_PHONE_NUMBER/);
    });

    test('delete removes the gateway', async () => {
      const gone = await project.post('/p/clinic/gateways/kannel1/delete', {});
      assert.equal(gone.statusCode, 303);
      assert.equal(await api.t.store.gateways.get('kannel1'), null);
      assert.doesNotMatch((await project.get('/p/clinic/gateways')).body, /id="gw-kannel1"/);
    });
  });
}
