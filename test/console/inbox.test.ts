// The console's inbox and Test SMS page on both databases (issue 15, SPEC 5 step 1): a simulated
// SMS through a chosen gateway is handled like a real one and the page shows the keyword's reply;
// the inbox lists inbound SMS, unknown numbers included, with how each was handled and its
// replies, and answers through a reply box; the administrator's /inbox has the SMS of no project
// (global gateways); a project key tests only on its own gateways and sees only its own inbox.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DATABASES } from '../support/databases.ts';
import { dueWork } from '../support/due-work.ts';
import { ADMIN_KEY, openApi, snapshot, type TestApi } from '../http/support.ts';
import { apiOk, signedIn, type Visitor } from './support.ts';

const UNKNOWN = '254799000401';

for (const name of DATABASES) {
  describe(`console inbox and Test SMS on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const ok = (method: string, url: string, body?: unknown) => apiOk(api, method, url, body);

    before(async () => {
      api = await openApi(name);
      await ok('PUT', '/api/v1/projects/clinic', { time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', {});
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/other/gateways/their-sms', { type: 'test' });
      await ok('PUT', '/api/v1/gateways/global', { type: 'test', inbound_secret: 'g-long-enough-secret' });
      await ok('PUT', '/api/v1/projects/clinic/keywords/hours', { reply: { text: 'Open 8 to 5' } });
      await ok('PUT', '/api/v1/projects/clinic/cases/amina', {
        name: 'Amina',
        properties: { contact_phone_number: '+254712000401', contact_phone_number_is_verified: '1' },
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('a Test SMS through a chosen gateway shows how it was handled and the reply it queued', async () => {
      const page = await v.get('/p/clinic/test-sms');
      assert.equal(page.statusCode, 200);
      // A project key tests on its own gateways only.
      assert.match(
        page.body,
        /<select id="gateway" name="gateway">\s*<option value="sms" selected>sms<\/option>\s*<\/select>/,
      );
      const sent = await v.post('/p/clinic/test-sms', {
        gateway: 'sms',
        from: '+254 712 000 401',
        text: 'HOURS',
      });
      assert.equal(sent.statusCode, 200, sent.body);
      assert.match(sent.body, /<h2 id="result-h">Handled: a keyword: answered<\/h2>/);
      assert.match(sent.body, /<ul id="replies">\s*<li class="text">Open 8 to 5<\/li>/);
      const work = dueWork(api.t.store, api.clock);
      await work.now();
      assert.deepEqual(
        work.gateway.accepted.map((a) => [a.gateway, a.to, a.text]),
        [['sms', '254712000401', 'Open 8 to 5']],
      );
    });

    test('a gateway the project may not test with, or a blank sender, is refused; nothing stored', async () => {
      const before = await snapshot(api.t.db);
      for (const gateway of ['global', 'their-sms', 'nope']) {
        const refused = await v.post('/p/clinic/test-sms', { gateway, from: UNKNOWN, text: 'x' });
        assert.equal(refused.statusCode, 400, gateway);
        assert.match(refused.body, /<a href="#gateway">gateway<\/a>/);
      }
      const blank = await v.post('/p/clinic/test-sms', { gateway: 'sms', from: ' ', text: 'x' });
      assert.match(blank.body, /id="from-error"/);
      assert.deepEqual(await snapshot(api.t.db), before);
    });

    test('the inbox lists an unknown number’s SMS with no automatic reply; an operator replies to it', async () => {
      await v.post('/p/clinic/test-sms', {
        gateway: 'sms',
        from: UNKNOWN,
        text: 'Is the clinic open <today>?',
      });
      const inbox = await v.get('/p/clinic/inbox');
      assert.equal(inbox.statusCode, 200);
      assert.match(inbox.body, /<a href="\/p\/clinic\/test-sms" id="test-sms-link">Send a test SMS<\/a>/);
      const id =
        /<li class="inbound" id="in-(\d+)">\s*<p class="meta">\s*<strong>\+254799000401<\/strong>/.exec(
          inbox.body,
        )?.[1];
      assert.ok(id, 'the unknown number is listed');
      const block =
        new RegExp(`id="in-${id}">([\\s\\S]*?)</li>\\s*<li class="inbound"`).exec(inbox.body)?.[1] ?? '';
      assert.match(block, /<span class="unknown">unknown number<\/span>/);
      assert.match(block, /Is the clinic open &lt;today&gt;\?/);
      assert.match(block, /from an unknown number: no automatic reply/);
      // Amina's keyword and its reply are there too.
      assert.match(inbox.body, /<a href="\/p\/clinic\/contacts\/case\/amina">case amina<\/a>/);
      assert.match(inbox.body, /<span class="text">Open 8 to 5<\/span>/);

      const blank = await v.post(`/p/clinic/inbox/${id}/reply`, { text: '  ' });
      assert.equal(blank.statusCode, 400);
      assert.match(blank.body, new RegExp(`id="reply-${id}-error"`));
      const replied = await v.post(`/p/clinic/inbox/${id}/reply`, { text: 'Yes, until 5 pm.' });
      assert.equal(replied.statusCode, 303);
      const after = await v.get(String(replied.headers.location));
      assert.match(after.body, /Reply to message \d+ queued\./);
      assert.match(
        after.body,
        /<span class="text">Yes, until 5 pm\.<\/span> <span class="muted">\(reply, queued\)<\/span>/,
      );
      const work = dueWork(api.t.store, api.clock);
      await work.now();
      assert.deepEqual(
        work.gateway.accepted.map((a) => [a.gateway, a.to, a.text]),
        [['sms', UNKNOWN, 'Yes, until 5 pm.']],
      );
      const log = await ok('GET', `/api/v1/projects/clinic/messages?number=${UNKNOWN}`);
      assert.deepEqual(
        (log as { messages: { direction: string; kind: string }[] }).messages.map((m) => [
          m.direction,
          m.kind,
        ]),
        [
          ['out', 'reply'],
          ['in', 'inbound'],
        ],
      );
    });

    test("the administrator's /inbox: SMS of no project from global gateways; a project key gets 404", async () => {
      const webhook = await api.app.inject({
        method: 'POST',
        url: '/gateways/global/inbound',
        headers: { 'x-caseline-secret': 'g-long-enough-secret' },
        payload: { from: '+254799000402', text: 'Hello?' },
      });
      assert.equal(webhook.statusCode, 200);
      assert.equal((await v.get('/inbox')).statusCode, 404);
      const admin = await signedIn(api, ADMIN_KEY);
      const inbox = await admin.get('/inbox');
      assert.equal(inbox.statusCode, 200);
      assert.match(inbox.body, /<strong>\+254799000402<\/strong>/);
      assert.doesNotMatch(inbox.body, /254799000401/, 'project messages are not in it');
      const id = /id="in-(\d+)"/.exec(inbox.body)?.[1] ?? '';
      assert.equal((await v.post(`/inbox/${id}/reply`, { text: 'x' })).statusCode, 404);
      assert.equal((await admin.post(`/inbox/${id}/reply`, { text: 'Which clinic?' })).statusCode, 303);
      assert.match((await admin.get('/inbox')).body, /Which clinic\?/);
      // A project's message cannot be answered from the admin's inbox of no project.
      const projectMessage = /id="in-(\d+)"/.exec((await v.get('/p/clinic/inbox')).body)?.[1] ?? '';
      assert.equal((await admin.post(`/inbox/${projectMessage}/reply`, { text: 'x' })).statusCode, 404);
    });

    test('a project key sees only its own inbox and Test SMS page', async () => {
      assert.equal((await v.get('/p/other/inbox')).statusCode, 404);
      assert.equal((await v.get('/p/other/test-sms')).statusCode, 404);
      assert.equal(
        (await v.post('/p/other/test-sms', { gateway: 'their-sms', from: UNKNOWN, text: 'x' })).statusCode,
        404,
      );
    });
  });
}
