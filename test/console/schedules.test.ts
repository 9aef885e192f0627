// The console's alerts and broadcasts on both databases (issue 15): lists with status, next
// firing and actions; creating at /<plural>/new with the criteria builder, recipient rows, the
// schedule builder and a text per project language — all inputs, no JSON; builder buttons that
// keep what was typed and put the keyboard on the new row; stopping (marked stopped, nothing
// next) and activating; deleting after a confirmation; form errors on their input with nothing
// saved; escaping; and project isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { dueWork } from '../support/due-work.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

const strip = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();

/** The cells of a list row (`<tr id="row-ID">`), header cell first. */
function row(html: string, id: string): string[] {
  const tr = new RegExp(`<tr id="row-${id}">([\\s\\S]*?)</tr>`).exec(html)?.[1] ?? '';
  return [...tr.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) => strip(m[1] ?? ''));
}

/** The preview table's rows as [recipient, local, zone, utc, text, error]. */
function previewRows(html: string): string[][] {
  const table = /<table id="preview">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? '';
  return table
    .split('<tr>')
    .slice(2)
    .map((tr) => [...tr.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => strip(m[1] ?? '')));
}

const alertForm = (overrides: Record<string, string> = {}) => ({
  is_new: '1',
  id: 'anc',
  case_type: 'pregnancy',
  match: 'all',
  criteria_rows: '1',
  'criteria[0].property': 'status',
  'criteria[0].op': 'equals',
  'criteria[0].value': 'active',
  recipients: 'case',
  'schedule.type': 'daily',
  'schedule.every': '',
  'schedule.time_mode': 'time',
  'schedule.time': '09:00',
  'schedule.start_mode': 'created',
  'schedule.start_offset_days': '',
  'schedule.occurrences': '3',
  'schedule.event_rows': '0',
  'content.channel': 'sms',
  'content.translations.*': 'Visit the clinic <b>today</b>',
  'content.survey': '',
  default_language: '',
  active: 'on',
  op: 'save',
  ...overrides,
});

