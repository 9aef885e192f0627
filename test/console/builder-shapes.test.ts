// The console's builders make exactly the shapes of SPEC 4.1, 5.1 and 5.2 (and FORMAT.md), on
// both databases: each object is made by posting its form as a browser would (CSRF token and
// all), read back through the API, then its edit page is read as a browser would submit it —
// it must carry every value posted — and saved unchanged, which must change nothing: not the
// API's answer (its version included), not a row of the database.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';
import { asForm, assertRefilled, submitted } from './form-fill.ts';
import { CASES } from './builder-shapes-cases.ts';

/** The fields of an API answer that are not the definition. */
const META = ['id', 'keyword', 'project', 'version', 'processing', 'instance_count', 'next_due_at'];
const definitionOf = (view: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(view).filter(([key]) => !META.includes(key)));

for (const name of DATABASES) {
  describe(`the console's builders make the SPEC's shapes and re-fill them, on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;

    before(async () => {
      api = await openApi(name);
      const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);
      await ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        default_language: 'en',
        languages: ['sw'],
      });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/p1', {
        type: 'pregnancy',
        name: 'Amina',
        properties: { status: 'active', contact_phone_number: '0712345678' },
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    for (const c of CASES) {
      test(c.label, async () => {
        const list = `/p/clinic/${c.plural}`;
        const blank = await v.get(`${list}/new`);
        assert.equal(blank.statusCode, 200, blank.body);
        const saved = await v.post(list, { ...c.form, op: 'save' });
        assert.equal(saved.statusCode, 303, saved.body.slice(0, 3000));
        const url = `/api/v1/projects/clinic/${c.plural}/${c.id}`;
        const stored = (await api.ok('GET', url)) as Record<string, unknown>;
        assert.deepEqual(definitionOf(stored), c.expected);

        const edit = await v.get(`${list}/${c.id}/edit`);
        assert.equal(edit.statusCode, 200, edit.body);
        const shown = asForm(submitted(edit.body, list));
        assertRefilled(shown, c.form, ['is_new']);
        assert.equal(shown.is_new, '0');

        const before = await snapshot(api.t.db);
        const again = await v.post(list, { ...shown, op: 'save' });
        assert.equal(again.statusCode, 303, again.body.slice(0, 3000));
        assert.deepEqual(await api.ok('GET', url), stored);
        assert.deepEqual(await snapshot(api.t.db), before);
      });
    }

    test('month days stored with the old words re-fill as -1 and -2 and are saved as the numbers', async () => {
      const url = '/api/v1/projects/clinic/alerts/old-words';
      await api.ok('PUT', url, {
        case_type: 'pregnancy',
        criteria: [],
        schedule: { type: 'monthly', days: [5, 'last', 'second_last'], time: '09:00' },
        content: { text: 'Monthly' },
      });
      const edit = await v.get('/p/clinic/alerts/old-words/edit');
      const shown = asForm(submitted(edit.body, '/p/clinic/alerts'));
      assert.deepEqual(shown['schedule.month_days'], ['5', '-1', '-2']);
      assert.equal((await v.post('/p/clinic/alerts', { ...shown, op: 'save' })).statusCode, 303);
      const saved = (await api.ok('GET', url)) as { schedule: { days: unknown } };
      assert.deepEqual(saved.schedule.days, [5, -1, -2]);
    });
  });
}
