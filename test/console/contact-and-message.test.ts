// The console's contact page and message page on both databases (issue 15): every property of a
// case shown; its number, language and time zone changed by a form (the registry follows);
// a number removed; a mobile worker's numbers changed, removed and added; a bad value named on
// its input with nothing saved; a message's "why", its gateway's answers, and cancelling a
// queued message (kept as cancelled; too late once sent).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { dueWork } from '../support/due-work.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

for (const name of DATABASES) {
  describe(`console contact and message pages on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);
    const entries = async (number: string) =>
      (
        (await ok('GET', `/api/v1/phone-numbers/${number}`)) as { entries: { contact: { id: string } }[] }
      ).entries.map((e) => e.contact.id);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        name: 'Amina',
        properties: { contact_phone_number: '0712000501', village: 'Kisumu <east>', edd: '2026-03-01' },
      });
      await ok('PUT', '/api/v1/projects/clinic/mobile-workers/otieno', {
        name: 'Otieno',
        phone_numbers: ['0712000502', '0712000503'],
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test("a case's page shows every property, escaped", async () => {
      const page = await v.get('/p/clinic/contacts/case/amina');
      assert.equal(page.statusCode, 200);
      for (const [k, value] of [
        ['contact_phone_number', '0712000501'],
        ['edd', '2026-03-01'],
        ['village', 'Kisumu &lt;east&gt;'],
      ])
        assert.match(
          page.body,
          new RegExp(`<tr><th scope="row"><code>${k}</code></th><td class="text">${value}</td></tr>`),
        );
    });

    test("a case's number, language and time zone changed by the form; the old number is released", async () => {
      const saved = await v.post('/p/clinic/contacts/case/amina/details', {
        contact_phone_number: '0712 000 509',
        language_code: 'sw',
        time_zone: 'Africa/Dar_es_Salaam',
      });
      assert.equal(saved.statusCode, 303);
      const page = await v.get(String(saved.headers.location));
      assert.match(page.body, /id="done">Saved: the registry follows the number/);
      assert.match(page.body, /<dt>Number used<\/dt><dd>\+254712000509<\/dd>/);
      assert.match(page.body, /<dt>Time zone<\/dt><dd>Africa\/Dar_es_Salaam<\/dd>/);
      assert.deepEqual(await entries('254712000501'), []);
      assert.deepEqual(await entries('254712000509'), ['amina']);
      const bad = await v.post('/p/clinic/contacts/mobile_worker/otieno/details', {
        language: 'x'.repeat(201),
        time_zone: '',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, /id="language"[^>]* aria-invalid="true"/);
      assert.equal((await api.t.store.workers.get('clinic', 'otieno'))?.language, null);
    });

    test("a case's number removed: released at once, the case gets no SMS", async () => {
      const removed = await v.post('/p/clinic/contacts/case/amina/remove-number', {});
      assert.equal(removed.statusCode, 303);
      const page = await v.get(String(removed.headers.location));
      assert.match(page.body, /The number is removed and released/);
      assert.match(page.body, /<code>NO_PHONE_NUMBER<\/code>/);
      assert.doesNotMatch(page.body, /id="remove-number"/);
      assert.deepEqual(await entries('254712000509'), []);
    });

    test("a mobile worker's numbers: changed in place, removed, added; a blank change refused", async () => {
      const before = await snapshot(api.t.db);
      const blank = await v.post('/p/clinic/contacts/mobile_worker/otieno/numbers', {
        number: '0712000502',
        action: 'change',
        replacement: ' ',
      });
      assert.equal(blank.statusCode, 400);
      assert.deepEqual(await snapshot(api.t.db), before);
      const post = (form: Record<string, string>) =>
        v.post('/p/clinic/contacts/mobile_worker/otieno/numbers', form);
      assert.equal(
        (await post({ number: '0712000502', action: 'change', replacement: '0712000504' })).statusCode,
        303,
      );
      assert.equal((await post({ number: '0712000503', action: 'remove' })).statusCode, 303);
      assert.equal((await post({ action: 'add', replacement: '+254712000505' })).statusCode, 303);
      assert.deepEqual((await api.t.store.workers.get('clinic', 'otieno'))?.phoneNumbers, [
        '0712000504',
        '+254712000505',
      ]);
      assert.deepEqual(await entries('254712000502'), []);
      assert.deepEqual(await entries('254712000503'), []);
      assert.deepEqual(await entries('254712000504'), ['otieno']);
      const page = await v.get('/p/clinic/contacts/mobile_worker/otieno');
      assert.match(
        page.body,
        /<label for="replace-0" class="visually-hidden">New number instead of 0712000504<\/label>/,
      );
    });

    test("a queued message's why, and cancelling it; a sent one shows the gateway's answer and cannot be cancelled", async () => {
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        properties: { contact_phone_number: '0712000501' },
      });
      const later = (await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'amina' },
        text: 'Tomorrow',
        at: '2026-01-06T08:00:00Z',
      })) as { sub_events: { message_id: number }[] };
      const id = later.sub_events[0]?.message_id ?? 0;
      const page = await v.get(`/p/clinic/messages/${id}`);
      assert.match(page.body, /<p id="why">Queued — scheduled: sent at the time it was given\.<\/p>/);
      const cancelled = await v.post(`/p/clinic/messages/${id}/cancel`, {});
      assert.equal(cancelled.statusCode, 303);
      const after = await v.get(String(cancelled.headers.location));
      assert.match(after.body, /id="cancelled-notice"/);
      assert.match(after.body, /<dd id="status">cancelled<\/dd>/);
      assert.doesNotMatch(after.body, /id="cancel"/);
      assert.match((await v.get('/p/clinic/messages?status=cancelled')).body, new RegExp(`>#${id}<`));

      const now = (await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'amina' },
        text: 'Now',
      })) as {
        sub_events: { message_id: number }[];
      };
      const sentId = now.sub_events[0]?.message_id ?? 0;
      await dueWork(api.t.store, api.clock).now();
      const sent = await v.get(`/p/clinic/messages/${sentId}`);
      assert.match(sent.body, /<p id="why">Handed to the gateway, which accepted it/);
      assert.match(sent.body, /<h2>Attempts and the gateway's answers<\/h2>/);
      assert.doesNotMatch(sent.body, /id="cancel"/);
      const late = await v.post(`/p/clinic/messages/${sentId}/cancel`, {});
      assert.equal(late.statusCode, 303);
      assert.match((await v.get(String(late.headers.location))).body, /id="late-notice"/);
    });
  });
}
