// The console's schedules on both databases: creating, editing, deactivating and activating an
// alert through its form (the API's schema and use case), its processing progress and preview;
// a broadcast and its preview; form errors that name their input and change nothing; escaping;
// and project isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES } from '../support/databases.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

/** The preview table's rows as [recipient, local, zone, utc, text, error]. */
function previewRows(html: string): string[][] {
  const table = /<table id="preview">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return table
    .split('<tr>')
    .slice(2)
    .map((row) =>
      [...row.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim()),
    );
}

/** The cells of the row of `id` in a table. */
function row(html: string, tableId: string, id: string): string[] {
  const table = new RegExp(`<table id="${tableId}"[^>]*>([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  for (const tr of table.split('<tr>').slice(1)) {
    const cells = [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) =>
      (m[1] ?? '')
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    );
    if (cells[0] === id) return cells;
  }
  return [];
}

const alertForm = (overrides: Record<string, string> = {}) => ({
  is_new: '1',
  id: 'anc',
  case_type: 'pregnancy',
  match: 'all',
  criteria_rows: '3',
  'criteria[0].property': 'status',
  'criteria[0].op': 'equals',
  'criteria[0].value': 'active',
  'criteria[1].property': '',
  'criteria[1].op': 'equals',
  'criteria[1].value': '',
  'criteria[2].property': '',
  'criteria[2].op': 'equals',
  'criteria[2].value': '',
  recipients: 'case',
  'schedule.type': 'daily',
  'schedule.time': '09:00',
  'schedule.days': '',
  'schedule.every': '',
  'schedule.occurrences': '3',
  'schedule.delay_minutes': '',
  'content.channel': 'sms',
  'content.text': 'Visit the clinic <b>today</b>',
  'content.translations': '',
  'content.subject': '',
  default_language: '',
  active: 'on',
  extra: '',
  ...overrides,
});

for (const name of DATABASES) {
  describe(`console schedules on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    /** Every round of due work there is now (alert processing goes one alert a round). */
    const work = async () => {
      const deps = {
        store: api.t.store,
        clock: api.clock,
        adapters: () => new TestGateway(api.clock),
        mailer: new RecordingMailer(api.clock),
        workerId: 'test',
      };
      while ((await runDueWork(deps)) > 0);
    };
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/p1', {
        type: 'pregnancy',
        name: 'Amina',
        properties: { status: 'active', contact_phone_number: '0712345678' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/p2', {
        type: 'pregnancy',
        name: 'Baraka',
        properties: { status: 'done', contact_phone_number: '0722000111' },
      });
      await ok('PUT', '/api/v1/projects/other/alerts/oa', {
        case_type: 'x',
        criteria: [],
        schedule: { type: 'daily', time: '08:00' },
        content: { text: 'Other' },
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('an alert made with the form is processed and previewed', async () => {
      const blank = await v.get('/p/clinic/schedules/alerts/new');
      assert.equal(blank.statusCode, 200, blank.body);
      assert.match(blank.body, /<label for="criteria\[0\]\.property">Property 1<\/label>/);
      const saved = await v.post('/p/clinic/schedules/alerts', alertForm());
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, '/p/clinic/schedules?saved=alert%3Aanc');
      const stored = await api.t.store.alerts.get('clinic', 'anc');
      assert.deepEqual(stored?.definition, {
        case_type: 'pregnancy',
        criteria: [{ property: 'status', op: 'equals', value: 'active' }],
        match: 'all',
        recipients: ['case'],
        schedule: { type: 'daily', time: '09:00', occurrences: 3 },
        content: { channel: 'sms', text: 'Visit the clinic <b>today</b>' },
        active: true,
      });
      const pending = await v.get('/p/clinic/schedules');
      assert.deepEqual(row(pending.body, 'alerts', 'anc').slice(4, 7), ['active', '0 / 2 (processing)', '0']);
      await work();
      const list = await v.get('/p/clinic/schedules');
      assert.deepEqual(row(list.body, 'alerts', 'anc').slice(1, 7), [
        'pregnancy',
        'daily at 09:00 3 times',
        'sms: Visit the clinic &lt;b&gt;today&lt;/b&gt;',
        'active',
        '2 / 2',
        '1',
      ]);
      assert.doesNotMatch(list.body, /<b>today/);
      const preview = await v.get('/p/clinic/schedules/alerts/anc/preview?days=7');
      assert.equal(preview.statusCode, 200, preview.body);
      const lines = previewRows(preview.body);
      assert.deepEqual(
        lines.map((l) => l.slice(0, 3)),
        [
          // 09:00 today has passed (it is 11:00 in Nairobi): past events are skipped.
          ['case:p1', '2026-01-06 09:00', 'Africa/Nairobi'],
          ['case:p1', '2026-01-07 09:00', 'Africa/Nairobi'],
          ['case:p1', '2026-01-08 09:00', 'Africa/Nairobi'],
        ],
      );
      assert.equal(lines[0]?.[3], '2026-01-06T06:00:00.000Z');
      assert.equal(lines[0]?.[4], 'Visit the clinic &lt;b&gt;today&lt;/b&gt;');
    });

    test('editing changes the alert, deactivating removes its instances, activating brings them back', async () => {
      const form = await v.get('/p/clinic/schedules/alerts/anc/edit');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /id="schedule\.time" name="schedule\.time" value="09:00"/);
      assert.match(form.body, /id="criteria\[0\]\.value" name="criteria\[0\]\.value" value="active"/);
      const extra = JSON.stringify({ schedule: { start_offset_days: 1 } });
      const saved = await v.post(
        '/p/clinic/schedules/alerts',
        alertForm({ is_new: '0', 'schedule.time': '10:30', extra }),
      );
      assert.equal(saved.statusCode, 303, saved.body);
      await work();
      const edited = await v.get('/p/clinic/schedules/alerts/anc/edit');
      assert.match(
        edited.body,
        /<textarea id="extra" name="extra"[^>]*>\{\n {2}&quot;schedule&quot;: \{\n {4}&quot;start_offset_days&quot;: 1/,
      );
      const preview = previewRows((await v.get('/p/clinic/schedules/alerts/anc/preview')).body);
      assert.deepEqual(
        preview.map((l) => l[1]),
        ['2026-01-06 10:30', '2026-01-07 10:30', '2026-01-08 10:30'],
      );

      const off = await v.post('/p/clinic/schedules/alerts/anc/active', { active: 'false' });
      assert.equal(off.statusCode, 303);
      assert.equal((await api.t.store.alerts.get('clinic', 'anc'))?.active, false);
      const list = await v.get('/p/clinic/schedules');
      assert.deepEqual(row(list.body, 'alerts', 'anc').slice(4, 7), ['inactive', '0 / 0', '0']);
      assert.match(
        list.body,
        /<button type="submit" class="secondary">Activate<span class="visually-hidden"> anc<\/span><\/button>/,
      );
      assert.match((await v.get('/p/clinic/schedules/alerts/anc/preview')).body, /id="no-lines"/);

      await v.post('/p/clinic/schedules/alerts/anc/active', { active: 'true' });
      await work();
      assert.equal(previewRows((await v.get('/p/clinic/schedules/alerts/anc/preview')).body).length, 3);
    });

    test('a form error names its input and changes nothing', async () => {
      const before = await snapshot(api.t.db);
      const time = await v.post(
        '/p/clinic/schedules/alerts',
        alertForm({ is_new: '0', 'schedule.time': '25:00' }),
      );
      assert.equal(time.statusCode, 400);
      assert.match(
        time.body,
        /id="schedule\.time" name="schedule\.time" value="25:00" aria-describedby="schedule\.time-error" aria-invalid="true">/,
      );
      assert.match(time.body, /<a href="#schedule\.time">schedule\.time<\/a>/);
      // The second criterion row, though the first is blank: the error lands on the row typed.
      const regex = await v.post(
        '/p/clinic/schedules/alerts',
        alertForm({
          is_new: '0',
          'criteria[0].property': '',
          'criteria[1].property': 'name',
          'criteria[1].op': 'regex',
          'criteria[1].value': '(',
        }),
      );
      assert.equal(regex.statusCode, 400);
      assert.match(
        regex.body,
        /<p class="field-error" id="criteria\[1\]\.value-error">must be a valid regular expression/,
      );
      const taken = await v.post('/p/clinic/schedules/alerts', alertForm());
      assert.equal(taken.statusCode, 400);
      assert.match(
        taken.body,
        /<p class="field-error" id="id-error">there is already an alert &#39;anc&#39;/,
      );
      const json = await v.post(
        '/p/clinic/schedules/alerts',
        alertForm({ id: 'x2', extra: '{"schedule": ' }),
      );
      assert.match(json.body, /<p class="field-error" id="extra-error">is not valid JSON/);
      const unknown = await v.post(
        '/p/clinic/schedules/alerts',
        alertForm({ id: 'x3', extra: '{"colour": "red"}' }),
      );
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /id="extra-error">[^<]*colour/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a broadcast made with the form, and its preview', async () => {
      const saved = await v.post('/p/clinic/schedules/broadcasts', {
        is_new: '1',
        id: 'flu',
        recipients: 'case:p1\nphone:+254733000111',
        'schedule.type': 'daily',
        'schedule.time': '08:00',
        'schedule.occurrences': '2',
        'content.channel': 'sms',
        'content.text': '',
        'content.translations': '*: Flu shots this week',
        extra: '',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      const list = await v.get('/p/clinic/schedules');
      assert.deepEqual(row(list.body, 'broadcasts', 'flu').slice(1, 5), [
        '2',
        'daily at 08:00 2 times',
        'sms: * translations',
        '1',
      ]);
      const lines = previewRows((await v.get('/p/clinic/schedules/broadcasts/flu/preview')).body);
      assert.deepEqual(
        lines.map((l) => [l[0], l[1], l[4]]),
        [
          ['case:p1', '2026-01-06 08:00', 'Flu shots this week'],
          ['phone:+254733000111', '2026-01-06 08:00', 'Flu shots this week'],
          ['case:p1', '2026-01-07 08:00', 'Flu shots this week'],
          ['phone:+254733000111', '2026-01-07 08:00', 'Flu shots this week'],
        ],
      );
      const bad = await v.post('/p/clinic/schedules/broadcasts', {
        is_new: '1',
        id: 'bad',
        recipients: 'patient:p1',
        'schedule.type': 'daily',
        'schedule.time': '08:00',
        'content.text': 'x',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(
        bad.body,
        /id="recipients" name="recipients" rows="5" aria-describedby="recipients-hint recipients-error" aria-invalid="true"/,
      );
      assert.equal(await api.t.store.broadcasts.get('clinic', 'bad'), null);
    });

    test('a project key sees and changes only its own project’s schedules', async () => {
      for (const url of [
        '/p/other/schedules',
        '/p/other/schedules/alerts/oa/edit',
        '/p/other/schedules/alerts/oa/preview',
        '/p/clinic/schedules/alerts/oa/edit',
        '/p/clinic/schedules/alerts/oa/preview',
      ]) {
        assert.equal((await v.get(url)).statusCode, 404, url);
      }
      assert.equal((await v.post('/p/other/schedules/alerts', alertForm({ id: 'sneak' }))).statusCode, 404);
      assert.equal(
        (await v.post('/p/other/schedules/alerts/oa/active', { active: 'false' })).statusCode,
        404,
      );
      assert.equal(
        (await v.post('/p/clinic/schedules/alerts/oa/active', { active: 'false' })).statusCode,
        404,
      );
      assert.equal((await api.t.store.alerts.get('other', 'oa'))?.active, true);
      assert.equal(await api.t.store.alerts.get('other', 'sneak'), null);
      assert.doesNotMatch((await v.get('/p/clinic/schedules')).body, />oa</);
    });
  });
}
