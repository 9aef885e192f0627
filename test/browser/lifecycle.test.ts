// Every object's whole life in a real browser (issue 15), with only clicks and typing: create an
// alert with criteria, a weekly schedule and two translations; create a survey with three
// questions; stop a recurring broadcast and see it marked stopped; remove a contact's number;
// read an inbound SMS from an unknown number in the inbox and reply to it; send a Test SMS and
// see the keyword's reply; and the builders by keyboard. Each page passes axe-core (no serious
// or critical violation), no request fails, and screenshots are saved (test-output/screenshots/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { dueWork } from '../support/due-work.ts';
import { ADMIN_KEY } from '../http/support.ts';
import { openBrowserSuite, type BrowserSuite } from './browser.ts';

const UNKNOWN = '+254799000601';

for (const database of DATABASES) {
  describe(`console in the browser on ${database}: every object's whole life`, () => {
    let suite: BrowserSuite;
    let key: string;

    before(async () => {
      suite = await openBrowserSuite(database);
      const ok = suite.ok;
      await ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        default_language: 'en',
        languages: ['sw'],
      });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', {
        type: 'test',
        default: true,
        inbound_secret: 'shh-long-enough-secret',
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        type: 'pregnancy',
        name: 'Amina Wanjiru',
        properties: { contact_phone_number: '0712345601', status: 'active', village: 'Kisumu' },
      });
      await ok('PUT', '/api/v1/projects/clinic/broadcasts/weekly-tips', {
        recipients: [{ case: 'amina' }],
        schedule: { type: 'daily', time: '09:00' },
        content: { text: 'Drink clean water' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/baraka', {
        type: 'pregnancy',
        name: 'Baraka Otieno',
        properties: { contact_phone_number: '0712345602', contact_phone_number_is_verified: '1' },
      });
      await ok('PUT', '/api/v1/projects/clinic/keywords/hours', {
        reply: { text: 'The clinic opens 8 to 5' },
      });
      key = await suite.api.projectKey('clinic');
    });
    after(() => suite?.close());

    test('create an alert with criteria, a weekly schedule and two translations', async () => {
      const b = await suite.open({ name: 'alert-builder', signedInAs: key });
      await b.goto('/p/clinic/alerts');
      await b.expectAccessible('the alerts list');
      await b.page.getByRole('link', { name: 'New alert' }).click();
      await b.page.getByLabel('Id', { exact: true }).fill('anc-weekly');
      await b.page.getByLabel('Case type').fill('pregnancy');
      await b.page.getByRole('button', { name: 'Add a criterion' }).click();
      await b.page.getByLabel('Property 1').fill('status');
      await b.page.getByLabel('Test 1').selectOption('equals');
      await b.page.getByLabel('Value 1').fill('active');
      await b.page.getByRole('button', { name: 'Add a criterion' }).click();
      await b.page.getByLabel('Property 2').fill('village');
      await b.page.getByLabel('Test 2').selectOption('has_value');
      await b.page.getByLabel('Kind of schedule').selectOption('weekly');
      await b.page.getByRole('button', { name: 'Show the fields' }).click();
      await b.page.getByLabel('Monday').check();
      await b.page.getByLabel('Thursday').check();
      await b.page.getByLabel('Time (HH:MM)', { exact: true }).fill('09:30');
      await b.page.getByLabel('Occurrences (blank: no end)').fill('4');
      await b.page.getByLabel('In en').fill('Your clinic visit is this week');
      await b.page.getByLabel('In sw').fill('Ziara yako ya kliniki ni wiki hii');
      await b.expectAccessible('the alert form');
      await b.screenshot('form');
      await b.page.getByRole('button', { name: 'Save', exact: true }).click();
      await b.page.waitForURL(/\/p\/clinic\/alerts\?done=/);
      const row = (await b.page.locator('#row-anc-weekly').textContent()) ?? '';
      assert.match(row, /weekly on Monday, Thursday at 09:30 4 times/);
      assert.match(row, /sms: en, sw translations/);
      const stored = await suite.api.t.store.alerts.get('clinic', 'anc-weekly');
      assert.deepEqual(stored?.definition.criteria, [
        { property: 'status', op: 'equals', value: 'active' },
        { property: 'village', op: 'has_value' },
      ]);
      assert.deepEqual(stored?.definition.content, {
        translations: { en: 'Your clinic visit is this week', sw: 'Ziara yako ya kliniki ni wiki hii' },
      });
      await b.screenshot('list');
      b.expectNoFailures();
    });

    test('create a survey with three questions', async () => {
      const b = await suite.open({ name: 'survey-builder', signedInAs: key });
      await b.goto('/p/clinic/surveys');
      await b.page.getByRole('link', { name: 'New survey' }).click();
      await b.page.getByLabel('Id', { exact: true }).fill('anc-check');
      await b.page.getByLabel('Question 1 id').fill('name');
      await b.page.locator('[id="questions[0].text.untranslated"]').fill('What is your name?');
      await b.page.getByLabel('Save the answer to case property (optional)').fill('mother_name');
      await b.page.getByRole('button', { name: 'Add a question' }).click();
      await b.page.getByLabel('Question 2 id').fill('weeks');
      await b.page.locator('[id="questions[1].type"]').selectOption('int');
      await b.page.locator('[id="questions[1].text.untranslated"]').fill('How many weeks pregnant?');
      await b.page.locator('[id="questions[1].text.sw"]').fill('Una ujauzito wa wiki ngapi?');
      await b.page.getByRole('button', { name: 'Add a question' }).click();
      await b.page.getByLabel('Question 3 id').fill('well');
      await b.page.locator('[id="questions[2].type"]').selectOption('single');
      await b.page.locator('[id="questions[2].text.untranslated"]').fill('Are you feeling well?');
      await b.page.getByRole('button', { name: 'Show the fields of question 3' }).click();
      await b.page.getByRole('button', { name: 'Add a choice to question 3' }).click();
      await b.page.getByLabel('Choice 1 value (one word, stored)').fill('yes');
      await b.page.getByRole('button', { name: 'Add a choice to question 3' }).click();
      await b.page.getByLabel('Choice 2 value (one word, stored)').fill('no');
      await b.expectAccessible('the survey builder');
      await b.screenshot('form');
      await b.page.getByRole('button', { name: 'Save survey' }).click();
      await b.page.waitForURL(/\/p\/clinic\/surveys\?done=/);
      assert.match(
        (await b.page.locator('#row-anc-check').textContent()) ?? '',
        /anc-check\s*3\s*What is your name\?/,
      );
      const stored = await suite.api.t.store.surveys.get('clinic', 'anc-check');
      assert.deepEqual(
        stored?.questions.map((q) => [q.id, q.type]),
        [
          ['name', 'text'],
          ['weeks', 'int'],
          ['well', 'single'],
        ],
      );
      await b.expectAccessible('the surveys list');
      b.expectNoFailures();
    });

    test('stop a recurring broadcast and see it marked stopped', async () => {
      const b = await suite.open({ name: 'broadcast-stop', signedInAs: key });
      await b.goto('/p/clinic/broadcasts');
      assert.match((await b.page.locator('#row-weekly-tips').textContent()) ?? '', /active/);
      await b.page.getByRole('button', { name: 'Stop weekly-tips' }).click();
      await b.page.waitForURL(/done=Stopped/);
      const row = b.page.locator('#row-weekly-tips');
      assert.equal((await row.locator('td.status').textContent())?.trim(), 'stopped');
      assert.match((await row.textContent()) ?? '', /none \(stopped\)/);
      await b.page.getByRole('button', { name: 'Activate weekly-tips' }).waitFor();
      assert.equal((await suite.api.t.store.broadcasts.get('clinic', 'weekly-tips'))?.active, false);
      await b.expectAccessible('the broadcasts list');
      await b.screenshot();
      b.expectNoFailures();
    });

    test("remove a contact's number", async () => {
      const b = await suite.open({ name: 'contact-number', signedInAs: key });
      await b.goto('/p/clinic/contacts/case/amina');
      await b.expectAccessible('the contact page');
      await b.page.getByRole('button', { name: 'Remove the number 0712345601' }).click();
      await b.page.waitForURL(/done=removed/);
      assert.match((await b.page.locator('#done').textContent()) ?? '', /The number is removed/);
      assert.match((await b.page.locator('#why').textContent()) ?? '', /NO_PHONE_NUMBER/);
      await b.screenshot();
      b.expectNoFailures();
    });

    test('read an SMS from an unknown number in the inbox and reply to it', async () => {
      const webhook = await suite.api.app.inject({
        method: 'POST',
        url: '/gateways/sms/inbound',
        headers: { 'x-caseline-secret': 'shh-long-enough-secret' },
        payload: { from: UNKNOWN, text: 'Where is the clinic?' },
      });
      assert.equal(webhook.statusCode, 200);
      const b = await suite.open({ name: 'inbox', signedInAs: key });
      await b.goto('/p/clinic/');
      await b.page.getByRole('link', { name: 'Inbox', exact: true }).click();
      const message = b.page.locator('li.inbound', { hasText: 'Where is the clinic?' });
      assert.match((await message.textContent()) ?? '', /unknown number/);
      await message.getByText(`Reply to ${UNKNOWN}`, { exact: true }).click();
      await message.getByLabel(`Your reply to ${UNKNOWN}`).fill('Next to the market, Kisumu.');
      await b.expectAccessible('the inbox with a reply box open');
      await message.getByRole('button', { name: 'Send reply' }).click();
      await b.page.waitForURL(/done=Reply/);
      const replied = b.page.locator('li.inbound', { hasText: 'Where is the clinic?' });
      assert.match(
        (await replied.locator('ul.replies').textContent()) ?? '',
        /Next to the market, Kisumu\.\s*\(reply, queued\)/,
      );
      await b.screenshot();
      const work = dueWork(suite.api.t.store, suite.api.clock);
      await work.now();
      assert.deepEqual(
        work.gateway.accepted.map((a) => [a.to, a.text]),
        [['254799000601', 'Next to the market, Kisumu.']],
      );
      b.expectNoFailures();
    });

    test('send a Test SMS and see the keyword reply', async () => {
      const b = await suite.open({ name: 'test-sms', signedInAs: key });
      await b.goto('/p/clinic/inbox');
      await b.page.getByRole('link', { name: 'Send a test SMS' }).click();
      await b.page.getByLabel('Through gateway').selectOption('sms');
      await b.page.getByLabel('From (the sender’s number)').fill('+254712345602');
      await b.page.getByLabel('Text', { exact: true }).fill('HOURS');
      await b.page.getByRole('button', { name: 'Send test SMS' }).click();
      await b.page.locator('#result').waitFor();
      assert.match((await b.page.locator('#result-h').textContent()) ?? '', /a keyword: answered/);
      assert.equal((await b.page.locator('#replies li').textContent())?.trim(), 'The clinic opens 8 to 5');
      await b.expectAccessible('the Test SMS page');
      await b.screenshot();
      b.expectNoFailures();
    });

    test('the builders by keyboard: a new row takes the focus, and the list opens the form', async () => {
      const b = await suite.open({ name: 'keyboard', signedInAs: key });
      await b.goto('/p/clinic/alerts');
      await b.page.getByRole('link', { name: 'New alert' }).focus();
      await b.page.keyboard.press('Enter');
      await b.page.waitForURL(/\/alerts\/new$/);
      assert.equal(
        await b.page.evaluate('document.activeElement.id'),
        'id',
        'the form starts at its first input',
      );
      await b.page.keyboard.type('by-keys');
      await b.page.keyboard.press('Tab');
      assert.equal(await b.page.evaluate('document.activeElement.id'), 'case_type');
      await b.page.getByRole('button', { name: 'Add a criterion' }).focus();
      await b.page.keyboard.press('Enter');
      // The form comes back with the new row, and the keyboard on its first input.
      await b.page.waitForFunction(
        "document.activeElement && document.activeElement.id === 'criteria[0].property'",
      );
      await b.page.keyboard.type('status');
      // Enter in a text input saves (the form's default button), it does not remove a row.
      await b.page.getByLabel('Case type').fill('pregnancy');
      await b.page.getByLabel('Text (any language)').first().fill('Hello');
      await b.page.getByLabel('Case type').press('Enter');
      await b.page.waitForURL(/\/p\/clinic\/alerts\?done=/);
      assert.deepEqual((await suite.api.t.store.alerts.get('clinic', 'by-keys'))?.definition.criteria, [
        { property: 'status', op: 'equals', value: '' },
      ]);
      b.expectNoFailures();
    });

    test('every list and form page passes axe-core with no serious violation', async () => {
      await suite.ok('PUT', '/api/v1/projects/clinic/groups/mothers', { kind: 'case', members: ['amina'] });
      await suite.ok('PUT', '/api/v1/projects/clinic/mobile-workers/chw', {
        name: 'CHW',
        phone_numbers: ['0712345609'],
      });
      const pages = [
        '/p/clinic/alerts',
        '/p/clinic/alerts/new',
        '/p/clinic/alerts/anc-weekly/edit',
        '/p/clinic/alerts/anc-weekly/preview',
        '/p/clinic/broadcasts',
        '/p/clinic/broadcasts/new',
        '/p/clinic/broadcasts/weekly-tips/edit',
        '/p/clinic/keywords',
        '/p/clinic/keywords/new',
        '/p/clinic/keywords/hours/edit',
        '/p/clinic/surveys',
        '/p/clinic/surveys/new',
        '/p/clinic/surveys/anc-check/edit',
        '/p/clinic/groups',
        '/p/clinic/groups/new',
        '/p/clinic/groups/mothers/edit',
        '/p/clinic/inbox',
        '/p/clinic/test-sms',
        '/p/clinic/contacts/case/baraka',
        '/p/clinic/contacts/mobile_worker/chw',
        '/p/clinic/messages',
        '/p/clinic/settings',
        '/inbox',
      ];
      const b = await suite.open({ name: 'axe', signedInAs: ADMIN_KEY });
      for (const path of pages) {
        await b.goto(path);
        await b.expectAccessible(path);
      }
      b.expectNoFailures();
    });
  });
}