for (const name of DATABASES) {
  describe(`console alerts and broadcasts on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const work = () => dueWork(api.t.store, api.clock).now();
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        default_language: 'en',
        languages: ['sw'],
      });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      for (const [id, label, status, number] of [
        ['p1', 'Amina', 'active', '0712345678'],
        ['p2', 'Baraka', 'done', '0722000111'],
      ] as const)
        await ok('PUT', `/api/v1/projects/clinic/cases/${id}`, {
          type: 'pregnancy',
          name: label,
          properties: { status, contact_phone_number: number },
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

    test('an alert made with the form is processed, listed with its state and next firing, and previewed', async () => {
      const list = await v.get('/p/clinic/alerts');
      assert.match(list.body, /<a class="button" href="\/p\/clinic\/alerts\/new" id="new">New alert<\/a>/);
      const blank = await v.get('/p/clinic/alerts/new');
      assert.equal(blank.statusCode, 200, blank.body);
      // One text field per project language, and none of the form is JSON.
      for (const label of ['Text \\(any language\\)', 'In en', 'In sw'])
        assert.match(blank.body, new RegExp(`<label for="content\\.translations\\.[a-z]+">${label}</label>`));
      assert.doesNotMatch(blank.body, /JSON/);
      const saved = await v.post('/p/clinic/alerts', alertForm());
      assert.equal(saved.statusCode, 303, saved.body);
      assert.equal(saved.headers.location, '/p/clinic/alerts?done=Saved%20alert%20anc.');
      assert.deepEqual((await api.t.store.alerts.get('clinic', 'anc'))?.definition, {
        case_type: 'pregnancy',
        criteria: [{ property: 'status', op: 'equals', value: 'active' }],
        match: 'all',
        recipients: ['case'],
        schedule: { type: 'daily', time: '09:00', occurrences: 3 },
        content: { text: 'Visit the clinic <b>today</b>' },
        active: true,
      });
      assert.deepEqual(row((await v.get('/p/clinic/alerts')).body, 'anc').slice(4, 6), [
        'active',
        '0 / 2 (processing)',
      ]);
      await work();
      const listed = await v.get('/p/clinic/alerts');
      assert.deepEqual(row(listed.body, 'anc').slice(0, 8), [
        'anc',
        'pregnancy',
        'daily at 09:00 3 times',
        'sms: Visit the clinic &lt;b&gt;today&lt;/b&gt;',
        'active',
        '2 / 2',
        '1',
        '2026-01-06 09:00',
      ]);
      assert.doesNotMatch(listed.body, /<b>today/);
      const lines = previewRows((await v.get('/p/clinic/alerts/anc/preview?days=7')).body);
      assert.deepEqual(
        lines.map((l) => l.slice(0, 3)),
        [
          // 09:00 today has passed (it is 11:00 in Nairobi): past events are skipped.
          ['case:p1', '2026-01-06 09:00', 'Africa/Nairobi'],
          ['case:p1', '2026-01-07 09:00', 'Africa/Nairobi'],
          ['case:p1', '2026-01-08 09:00', 'Africa/Nairobi'],
        ],
      );
      assert.deepEqual(lines[0]?.slice(3, 5), [
        '2026-01-06T06:00:00.000Z',
        'Visit the clinic &lt;b&gt;today&lt;/b&gt;',
      ]);
    });

    test('builder buttons add and remove rows, keep what was typed, and leave the keyboard on the new row; nothing is saved', async () => {
      const before = await snapshot(api.t.db);
      const added = await v.post(
        '/p/clinic/alerts',
        alertForm({ id: 'draft', op: 'add-criterion', 'content.translations.sw': 'Habari' }),
      );
      assert.equal(added.statusCode, 200);
      assert.match(added.body, /id="criteria\[0\]\.value" name="criteria\[0\]\.value" value="active"/);
      assert.match(
        added.body,
        /id="criteria\[1\]\.property" name="criteria\[1\]\.property" value="" autofocus/,
      );
      assert.match(added.body, /<textarea id="content\.translations\.sw"[^>]*>Habari<\/textarea>/);
      const removed = await v.post(
        '/p/clinic/alerts',
        alertForm({
          id: 'draft',
          op: 'remove-criterion:0',
          criteria_rows: '2',
          'criteria[1].property': 'village',
          'criteria[1].op': 'has_value',
        }),
      );
      assert.match(
        removed.body,
        /id="criteria\[0\]\.property" name="criteria\[0\]\.property" value="village"/,
      );
      assert.doesNotMatch(removed.body, /criteria\[1\]\.property/);
      assert.match(removed.body, /id="add-criterion" autofocus/);
      // The schedule builder shows the fields of the kind chosen: weekdays for weekly, events for custom.
      const weekly = await v.post(
        '/p/clinic/alerts',
        alertForm({ id: 'draft', op: 'refresh', 'schedule.type': 'weekly' }),
      );
      assert.match(weekly.body, /<label for="schedule\.days-thu">Thursday<\/label>/);
      const custom = await v.post(
        '/p/clinic/alerts',
        alertForm({ id: 'draft', op: 'add-event', 'schedule.type': 'custom_daily' }),
      );
      assert.match(
        custom.body,
        /id="schedule\.events\[0\]\.day" name="schedule\.events\[0\]\.day" value="1" autofocus/,
      );
      assert.match(
        custom.body,
        /<label for="schedule\.events\[0\]\.content\.translations\.sw">In sw<\/label>/,
      );
      assert.doesNotMatch(custom.body, /id="content\.survey"/, 'a custom schedule has no content of its own');
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('stop marks it stopped with nothing next; activate brings the instances back from now; edit keeps the form', async () => {
      const form = await v.get('/p/clinic/alerts/anc/edit');
      assert.match(form.body, /id="schedule\.time" name="schedule\.time" value="09:00"/);
      assert.match(form.body, /id="criteria\[0\]\.value" name="criteria\[0\]\.value" value="active"/);
      const saved = await v.post(
        '/p/clinic/alerts',
        alertForm({ is_new: '0', 'schedule.time': '10:30', 'schedule.start_offset_days': '1' }),
      );
      assert.equal(saved.statusCode, 303, saved.body);
      await work();
      assert.match(
        (await v.get('/p/clinic/alerts/anc/edit')).body,
        /id="schedule\.start_offset_days" name="schedule\.start_offset_days" value="1"/,
      );
      const preview = previewRows((await v.get('/p/clinic/alerts/anc/preview')).body);
      assert.deepEqual(
        preview.map((l) => l[1]),
        ['2026-01-06 10:30', '2026-01-07 10:30', '2026-01-08 10:30'],
      );

      const off = await v.post('/p/clinic/alerts/anc/active', { active: 'false' });
      assert.equal(off.statusCode, 303);
      const stopped = await v.get(String(off.headers.location));
      assert.match(stopped.body, /<p class="notice" role="status" id="done">Stopped alert anc\.<\/p>/);
      const cells = row(stopped.body, 'anc');
      assert.deepEqual([cells[4], cells[7]], ['stopped', 'none (stopped)']);
      assert.match(
        stopped.body,
        /<button type="submit" class="secondary">Activate<span class="visually-hidden"> anc<\/span><\/button>/,
      );
      const stoppedPreview = await v.get('/p/clinic/alerts/anc/preview');
      assert.match(stoppedPreview.body, /id="stopped"/);
      assert.match(stoppedPreview.body, /id="no-lines"/);

      await v.post('/p/clinic/alerts/anc/active', { active: 'true' });
      await work();
      assert.equal(row((await v.get('/p/clinic/alerts')).body, 'anc')[4], 'active');
      assert.equal(previewRows((await v.get('/p/clinic/alerts/anc/preview')).body).length, 3);
    });

    test('a form error names its input and changes nothing', async () => {
      const before = await snapshot(api.t.db);
      const time = await v.post('/p/clinic/alerts', alertForm({ is_new: '0', 'schedule.time': '25:00' }));
      assert.equal(time.statusCode, 400);
      assert.match(
        time.body,
        /id="schedule\.time" name="schedule\.time" value="25:00" aria-describedby="schedule\.time-error" aria-invalid="true">/,
      );
      assert.match(time.body, /<a href="#schedule\.time">schedule\.time<\/a>/);
      // The second criterion row, though the first is blank: the error lands on the row typed.
      const regex = await v.post(
        '/p/clinic/alerts',
        alertForm({
          is_new: '0',
          criteria_rows: '2',
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
      const taken = await v.post('/p/clinic/alerts', alertForm());
      assert.equal(taken.statusCode, 400);
      assert.match(
        taken.body,
        /<p class="field-error" id="id-error">there is already an alert &#39;anc&#39;/,
      );
      const noDays = await v.post('/p/clinic/alerts', alertForm({ id: 'w', 'schedule.type': 'weekly' }));
      assert.equal(noDays.statusCode, 400);
      assert.match(noDays.body, /<p class="field-error" id="schedule\.days-error">/);
      const noText = await v.post('/p/clinic/alerts', alertForm({ id: 't', 'content.translations.*': '' }));
      assert.equal(noText.statusCode, 400);
      assert.match(noText.body, /id="content\.translations\.untranslated-error"/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a broadcast made with recipient rows and two translations, its preview, and a bad row refused', async () => {
      const form = {
        is_new: '1',
        id: 'flu',
        recipient_rows: '2',
        'recipients[0].kind': 'case',
        'recipients[0].id': 'p1',
        'recipients[1].kind': 'phone',
        'recipients[1].id': '+254733000111',
        'schedule.type': 'daily',
        'schedule.time_mode': 'time',
        'schedule.time': '08:00',
        'schedule.start_mode': 'created',
        'schedule.occurrences': '2',
        'content.channel': 'sms',
        'content.translations.en': 'Flu shots this week',
        'content.translations.sw': 'Chanjo ya mafua wiki hii',
        active: 'on',
        op: 'save',
      };
      const saved = await v.post('/p/clinic/broadcasts', form);
      assert.equal(saved.statusCode, 303, saved.body);
      const list = await v.get('/p/clinic/broadcasts');
      assert.deepEqual(row(list.body, 'flu').slice(0, 5), [
        'flu',
        '2',
        'daily at 08:00 2 times',
        'sms: en, sw translations',
        'active',
      ]);
      const lines = previewRows((await v.get('/p/clinic/broadcasts/flu/preview')).body);
      assert.deepEqual(
        lines.map((l) => [l[0], l[1], l[4]]),
        [
          ['case:p1', '2026-01-06 08:00', 'Flu shots this week'],
          ['phone:+254733000111', '2026-01-06 08:00', 'Flu shots this week'],
          ['case:p1', '2026-01-07 08:00', 'Flu shots this week'],
          ['phone:+254733000111', '2026-01-07 08:00', 'Flu shots this week'],
        ],
      );
      const bad = await v.post('/p/clinic/broadcasts', {
        ...form,
        id: 'bad',
        'recipients[1].kind': 'group',
        'recipients[1].id': 'nope',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="recipients\[1\]\.id"[^>]* aria-invalid="true"/);
      assert.equal(await api.t.store.broadcasts.get('clinic', 'bad'), null);

      // Stop: marked stopped, nothing next; the preview sends nothing.
      await v.post('/p/clinic/broadcasts/flu/active', { active: 'false' });
      const stopped = row((await v.get('/p/clinic/broadcasts')).body, 'flu');
      assert.deepEqual([stopped[4], stopped[6]], ['stopped', 'none (stopped)']);
      assert.match((await v.get('/p/clinic/broadcasts/flu/preview')).body, /id="no-lines"/);
    });

    test('delete asks first, then removes it from the list', async () => {
      const ask = await v.post('/p/clinic/broadcasts/flu/delete', {});
      assert.equal(ask.statusCode, 200);
      assert.match(
        ask.body,
        /<button type="submit" class="danger" id="confirm-delete">Delete broadcast flu<\/button>/,
      );
      assert.ok(await api.t.store.broadcasts.get('clinic', 'flu'), 'nothing deleted yet');
      const done = await v.post('/p/clinic/broadcasts/flu/delete', { confirm: 'yes' });
      assert.equal(done.statusCode, 303);
      assert.equal(await api.t.store.broadcasts.get('clinic', 'flu'), null);
      assert.doesNotMatch((await v.get('/p/clinic/broadcasts')).body, /row-flu/);
    });

    test('a project key sees and changes only its own project’s alerts', async () => {
      for (const url of [
        '/p/other/alerts',
        '/p/other/alerts/oa/edit',
        '/p/clinic/alerts/oa/edit',
        '/p/clinic/alerts/oa/preview',
      ])
        assert.equal((await v.get(url)).statusCode, 404, url);
      assert.equal((await v.post('/p/other/alerts', alertForm({ id: 'sneak' }))).statusCode, 404);
      for (const action of ['active', 'delete']) {
        assert.equal(
          (await v.post(`/p/other/alerts/oa/${action}`, { active: 'false', confirm: 'yes' })).statusCode,
          404,
        );
        assert.equal(
          (await v.post(`/p/clinic/alerts/oa/${action}`, { active: 'false', confirm: 'yes' })).statusCode,
          404,
        );
      }
      assert.equal((await api.t.store.alerts.get('other', 'oa'))?.active, true);
      assert.equal(await api.t.store.alerts.get('other', 'sneak'), null);
      assert.doesNotMatch((await v.get('/p/clinic/alerts')).body, /row-oa/);
      // The old address of the lists goes to the alerts.
      assert.equal((await v.get('/p/clinic/schedules')).headers.location, '/p/clinic/alerts');
    });
  });
}
