// The console in a real browser (issue #8): sign in with a project key and see the dashboard;
// find a contact by name and read why it gets no messages; resolve a number conflict from the
// registry by closing the owner case; sign out; the sign-in form by keyboard only; a case name
// with markup shown as text; the dashboard at phone width. Every test also checks that no request
// failed and nothing errored, and saves a screenshot (test-output/screenshots/). The journeys
// through the data run on both databases, the checks of the pages alone on SQLite.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openBrowserSuite, type BrowserPage, type BrowserSuite } from './browser.ts';

const SCRIPT_NAME = '<script>alert(1)</script>';
const SEARCH_LABEL = 'Find a case or mobile worker by name, id or number';

/** On the contacts page, searches for `text` (htmx swaps the results), then opens its one hit. */
async function openFromSearch(
  b: BrowserPage,
  text: string,
  id: string,
  checkResults?: () => Promise<void>,
): Promise<void> {
  await b.goto('/p/clinic/contacts');
  await b.page.getByLabel(SEARCH_LABEL).fill(text);
  await b.page.getByText(`1 contact matching “${text}”`).waitFor();
  await checkResults?.();
  await b.page.locator('#results').getByRole('link', { name: id, exact: true }).click();
  await b.page.waitForURL(`**/contacts/case/${id}`);
}

