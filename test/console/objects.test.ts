// The console's keywords, surveys and groups on both databases (issue 15): each with a list, a
// creation page at /<plural>/new, an edit page and delete after a confirmation; the survey
// question builder (types, texts per language, choices, required, save_to, show_if; add, remove,
// move up and down) and the keyword form — no JSON typed; errors on their input with nothing
// saved; 409 shown with what uses an object; and project isolation.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

const invalid = (id: string) =>
  new RegExp(`id="${id.replace(/[[\].*]/g, '\\$&')}" name="[^"]*"[^>]*aria-invalid="true"`);

/** A survey form as posted: one single-choice question, one number question. */
const surveyForm = (overrides: Record<string, string> = {}) => ({
  is_new: '1',
  id: 'checkup',
  question_rows: '2',
  'questions[0].id': 'well',
  'questions[0].type': 'single',
  'questions[0].text.*': 'Feeling well?',
  'questions[0].text.sw': 'Unajisikia vizuri?',
  'questions[0].required': 'on',
  'questions[0].choice_rows': '2',
  'questions[0].choices[0].value': 'yes',
  'questions[0].choices[0].text.*': 'Yes',
  'questions[0].choices[1].value': 'no',
  'questions[0].choices[1].text.*': 'No',
  'questions[1].id': 'weeks',
  'questions[1].type': 'int',
  'questions[1].text.*': 'Weeks pregnant?',
  'questions[1].required': 'on',
  'questions[1].save_to': 'weeks',
  'questions[1].choice_rows': '0',
  'questions[1].show_if.question': '',
  expiry_hours: '12',
  reminder_minutes: '30, 60',
  default_language: '',
  op: 'save',
  ...overrides,
});

