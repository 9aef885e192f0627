// The survey results page in a real browser: a chart per question is drawn (Chart.js, loaded
// under the console's content security policy), the sessions table and the export links are
// there; nothing fails or errors. Saves a screenshot (test-output/screenshots/).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openBrowserSuite, type BrowserSuite } from './browser.ts';

for (const database of DATABASES) {
  describe(`console in the browser on ${database}: survey results`, () => {
    let suite: BrowserSuite;
    let key: string;

    before(async () => {
      suite = await openBrowserSuite(database);
      const ok = suite.ok;
      await ok('PUT', '/api/v1/projects/clinic', {});
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', {
        type: 'test',
        default: true,
        inbound_secret: 'browser-secret-0123456789',
      });
      await ok('PUT', '/api/v1/projects/clinic/surveys/checkup', {
        questions: [
          {
            id: 'feeling',
            type: 'single',
            text: 'How do you feel?',
            choices: [
              { value: 'good', text: 'Good' },
              { value: 'ok', text: 'So-so' },
              { value: 'bad', text: 'Unwell' },
            ],
          },
          {
            id: 'days',
            type: 'int',
            text: 'Days unwell?',
            show_if: { question: 'feeling', op: 'equals', value: 'bad' },
          },
        ],
      });
      await ok('PUT', '/api/v1/projects/clinic/keywords/CHECK', { action: 'survey', survey: 'checkup' });
      const answers = [['1'], ['3', '4'], ['3', '2'], ['2']];
      for (const [i, replies] of answers.entries()) {
        const number = `25471100097${i}`;
        await ok('PUT', `/api/v1/projects/clinic/cases/c${i}`, {
          name: `Case ${i}`,
          properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
        });
        for (const text of ['check', ...replies]) {
          const response = await suite.api.app.inject({
            method: 'POST',
            url: '/gateways/sms/inbound?secret=browser-secret-0123456789',
            payload: { from: number, text },
          });
          assert.equal(response.statusCode, 200, response.body);
        }
      }
      key = await suite.api.projectKey('clinic');
    });
    after(() => suite?.close());

    test('a chart per question, the sessions and the export links', async () => {
      const b = await suite.open({ name: 'survey-results' });
      await b.signIn(key);
      await b.goto('/p/clinic/survey-results');
      await b.page.getByRole('link', { name: 'checkup' }).click();
      await b.page.waitForURL(/\/p\/clinic\/survey-results\/checkup$/);
      assert.match((await b.page.locator('#totals').textContent()) ?? '', /4 sessions: 4 completed/);
      // Chart.js draws into each canvas: the canvas gets a size and non-blank pixels.
      // (A string: the tests are compiled without the DOM's types.)
      const drawn = await b.page.evaluate<
        boolean[]
      >(`[...document.querySelectorAll('canvas')].map((canvas) => {
        const context = canvas.getContext('2d');
        if (!context || canvas.width === 0) return false;
        return context.getImageData(0, 0, canvas.width, canvas.height).data.some((value) => value !== 0);
      })`);
      assert.deepEqual(drawn, [true, true]);
      assert.equal(await b.page.locator('#sessions tbody tr').count(), 4);
      assert.equal(
        await b.page.locator('#export-csv').getAttribute('href'),
        '/p/clinic/survey-results/checkup/export.csv',
      );
      await b.screenshot('charts');
      b.expectNoFailures();
      await b.close();
    });
  });
}