for (const database of DATABASES) {
  describe(`console in the browser on ${database}: contacts and the registry`, () => {
    let suite: BrowserSuite;
    let key: string;
    /** What the API says about a contact (the console must show the same words). */
    const why = async (id: string) =>
      (await suite.api.call('GET', `/api/v1/projects/clinic/contacts/case/${id}/why`)).json() as {
        phone_status: string;
        reason: string;
      };

    before(async () => {
      suite = await openBrowserSuite(database);
      const ok = suite.ok;
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      const verified = (number: string) => ({
        contact_phone_number: number,
        contact_phone_number_is_verified: '1',
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        name: 'Amina Wanjiru',
        properties: { contact_phone_number: '0712345678' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/nuru', { name: 'Nuru Otieno' });
      await ok('PUT', '/api/v1/projects/clinic/cases/halima', {
        name: 'Halima Achieng',
        properties: { contact_phone_number: '0722000111' },
      });
      await ok('PUT', '/api/v1/opt-outs/254722000111', { opted_out: true });
      // Baraka owns 0700111222 (verified first); Zawadi's verified claim on it waits.
      await ok('PUT', '/api/v1/projects/clinic/cases/baraka', {
        name: 'Baraka Mwangi',
        properties: verified('0700111222'),
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/zawadi', {
        name: 'Zawadi Kamau',
        properties: verified('0700111222'),
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/xss', {
        name: SCRIPT_NAME,
        properties: { contact_phone_number: '0733444555' },
      });
      await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'amina' },
        text: 'Clinic day is Tuesday',
      });
      await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'nuru' },
        text: 'Clinic day is Tuesday',
      });
      key = await suite.api.projectKey('clinic');
    });
    after(() => suite?.close());

    test('sign in with the project key: the dashboard of the project shows', async () => {
      const b = await suite.open({ name: 'dashboard' });
      await b.signIn(key);
      assert.equal(new URL(b.page.url()).pathname, '/p/clinic/');
      await b.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      assert.equal(
        await b.page.getByRole('link', { name: 'Dashboard' }).getAttribute('aria-current'),
        'page',
      );
      assert.match((await b.page.locator('.project-name').textContent()) ?? '', /Project\s+clinic/);
      // One message queued, one failed at once for want of a number.
      assert.equal(await b.page.locator('#queue-count').textContent(), '1');
      assert.match((await b.page.locator('#errors').textContent()) ?? '', /NO_PHONE_NUMBER/);
      // Chart.js drew the chart from the embedded JSON (a drawn canvas has a size Chart.js set).
      await b.page.waitForFunction('document.getElementById("volume-chart").hasAttribute("height")');
      await b.screenshot();
      b.expectNoFailures();
    });

    test('find a contact by name and read why it gets no messages', async () => {
      const b = await suite.open({ name: 'contact-why', signedInAs: key });
      await b.goto('/p/clinic/');
      await b.page.getByRole('link', { name: 'Contacts', exact: true }).click();
      await b.page.waitForURL('**/p/clinic/contacts');
      await b.page.getByLabel(SEARCH_LABEL).fill('nuru');
      // htmx asks as the operator types and swaps only the results.
      await b.page.getByText('1 contact matching “nuru”').waitFor();
      const rows = b.page.locator('#results tbody tr');
      assert.equal(await rows.count(), 1);
      assert.match((await rows.first().textContent()) ?? '', /Nuru Otieno/);
      // The search is in the address (htmx pushes it), so it can be shared and reloaded.
      await b.page.waitForURL((url) => url.search === '?q=nuru');
      await rows.first().getByRole('link', { name: 'nuru' }).click();
      await b.page.waitForURL('**/p/clinic/contacts/case/nuru');
      await b.page.getByRole('heading', { level: 1, name: 'Case Nuru Otieno' }).waitFor();
      assert.equal(await b.page.locator('#why span').textContent(), 'Gets no SMS');
      assert.equal(await b.page.locator('#why code').textContent(), 'NO_PHONE_NUMBER');
      const reason = await b.page.locator('#why-reason').textContent();
      assert.equal(reason, 'The contact has no phone number.');
      assert.equal(reason, (await why('nuru')).reason, 'the same words as the API');
      await b.screenshot('no-number');

      // The case whose verified number another case owns: why, in the API's words, and what to do.
      await openFromSearch(b, 'Zawadi', 'zawadi');
      const zawadi = await why('zawadi');
      assert.equal(await b.page.locator('#why-reason').textContent(), zawadi.reason);
      assert.match(zawadi.reason, /^\+254700111222 /);
      assert.match((await b.page.locator('#numbers').textContent()) ?? '', /\+254700111222\s*waiting/);
      await b.screenshot('waiting');

      // The opted-out case: its number is listed as opted out.
      await openFromSearch(b, 'Halima', 'halima');
      assert.equal(await b.page.locator('#why-reason').textContent(), (await why('halima')).reason);
      const optOut = b.page.locator('#numbers tbody tr', { hasText: '+254722000111' });
      assert.equal(
        ((await optOut.locator('td').nth(2).textContent()) ?? '').trim(),
        'opted out (may opt in)',
      );
      await b.screenshot('opted-out');
      b.expectNoFailures();
    });

    test('resolve a number conflict from the registry by closing the owner case', async () => {
      const b = await suite.open({ name: 'registry', signedInAs: key });
      await b.goto('/p/clinic/');
      await b.page.getByRole('link', { name: 'Registry', exact: true }).click();
      await b.page.waitForURL('**/p/clinic/registry');
      const conflict = b.page.locator('section.conflict', {
        has: b.page.getByRole('heading', { name: '+254700111222' }),
      });
      assert.equal(await b.page.locator('section.conflict').count(), 1, 'one number has two claims');
      const row = (name: string) => conflict.locator('tbody tr', { hasText: name });
      assert.deepEqual(await row('Baraka Mwangi').locator('td').allTextContents(), [
        'case baraka — Baraka Mwangi',
        'two_way',
        'owner',
      ]);
      assert.deepEqual(await row('Zawadi Kamau').locator('td').allTextContents(), [
        'case zawadi — Zawadi Kamau',
        'waiting',
        '',
      ]);
      assert.match(
        (await conflict.locator('.fix').textContent()) ?? '',
        /case 'baraka' owns the number\. .*Then case 'zawadi', the oldest waiting claim, gets it\./,
      );
      await b.screenshot('conflict');

      await conflict.getByRole('link', { name: 'case baraka' }).click();
      await b.page.waitForURL('**/contacts/case/baraka');
      await b.page.getByRole('button', { name: 'Close case' }).click();
      await b.page.waitForURL('**/contacts/case/baraka?done=closed');
      assert.match((await b.page.getByRole('status').textContent()) ?? '', /The case is closed/);
      assert.equal(await b.page.locator('#why code').textContent(), 'INACTIVE');
      assert.equal(await b.page.getByRole('button', { name: 'Close case' }).count(), 0);

      await b.page.getByRole('link', { name: 'Registry', exact: true }).click();
      await b.page.waitForURL('**/p/clinic/registry');
      await b.page.locator('#no-conflicts').waitFor();
      assert.equal(await b.page.locator('section.conflict').count(), 0, 'the conflict is gone');
      await b.screenshot('resolved');

      await b.goto('/p/clinic/contacts/case/zawadi');
      assert.equal(await b.page.locator('#why span').textContent(), 'Gets SMS');
      assert.equal(await b.page.locator('#why code').textContent(), 'TWO_WAY');
      assert.match((await b.page.locator('#numbers').textContent()) ?? '', /\+254700111222\s*two_way/);
      assert.equal(
        (await suite.api.call('GET', '/api/v1/projects/clinic/cases/baraka')).json().closed,
        true,
        'the API sees the same case closed',
      );
      b.expectNoFailures();
    });

    // The pages' behaviour in the browser alone (no database-specific query): on SQLite only.
    if (database !== 'sqlite') return;

    test('sign out: the session ends and pages ask to sign in again', async () => {
      const b = await suite.open({ name: 'sign-out', signedInAs: key });
      await b.goto('/p/clinic/');
      await b.page.getByRole('button', { name: 'Sign out' }).click();
      await b.page.waitForURL('**/sign-in');
      await b.page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.deepEqual(
        (await b.context.cookies()).filter((c) => c.name === 'caseline_session'),
        [],
      );
      await b.goto('/p/clinic/contacts');
      assert.equal(new URL(b.page.url()).pathname, '/sign-in');
      assert.equal(new URL(b.page.url()).searchParams.get('next'), '/p/clinic/contacts');
      // A wrong key is refused with the reason, and the form stays.
      b.allow(401, '/sign-in');
      await b.page.getByLabel('API key').fill('not-a-key');
      await b.page.getByRole('button', { name: 'Sign in' }).click();
      await b.page.getByRole('alert').waitFor();
      assert.match((await b.page.getByRole('alert').textContent()) ?? '', /not valid/);
      await b.screenshot();
      b.expectNoFailures();
    });

    test('the sign-in form works with the keyboard only', async () => {
      const b = await suite.open({ name: 'keyboard' });
      await b.goto('/p/clinic/contacts?q=amina');
      // The key field has the focus (autofocus).
      await b.page.waitForFunction('document.activeElement !== null && document.activeElement.id === "key"');
      await b.page.keyboard.type(key);
      await b.page.keyboard.press('Tab');
      assert.equal(
        await b.page.evaluate('document.activeElement.textContent'),
        'Sign in',
        'Tab reaches the button',
      );
      await b.page.keyboard.press('Enter');
      await b.page.waitForURL('**/p/clinic/contacts?q=amina', { waitUntil: 'load' });
      assert.match((await b.page.locator('#results').textContent()) ?? '', /Amina Wanjiru/);
      // The skip link is the first stop and jumps to the content.
      await b.page.keyboard.press('Tab');
      assert.equal(await b.page.evaluate('document.activeElement.textContent'), 'Skip to content');
      await b.screenshot();
      b.expectNoFailures();
    });

    test('a case named like markup shows as text and runs nothing', async () => {
      const b = await suite.open({ name: 'escaping', signedInAs: key });
      await openFromSearch(b, 'script', 'xss', async () => {
        assert.equal(await b.page.locator('#results tbody tr td').nth(2).textContent(), SCRIPT_NAME);
      });
      assert.equal(await b.page.getByRole('heading', { level: 1 }).textContent(), `Case ${SCRIPT_NAME}`);
      // Only the page's own scripts exist: none came from the name.
      const scripts = (await b.page.evaluate(
        '[...document.scripts].map((s) => s.src || s.type || "inline").join(" ")',
      )) as string;
      assert.doesNotMatch(scripts, /inline/);
      assert.deepEqual(b.dialogs, []);
      await b.screenshot();
      b.expectNoFailures();
    });

    test('the dashboard at phone width (375×740) has no horizontal scroll', async () => {
      const b = await suite.open({ name: 'phone', viewport: { width: 375, height: 740 }, signedInAs: key });
      await b.goto('/p/clinic/');
      await b.page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
      await b.page.waitForFunction('document.getElementById("volume-chart").hasAttribute("height")');
      const widths = (await b.page.evaluate(
        '[document.documentElement.scrollWidth, document.documentElement.clientWidth]',
      )) as number[];
      assert.ok(widths[0]! <= widths[1]!, `the page is ${widths[0]} px wide in a ${widths[1]} px window`);
      assert.equal(widths[1], 375);
      await b.screenshot();
      b.expectNoFailures();
    });
  });
}