for (const name of DATABASES) {
  describe(`console keywords, surveys and groups on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', languages: ['sw'] });
      await ok('PUT', '/api/v1/projects/other', {});
      await ok('PUT', '/api/v1/projects/other/keywords/secret', { reply: { text: 'Other' } });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('a survey built with the question builder: texts per language, choices, required, save_to', async () => {
      const blank = await v.get('/p/clinic/surveys/new');
      assert.equal(blank.statusCode, 200);
      assert.match(
        blank.body,
        /<label for="questions\[0\]\.text\.untranslated">Text \(any language\)<\/label>/,
      );
      assert.match(blank.body, /<label for="questions\[0\]\.text\.sw">In sw<\/label>/);
      assert.doesNotMatch(blank.body, /JSON/);
      const saved = await v.post('/p/clinic/surveys', surveyForm());
      assert.equal(saved.statusCode, 303, saved.body);
      const stored = (await api.ok('GET', '/api/v1/projects/clinic/surveys/checkup')) as Record<
        string,
        unknown
      >;
      assert.deepEqual(
        {
          expiry: stored.expiry_hours,
          reminders: stored.reminder_minutes,
          count: (stored.questions as unknown[]).length,
        },
        { expiry: 12, reminders: [30, 60], count: 2 },
      );
      const [well, weeks] = stored.questions as Record<string, unknown>[];
      assert.deepEqual(
        [well?.id, well?.type, (well?.choices as { value: string }[]).map((c) => c.value)],
        ['well', 'single', ['yes', 'no']],
      );
      assert.deepEqual([weeks?.id, weeks?.save_to, weeks?.required], ['weeks', 'weeks', undefined]);
      assert.match(JSON.stringify(well), /Unajisikia vizuri\?/);
      const list = await v.get('/p/clinic/surveys');
      assert.match(
        list.body,
        /<tr id="row-checkup">\s*<th scope="row">checkup<\/th>\s*<td class="num">2<\/td>\s*<td class="text">Feeling well\?<\/td>/,
      );
      const edit = await v.get('/p/clinic/surveys/checkup/edit');
      assert.match(edit.body, /<textarea id="questions\[0\]\.text\.sw"[^>]*>Unajisikia vizuri\?<\/textarea>/);
    });

    test('question builder buttons: add, move, remove questions and choices, the keyboard on the new row; nothing saved', async () => {
      const before = await snapshot(api.t.db);
      const added = await v.post('/p/clinic/surveys', surveyForm({ id: 'draft', op: 'add-question' }));
      assert.equal(added.statusCode, 200);
      assert.match(added.body, /id="questions\[2\]\.id" name="questions\[2\]\.id" value="q3" autofocus/);
      const up = await v.post('/p/clinic/surveys', surveyForm({ id: 'draft', op: 'up:1' }));
      assert.match(up.body, /id="questions\[0\]\.id" name="questions\[0\]\.id" value="weeks"/);
      assert.match(up.body, /id="questions\[1\]\.id" name="questions\[1\]\.id" value="well"/);
      assert.match(up.body, /id="questions\[0\]\.up"[^>]* disabled autofocus/);
      const down = await v.post('/p/clinic/surveys', surveyForm({ id: 'draft', op: 'down:0' }));
      assert.match(down.body, /id="questions\[0\]\.id" name="questions\[0\]\.id" value="weeks"/);
      const choice = await v.post('/p/clinic/surveys', surveyForm({ id: 'draft', op: 'add-choice:0' }));
      assert.match(
        choice.body,
        /id="questions\[0\]\.choices\[2\]\.value" name="questions\[0\]\.choices\[2\]\.value" value="3" autofocus/,
      );
      const lessChoice = await v.post(
        '/p/clinic/surveys',
        surveyForm({ id: 'draft', op: 'remove-choice:0.0' }),
      );
      assert.match(
        lessChoice.body,
        /id="questions\[0\]\.choices\[0\]\.value" name="questions\[0\]\.choices\[0\]\.value" value="no"/,
      );
      const removed = await v.post('/p/clinic/surveys', surveyForm({ id: 'draft', op: 'remove-question:0' }));
      assert.match(removed.body, /id="questions\[0\]\.id" name="questions\[0\]\.id" value="weeks"/);
      assert.doesNotMatch(removed.body, /questions\[1\]\.id/);
      // show_if offers the earlier questions only.
      assert.match(
        added.body,
        /<select id="questions\[1\]\.show_if\.question"[^>]*>\s*<option value="" selected>\(always ask\)<\/option>\s*<option value="well">well<\/option>\s*<\/select>/,
      );
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('survey errors land on their input and save nothing', async () => {
      const before = await snapshot(api.t.db);
      const twice = await v.post('/p/clinic/surveys', surveyForm({ id: 'dup', 'questions[1].id': 'well' }));
      assert.equal(twice.statusCode, 400);
      assert.match(twice.body, /question ids must be unique/);
      const choice = await v.post(
        '/p/clinic/surveys',
        surveyForm({ id: 'sp', 'questions[0].choices[1].value': 'not well' }),
      );
      assert.equal(choice.statusCode, 400);
      assert.match(choice.body, invalid('questions[0].choices[1].value'));
      const expiry = await v.post('/p/clinic/surveys', surveyForm({ id: 'ex', expiry_hours: '169' }));
      assert.match(expiry.body, invalid('expiry_hours'));
      const taken = await v.post('/p/clinic/surveys', surveyForm());
      assert.match(taken.body, /there is already a survey &#39;checkup&#39;/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('a keyword that starts the survey; the survey cannot be deleted while it does', async () => {
      const blank = await v.get('/p/clinic/keywords/new');
      assert.match(blank.body, /<option value="checkup">checkup<\/option>/);
      const noSurvey = await v.post('/p/clinic/keywords', {
        is_new: '1',
        keyword: 'JOIN',
        action: 'survey',
        survey: '',
        op: 'save',
      });
      assert.equal(noSurvey.statusCode, 400);
      const saved = await v.post('/p/clinic/keywords', {
        is_new: '1',
        keyword: 'Checkup',
        action: 'survey',
        survey: 'checkup',
        'reply.*': 'Welcome <friend>',
        'reply.sw': 'Karibu',
        allow: 'cases',
        op: 'save',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.deepEqual((await api.t.store.keywords.get('clinic', 'CHECKUP'))?.definition, {
        action: 'survey',
        reply: { translations: { '*': 'Welcome <friend>', sw: 'Karibu' } },
        survey: 'checkup',
        allow: 'cases',
      });
      const list = await v.get('/p/clinic/keywords');
      assert.match(list.body, /<td class="text">\*: Welcome &lt;friend&gt;; sw: Karibu<\/td>/);
      assert.doesNotMatch(list.body, /secret/);

      const ask = await v.post('/p/clinic/surveys/checkup/delete', {});
      assert.match(ask.body, /id="confirm-delete">Delete survey checkup</);
      const refused = await v.post('/p/clinic/surveys/checkup/delete', { confirm: 'yes' });
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /<li>keyword <strong>Checkup<\/strong><\/li>/);
      assert.ok(await api.t.store.surveys.get('clinic', 'checkup'));
      const gone = await v.post('/p/clinic/keywords/checkup/delete', { confirm: 'yes' });
      assert.equal(gone.statusCode, 303);
      assert.equal(await api.t.store.keywords.get('clinic', 'checkup'), null);
      assert.equal((await v.post('/p/clinic/surveys/checkup/delete', { confirm: 'yes' })).statusCode, 303);
      assert.equal(await api.t.store.surveys.get('clinic', 'checkup'), null);
    });

    test('a group: created, edited, deleted', async () => {
      const saved = await v.post('/p/clinic/groups', {
        is_new: '1',
        id: 'mothers',
        name: 'Mothers',
        kind: 'case',
        members: 'c1\nc2, c3',
      });
      assert.equal(saved.statusCode, 303, saved.body);
      assert.deepEqual((await api.t.store.groups.get('clinic', 'mothers'))?.members, ['c1', 'c2', 'c3']);
      const edit = await v.get('/p/clinic/groups/mothers/edit');
      assert.match(edit.body, /<textarea id="members" name="members"[^>]*>c1\nc2\nc3<\/textarea>/);
      const bad = await v.post('/p/clinic/groups', {
        is_new: '0',
        id: 'mothers',
        name: '',
        kind: 'household',
        members: '',
      });
      assert.equal(bad.statusCode, 400);
      assert.match(bad.body, invalid('kind'));
      assert.equal((await v.post('/p/clinic/groups/mothers/delete', { confirm: 'yes' })).statusCode, 303);
      assert.equal(await api.t.store.groups.get('clinic', 'mothers'), null);
    });

    test("a project key reads and changes only its own project's objects", async () => {
      for (const path of ['keywords', 'surveys', 'groups']) {
        assert.equal((await v.get(`/p/other/${path}`)).statusCode, 404, path);
        assert.equal((await v.get(`/p/other/${path}/new`)).statusCode, 404, path);
        assert.equal(
          (
            await v.post(`/p/other/${path}`, {
              is_new: '1',
              id: 'x',
              keyword: 'x',
              'reply.*': 'x',
              kind: 'case',
            })
          ).statusCode,
          404,
        );
      }
      assert.equal((await v.get('/p/clinic/keywords/secret/edit')).statusCode, 404);
      assert.equal((await v.post('/p/clinic/keywords/secret/delete', { confirm: 'yes' })).statusCode, 404);
      assert.ok(await api.t.store.keywords.get('other', 'secret'));
      assert.equal(await api.t.store.keywords.get('other', 'x'), null);
    });
  });
}
