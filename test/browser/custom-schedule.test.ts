// A custom daily alert built in a real browser with clicks and typing only (SPEC 4.1): three
// events, each on its day at its time with its own text (one in two languages), repeated every
// 7 days twice. The page with its events passes axe-core (no serious or critical violation); the
// API then holds exactly that definition, the preview shows each event's own text, and the edit
// page shows every event again. No request fails; screenshots in test-output/screenshots/.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { dueWork } from '../support/due-work.ts';
import { openBrowserSuite, type BrowserSuite } from './browser.ts';

for (const database of DATABASES) {
  describe(`console in the browser on ${database}: a custom daily alert`, () => {
    let suite: BrowserSuite;
    let key: string;

    before(async () => {
      suite = await openBrowserSuite(database);
      await suite.ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        default_language: 'en',
        languages: ['sw'],
      });
      await suite.ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await suite.ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        type: 'pregnancy',
        name: 'Amina Wanjiru',
        properties: { contact_phone_number: '0712345601', status: 'active' },
      });
      key = await suite.api.projectKey('clinic');
    });
    after(() => suite?.close());

    test('three events with their own texts, every 7 days, twice: built by clicking and typing', async () => {
      const b = await suite.open({ name: 'custom-daily', signedInAs: key });
      const page = b.page;
      await b.goto('/p/clinic/alerts');
      await page.getByRole('link', { name: 'New alert' }).click();
      await page.getByLabel('Id', { exact: true }).fill('anc-sequence');
      await page.getByLabel('Case type').fill('pregnancy');
      await page.getByRole('button', { name: 'Add a criterion' }).click();
      await page.getByLabel('Property 1').fill('status');
      await page.getByLabel('Value 1').fill('active');
      await page.getByLabel('Kind of schedule').selectOption('custom_daily');
      await page.getByRole('button', { name: 'Show the fields' }).click();
      await page.getByLabel('Repeat every N days (blank: once)').fill('7');
      await page.getByLabel('Repetitions (blank: no end)').fill('2');
      const events = [
        { day: '1', time: '09:00', texts: { 'Text (any language)': 'Welcome to the programme' } },
        { day: '3', time: '18:30', texts: { 'In en': 'Day three: rest', 'In sw': 'Siku ya tatu: pumzika' } },
        { day: '7', time: '08:00', texts: { 'Text (any language)': 'A week already' } },
      ];
      for (const [i, e] of events.entries()) {
        await page.getByRole('button', { name: 'Add an event' }).click();
        const event = page.getByRole('group', { name: `Event ${i + 1}`, exact: true });
        // The new event's first input has the keyboard (autofocus of the page that came back).
        await page.locator(`[id="schedule.events[${i}].day"]:focus`).waitFor({ timeout: 10_000 });
        await event.getByLabel('Day (1 is the start date)').fill(e.day);
        await event.getByLabel('Time (HH:MM)').fill(e.time);
        for (const [label, text] of Object.entries(e.texts)) await event.getByLabel(label).fill(text);
      }
      await b.expectAccessible('the alert form with three custom events');
      await b.screenshot('form');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.waitForURL(/\/p\/clinic\/alerts\?done=/);
      assert.match(
        (await page.locator('#row-anc-sequence').textContent()) ?? '',
        /custom daily every 7 2 times[\s\S]*3 events, each with its own content/,
      );

      const stored = (await suite.ok('GET', '/api/v1/projects/clinic/alerts/anc-sequence')) as {
        schedule: unknown;
        content?: unknown;
      };
      assert.deepEqual(stored.schedule, {
        type: 'custom_daily',
        every: 7,
        occurrences: 2,
        events: [
          { day: 1, time: '09:00', content: { text: 'Welcome to the programme' } },
          {
            day: 3,
            time: '18:30',
            content: { translations: { en: 'Day three: rest', sw: 'Siku ya tatu: pumzika' } },
          },
          { day: 7, time: '08:00', content: { text: 'A week already' } },
        ],
      });
      assert.equal(stored.content, undefined, 'a custom schedule has no content of its own');

      // Processed as the worker would: 09:00 had passed (11:00 in Nairobi), so day 1 is tomorrow.
      await dueWork(suite.api.t.store, suite.api.clock).now();
      await b.goto('/p/clinic/alerts/anc-sequence/preview?days=14');
      const rows = await page.locator('#preview tbody tr').allTextContents();
      assert.match(rows[0] ?? '', /case:amina\s*2026-01-06 09:00[\s\S]*Welcome to the programme/);
      assert.match(rows[1] ?? '', /2026-01-08 18:30[\s\S]*Day three: rest/);
      assert.match(rows[2] ?? '', /2026-01-12 08:00[\s\S]*A week already/);
      assert.match(rows[3] ?? '', /2026-01-13 09:00[\s\S]*Welcome to the programme/);

      await page.getByRole('link', { name: 'Edit it' }).click();
      await page.waitForURL(/\/anc-sequence\/edit$/);
      for (const [i, e] of events.entries()) {
        const event = page.getByRole('group', { name: `Event ${i + 1}`, exact: true });
        assert.equal(await event.getByLabel('Day (1 is the start date)').inputValue(), e.day);
        assert.equal(await event.getByLabel('Time (HH:MM)').inputValue(), e.time);
        for (const [label, text] of Object.entries(e.texts))
          assert.equal(await event.getByLabel(label).inputValue(), text);
      }
      await b.expectAccessible('the edit page of the custom daily alert');
      b.expectNoFailures();
    });
  });
}
