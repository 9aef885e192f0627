// The console's messages and alerts in a real browser (issue #8): compose a message (the live
// counter follows the typing, the preview shows the server's count), send it and find it queued
// in the history, narrowed by the filter form (htmx) to a shareable URL; create an alert with
// its form and read its preview; the compose form at phone width. Every test checks that no
// request failed and nothing errored, and saves a screenshot (test-output/screenshots/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runDueWork } from '../../src/queue/due.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { DATABASES } from '../support/databases.ts';
import { openBrowserSuite, type BrowserSuite } from './browser.ts';

for (const database of DATABASES) {
  describe(`console in the browser on ${database}: messages and alerts`, () => {
    let suite: BrowserSuite;
    let key: string;

    before(async () => {
      suite = await openBrowserSuite(database);
      const ok = suite.ok;
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        type: 'pregnancy',
        name: 'Amina Wanjiru',
        properties: { contact_phone_number: '0712345678', status: 'active' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/nuru', {
        type: 'pregnancy',
        name: 'Nuru Otieno',
        properties: { contact_phone_number: '0722000111', status: 'active' },
      });
      await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'nuru' },
        text: 'An older message',
      });
      key = await suite.api.projectKey('clinic');
    });
    after(() => suite?.close());

    test('compose and send a message, then find it in the history', async () => {
      const b = await suite.open({ name: 'compose' });
      await b.signIn(key);
      await b.goto('/p/clinic/messages/new');
      await b.page.getByLabel('Recipient kind').selectOption('case');
      await b.page.getByLabel('Case id, mobile worker id or number').fill('amina');
      const text = `${'Karibu kliniki. '.repeat(10)}`; // 160 characters: one GSM-7 segment
      await b.page.getByLabel('Text', { exact: true }).fill(text);
      await b.page.locator('#counter', { hasText: '160 characters, GSM-7, 1 segment' }).waitFor();
      await b.page.getByLabel('Text', { exact: true }).pressSequentially('€');
      await b.page.locator('#counter', { hasText: '161 characters, GSM-7, 2 segments' }).waitFor();
      await b.page.getByRole('button', { name: 'Preview' }).click();
      await b.page.locator('#preview-segments').waitFor();
      assert.equal(await b.page.locator('#preview-segments').textContent(), '2');
      await b.screenshot('preview');
      await b.page.getByRole('button', { name: 'Send' }).click();
      await b.page.waitForURL(/\/p\/clinic\/messages\/\d+\?sent=1$/);
      const id = /messages\/(\d+)/.exec(b.page.url())?.[1] ?? '';
      assert.match((await b.page.locator('#sent-notice').textContent()) ?? '', /The message is queued/);
      assert.equal(await b.page.locator('#segments').textContent(), '2');

      await b.page.getByRole('link', { name: '← Messages' }).click();
      await b.page
        .locator('#message-table')
        .getByRole('link', { name: `#${id}`, exact: true })
        .waitFor();
      assert.equal(await b.page.locator('#message-table tbody tr').count(), 2);
      // The filter form narrows the table in place and keeps the URL shareable.
      await b.page.getByLabel('Contact id').fill('amina');
      await b.page.getByRole('button', { name: 'Filter' }).click();
      await b.page.waitForURL(/contact_id=amina/);
      await b.page.locator('#message-table tbody tr').first().waitFor();
      assert.equal(await b.page.locator('#message-table tbody tr').count(), 1);
      assert.match((await b.page.locator('#message-table tbody tr').textContent()) ?? '', /queued/);
      await b.screenshot('history');
      b.expectNoFailures();
    });

    test('create an alert and see what it will send', async () => {
      const b = await suite.open({ name: 'alert' });
      await b.signIn(key);
      await b.goto('/p/clinic/alerts');
      await b.page.getByRole('link', { name: 'New alert' }).click();
      await b.page.getByLabel('Id', { exact: true }).fill('anc-visit');
      await b.page.getByLabel('Case type').fill('pregnancy');
      await b.page.getByRole('button', { name: 'Add a criterion' }).click();
      await b.page.getByLabel('Property 1').fill('status');
      await b.page.getByLabel('Value 1').fill('active');
      await b.page.getByLabel('Kind of schedule').selectOption('daily');
      await b.page.getByLabel('Time (HH:MM)', { exact: true }).fill('09:30');
      await b.page.getByLabel('Occurrences (blank: no end)').fill('2');
      await b.page.getByLabel('Text (any language)').fill('Your clinic visit is today');
      await b.page.getByRole('button', { name: 'Save', exact: true }).click();
      await b.page.waitForURL(/\/p\/clinic\/alerts\?done=/);
      assert.match((await b.page.locator('#alerts').textContent()) ?? '', /anc-visit[\s\S]*processing/);
      // The existing cases are processed as due work, as the worker would.
      const deps = {
        store: suite.api.t.store,
        clock: suite.api.clock,
        adapters: () => new TestGateway(suite.api.clock),
        mailer: new RecordingMailer(suite.api.clock),
        workerId: 'test',
      };
      while ((await runDueWork(deps)) > 0);
      await b.page.reload();
      await b.page.getByRole('link', { name: 'Preview anc-visit' }).click();
      await b.page.locator('#preview').waitFor();
      const rows = await b.page.locator('#preview tbody tr').allTextContents();
      assert.equal(rows.length, 4);
      assert.match(
        rows[0] ?? '',
        /case:amina\s*2026-01-06 09:30\s*Africa\/Nairobi[\s\S]*Your clinic visit is today/,
      );
      await b.screenshot('preview');
      b.expectNoFailures();
    });

    test('the compose form at phone width, by keyboard', async () => {
      const b = await suite.open({
        name: 'compose-phone',
        viewport: { width: 375, height: 740 },
        signedInAs: key,
      });
      await b.goto('/p/clinic/messages/new');
      const [scroll, client] = (await b.page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as number[];
      assert.ok(
        scroll !== undefined && client !== undefined && scroll <= client,
        `the page is ${String(scroll)}px wide in ${String(client)}px`,
      );
      await b.page.getByLabel('Recipient kind').focus();
      await b.page.keyboard.press('Tab');
      assert.equal(await b.page.evaluate('document.activeElement.id'), 'to_id');
      await b.screenshot();
      b.expectNoFailures();
    });
  });
}
