// The console's survey results (a table of sessions, a chart and a table of counts per question,
// the CSV export) and the related cases on a contact's page, on both databases.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, openApi, type TestApi } from '../http/support.ts';
import { signedIn, type Visitor } from './support.ts';

const P = '/api/v1/projects/anc';

for (const name of DATABASES) {
  describe(`console survey results on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const sms = async (from: string, text: string) => {
      const response = await api.app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound?secret=console-secret-0123456789',
        payload: { from, text },
      });
      assert.equal(response.statusCode, 200, response.body);
    };

    before(async () => {
      api = await openApi(name);
      await api.ok('PUT', P, {});
      await api.ok('PUT', `${P}/gateways/GW`, {
        type: 'test',
        default: true,
        inbound_secret: 'console-secret-0123456789',
      });
      await api.ok('PUT', `${P}/surveys/visit`, {
        questions: [
          {
            id: 'feeling',
            type: 'single',
            text: 'How do you feel?',
            choices: [
              { value: 'good', text: 'Good' },
              { value: 'bad', text: 'Unwell' },
            ],
          },
          { id: 'note', type: 'text', text: 'Tell us more', required: false },
        ],
      });
      await api.ok('PUT', `${P}/keywords/GO`, { action: 'survey', survey: 'visit' });
      await api.ok('PUT', `${P}/cases/mum`, { type: 'mother', name: 'Halima' });
      const verified = (n: string) => ({ contact_phone_number: n, contact_phone_number_is_verified: '1' });
      await api.ok('PUT', `${P}/cases/a`, {
        name: 'Amani',
        properties: verified('254711000951'),
        indices: {
          parent: { case_type: 'mother', case_id: 'mum' },
          host: { case_type: 'hh', case_id: 'gone' },
        },
      });
      await api.ok('PUT', `${P}/cases/b`, { name: 'Baraka', properties: verified('254711000952') });
      await sms('254711000951', 'go');
      await sms('254711000951', '2');
      await sms('254711000951', 'headache');
      await sms('254711000952', 'go');
      await sms('254711000952', 'good');
      v = await signedIn(api, ADMIN_KEY);
    });
    after(() => api.close());

    test('the results page: totals, counts per question with their chart data, the sessions', async () => {
      const list = await v.get('/p/anc/survey-results');
      assert.equal(list.statusCode, 200);
      assert.match(list.body, /<a href="\/p\/anc\/survey-results\/visit">visit<\/a>/);
      const page = await v.get('/p/anc/survey-results/visit');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /2 sessions: 1 completed, 1 open, 0 expired, 0 closed\./);
      const counts =
        /<table class="question-counts" data-question="feeling">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ??
        '';
      assert.match(counts, /<td>Good<\/td><td class="num">1<\/td>/);
      assert.match(counts, /<td>Unwell<\/td><td class="num">1<\/td>/);
      const charts = JSON.parse(/id="survey-charts-data">([^<]*)</.exec(page.body)?.[1] ?? '[]');
      assert.deepEqual(charts[0], {
        id: 'feeling',
        text: 'How do you feel?',
        labels: ['Good', 'Unwell'],
        counts: [1, 1],
      });
      assert.match(page.body, /src="\/assets\/survey-charts.js"/);
      const sessions = /<table id="sessions">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '';
      assert.match(sessions, /Amani|>a</);
      assert.match(sessions, /<td>completed<\/td>[\s\S]*<td>bad<\/td>\s*<td>headache<\/td>/);
      assert.match(sessions, /<td>open<\/td>/);
      const script = await v.get('/assets/survey-charts.js');
      assert.equal(script.statusCode, 200);
    });

    test('the CSV export from the console', async () => {
      const csv = await v.get('/p/anc/survey-results/visit/export.csv');
      assert.equal(csv.statusCode, 200);
      const lines = csv.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines[0], 'session,contact_kind,contact_id,status,started_at,ended_at,feeling,note');
      assert.match(lines[1] ?? '', /,case,a,completed,.*,bad,headache$/);
      assert.equal((await v.get('/p/anc/survey-results/nope')).statusCode, 404);
    });

    test("a case's page shows its parent, its missing host, its children and its sessions", async () => {
      const child = await v.get('/p/anc/contacts/case/a');
      assert.equal(child.statusCode, 200);
      const links = /<dl class="facts" id="links">([\s\S]*?)<\/dl>/.exec(child.body)?.[1] ?? '';
      assert.match(
        links,
        /parent \(mother\)<\/dt>\s*<dd><a href="\/p\/anc\/contacts\/case\/mum">Halima<\/a>/,
      );
      assert.match(links, /host \(hh\)<\/dt>\s*<dd>gone \(no such case yet\)/);
      assert.match(
        child.body,
        /<table id="survey-sessions">[\s\S]*visit[\s\S]*completed[\s\S]*feeling: bad; note: headache/,
      );
      const mother = await v.get('/p/anc/contacts/case/mum');
      assert.match(
        mother.body,
        /<ul id="children">\s*<li><a href="\/p\/anc\/contacts\/case\/a">Amani<\/a><\/li>/,
      );
    });
  });
}
