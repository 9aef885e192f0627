// The console's gateways and settings on both databases: lists and forms
// through the API's schemas and use cases, a problem shown on its input with nothing changed,
// the admin-only parts (sharing a gateway, changing settings) hidden from and refused to a
// project key as the API refuses them, and project isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

const invalid = (html: string, id: string) =>
  new RegExp(`id="${id}" name="${id}"[^>]*aria-describedby="[^"]*${id}-error" aria-invalid="true"`);

for (const name of DATABASES) {
  describe(`console configuration pages on ${name}`, () => {
    let api: TestApi;
    let project: Visitor;
    let admin: Visitor;
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/other/gateways/other-sms', { type: 'test' });
      project = await signedIn(api, await api.projectKey('clinic'));
      admin = await signedIn(api, ADMIN_KEY);
    });
    after(() => api.close());

    test('gateways: saved through the API’s checks; sharing is for the admin only', async () => {
      const page = await project.get('/p/clinic/gateways');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /id="shared_with"/);
      assert.match((await admin.get('/p/clinic/gateways')).body, /<label for="shared_with">/);
      const saved = await project.post('/p/clinic/gateways', {
        id: 'sms',
        name: 'Main',
        type: 'test',
        default: 'on',
        prefixes: '2547, 2541',
        max_attempts: '4',
        retry_minutes: '2',
        config: '',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const gateway = await api.t.store.gateways.get('sms');
      assert.deepEqual(
        [gateway?.owner, gateway?.isDefault, gateway?.prefixes, gateway?.maxAttempts],
        ['clinic', true, ['2541', '2547'], 4],
      );
      const edit = await project.get('/p/clinic/gateways?edit=sms');
      assert.match(edit.body, /id="prefixes" name="prefixes" value="2541, 2547"/);

      const before = await snapshot(api.t.db);
      const shared = await project.post('/p/clinic/gateways', { id: 'sms', shared_with: 'other' });
      assert.equal(shared.statusCode, 403);
      assert.match(shared.body, /sharing a gateway with other projects needs the admin key/);
      const prefix = await project.post('/p/clinic/gateways', { id: 'sms2', prefixes: '25x' });
      assert.equal(prefix.statusCode, 400);
      assert.match(prefix.body, invalid(prefix.body, 'prefixes'));
      assert.match(prefix.body, /must be a prefix of 1 to 15 digits/);
      const taken = await project.post('/p/clinic/gateways', { id: 'other-sms' });
      assert.equal(taken.statusCode, 409);
      assert.match(taken.body, invalid(taken.body, 'id'));
      const attempts = await project.post('/p/clinic/gateways', { id: 'sms', max_attempts: '99' });
      assert.match(attempts.body, invalid(attempts.body, 'max_attempts'));
      assert.deepEqual(await snapshot(api.t.db), before);
      assert.doesNotMatch((await project.get('/p/clinic/gateways')).body, /other-sms/);
    });

    test('settings: read-only for a project key, the admin’s form checked like the API', async () => {
      const page = await project.get('/p/clinic/settings');
      assert.match(page.body, /id="read-only"/);
      assert.doesNotMatch(page.body, /<form method="post" action="\/p\/clinic\/settings"/);
      const refused = await project.post('/p/clinic/settings', { time_zone: 'UTC' });
      assert.equal(refused.statusCode, 403);
      assert.equal((await api.t.store.projects.get('clinic'))?.settings.time_zone, 'Africa/Nairobi');

      const form = await admin.get('/p/clinic/settings');
      assert.match(form.body, /id="time_zone" name="time_zone" value="Africa\/Nairobi"/);
      const before = await snapshot(api.t.db);
      const zone = await admin.post('/p/clinic/settings', {
        time_zone: 'Mars/Base',
        default_country: 'KE',
        normalize_text: 'on',
      });
      assert.equal(zone.statusCode, 400);
      assert.match(zone.body, invalid(zone.body, 'time_zone'));
      const limit = await admin.post('/p/clinic/settings', {
        time_zone: 'Africa/Nairobi',
        default_country: 'KE',
        daily_sms_limit: '-5',
      });
      assert.match(limit.body, invalid(limit.body, 'daily_sms_limit'));
      const windows = await admin.post('/p/clinic/settings', {
        time_zone: 'Africa/Nairobi',
        window_rows: '1',
        'restricted_times[0].day': '9',
        'restricted_times[0].start': '08:00',
        'restricted_times[0].end': '18:00',
      });
      assert.match(windows.body, /<a href="#restricted_times\[0\]\.day">restricted_times\[0\]\.day<\/a>/);
      assert.deepEqual(await snapshot(api.t.db), before);

      // The builder: a window added by a button, with the keyboard on it; nothing saved yet.
      const added = await admin.post('/p/clinic/settings', {
        time_zone: 'Africa/Nairobi',
        window_rows: '0',
        op: 'add-window',
      });
      assert.match(
        added.body,
        /<select id="restricted_times\[0\]\.day" name="restricted_times\[0\]\.day" autofocus/,
      );
      assert.deepEqual(await snapshot(api.t.db), before);

      const saved = await admin.post('/p/clinic/settings', {
        time_zone: 'Africa/Nairobi',
        default_country: 'KE',
        default_language: 'en',
        languages: 'sw, fr',
        daily_sms_limit: '100',
        normalize_text: 'on',
        window_rows: '1',
        'restricted_times[0].day': '-1',
        'restricted_times[0].start': '08:00',
        'restricted_times[0].end': '18:00',
        'texts.opted_out.sw': 'Umejiondoa. Tuma {keyword} kurudi.',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.deepEqual((await api.t.store.projects.get('clinic'))?.settings, {
        time_zone: 'Africa/Nairobi',
        default_country: 'KE',
        default_language: 'en',
        languages: ['sw', 'fr'],
        daily_sms_limit: 100,
        normalize_text: true,
        allow_case_registration: false,
        allow_worker_registration: false,
        restricted_times: [{ day: -1, start: '08:00', end: '18:00' }],
        texts: { opted_out: { sw: 'Umejiondoa. Tuma {keyword} kurudi.' } },
      });
      // The form shows them back: a text field per language, the window as a row, no JSON.
      const shown = await admin.get('/p/clinic/settings');
      assert.match(shown.body, /<label for="texts\.opted_out\.fr">In fr<\/label>/);
      assert.match(
        shown.body,
        /<textarea id="texts\.opted_out\.sw"[^>]*>Umejiondoa\. Tuma \{keyword\} kurudi\.<\/textarea>/,
      );
      assert.match(
        shown.body,
        /id="restricted_times\[0\]\.start" name="restricted_times\[0\]\.start" value="08:00"/,
      );
      assert.doesNotMatch(shown.body, /JSON/);
    });

    test('a project key reads and posts only its own project’s configuration', async () => {
      for (const path of ['gateways', 'settings']) {
        assert.equal((await project.get(`/p/other/${path}`)).statusCode, 404, path);
        assert.equal(
          (await project.post(`/p/other/${path}`, { id: 'x', keyword: 'x', reply: 'x' })).statusCode,
          404,
          path,
        );
      }
    });
  });
}
