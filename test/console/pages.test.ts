// The console's pages on both databases: the dashboard's numbers (volumes per day, today
// against the limit, the queue by wait reason, errors by code), a contact's page (the "why" in
// the API's words, numbers, opt-out, history, verification), and the registry's conflicts with
// closing a case to resolve one — always within the signed-in project.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_TEXT } from '../../src/domain/errors.ts';
import { jsonForScript } from '../../src/console/render.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES } from '../support/databases.ts';
import { ADMIN_KEY, openApi, type TestApi } from '../http/support.ts';
import { signedIn, type Visitor } from './support.ts';

const escapeHtml = (text: string) =>
  text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** The cells of a table row whose first cell (th or td) is `first`. */
function rowCells(html: string, tableId: string, first: string): string[] {
  const table = new RegExp(`<table id="${tableId}">([\\s\\S]*?)</table>`).exec(html)?.[1] ?? '';
  for (const row of table.split('<tr').slice(1)) {
    const cells = [...row.matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((m) =>
      (m[1] ?? '').replace(/<[^>]+>/g, '').trim(),
    );
    if (cells[0] === first) return cells;
  }
  return [];
}

test('jsonForScript never lets a value close the script element', () => {
  const text = jsonForScript({ s: '</script><!-- & \u2028' });
  assert.doesNotMatch(text, /[<>&\u2028]/);
  assert.deepEqual(JSON.parse(text), { s: '</script><!-- & \u2028' });
});

for (const name of DATABASES) {
  describe(`console pages on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;
    const gateway = () => new TestGateway(api.clock);
    let testGateway: TestGateway;
    const work = () =>
      runDueWork({
        store: api.t.store,
        clock: api.clock,
        adapters: (type) => (type === 'test' ? testGateway : null),
        mailer: new RecordingMailer(api.clock),
        workerId: 'test',
      });

    before(async () => {
      api = await openApi(name);
      testGateway = gateway();
      const ok = api.ok;
      await ok('PUT', '/api/v1/projects/clinic', {
        default_country: 'KE',
        time_zone: 'Africa/Nairobi',
        daily_sms_limit: 1,
      });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/clinic/gateways/sms', { type: 'test', default: true });
      await ok('PUT', '/api/v1/projects/clinic/cases/c1', {
        name: 'Amina',
        properties: { contact_phone_number: '0712345678', language_code: 'sw' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/c2', { name: 'No number' });
      const verified = { contact_phone_number: '0700111222', contact_phone_number_is_verified: '1' };
      await ok('PUT', '/api/v1/projects/clinic/cases/c3', { name: 'First owner', properties: verified });
      await ok('PUT', '/api/v1/projects/clinic/cases/c4', { name: 'Second claim', properties: verified });
      await ok('PUT', '/api/v1/projects/other/cases/o1', {
        name: 'Foreign Person',
        properties: { contact_phone_number: '0700111222' },
      });
      await ok('PUT', '/api/v1/projects/clinic/mobile-workers/w1', {
        username: 'baraka',
        name: 'Baraka',
        phone_numbers: ['+254733000111'],
      });
      await ok('PUT', '/api/v1/projects/clinic/mobile-workers/w2', {
        username: 'zawadi',
        phone_numbers: ['+254733000222'],
      });
      await ok('PUT', '/api/v1/opt-outs/254733000222', { opted_out: true });
      // Today: one sent (the daily limit of 1), one held by the limit, one for tomorrow, one recipient without a number.
      await ok('POST', '/api/v1/projects/clinic/messages', { to: { case: 'c1' }, text: 'First' });
      await ok('POST', '/api/v1/projects/clinic/messages', { to: { case: 'c1' }, text: 'Second' });
      await ok('POST', '/api/v1/projects/clinic/messages', {
        to: { case: 'c1' },
        text: 'Tomorrow',
        at: '2026-01-06T08:00:00Z',
      });
      await ok('POST', '/api/v1/projects/clinic/messages', { to: { case: 'c2' }, text: 'Nobody' });
      await work();
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('dashboard: volumes per local day, today against the limit, the queue by reason, errors by code', async () => {
      const page = await v.get('/p/clinic/');
      assert.equal(page.statusCode, 200, page.body);
      assert.match(page.body, /<p class="big" id="today-count">1 \/ 1<\/p>/);
      assert.match(page.body, /<p class="big" id="queue-count">2<\/p>/);
      assert.deepEqual(
        rowCells(
          page.body,
          'queue',
          escapeHtml('the project’s daily SMS limit is reached: sent after local midnight'),
        ).slice(1),
        ['1'],
      );
      assert.deepEqual(rowCells(page.body, 'queue', 'scheduled: sent at the time it was given').slice(1), [
        '1',
      ]);
      // Day, queued, sent, delivered, received, error.
      assert.deepEqual(rowCells(page.body, 'volumes', '2026-01-05'), ['2026-01-05', '2', '1', '0', '0', '0']);
      assert.deepEqual(rowCells(page.body, 'volumes', '2026-01-04'), ['2026-01-04', '0', '0', '0', '0', '0']);
      assert.equal(rowCells(page.body, 'volumes', '2025-12-07')[0], '2025-12-07', 'thirty days back');
      assert.deepEqual(rowCells(page.body, 'volumes', '2025-12-06'), []);
      const errors = rowCells(page.body, 'errors', 'NO_PHONE_NUMBER');
      assert.equal(errors[1], escapeHtml(ERROR_TEXT.NO_PHONE_NUMBER));
      assert.equal(errors[2], '1');
      const json =
        /<script type="application\/json" id="volume-data">([^<]*)<\/script>/.exec(page.body)?.[1] ?? '';
      const chart = JSON.parse(json) as { days: string[]; series: { status: string; counts: number[] }[] };
      assert.equal(chart.days.length, 30);
      assert.equal(chart.days.at(-1), '2026-01-05');
      assert.equal(chart.series.find((s) => s.status === 'sent')?.counts.at(-1), 1);
      assert.equal(chart.series.find((s) => s.status === 'queued')?.counts.at(-1), 2);
      assert.match(page.body, /<script src="\/assets\/chart.umd.min.js" defer><\/script>/);
      assert.equal((await api.app.inject({ method: 'GET', url: '/assets/dashboard.js' })).statusCode, 200);
    });

    test('a case page: the why in the API’s words, its number, language, gateway and history with links', async () => {
      const why = (await api.call('GET', '/api/v1/projects/clinic/contacts/case/c1/why')).json();
      const page = await v.get('/p/clinic/contacts/case/c1');
      assert.equal(page.statusCode, 200, page.body);
      assert.ok(page.body.includes(`<p id="why-reason">${escapeHtml(why.reason)}</p>`), why.reason);
      assert.match(page.body, /<span class="yes">Gets SMS<\/span> — <code>ONE_WAY<\/code>/);
      assert.deepEqual(rowCells(page.body, 'numbers', '+254712345678'), [
        '+254712345678',
        'one_way',
        'not opted out',
      ]);
      assert.match(page.body, /<dt>Language<\/dt><dd>sw<\/dd>/);
      assert.match(page.body, /<dt>Time zone<\/dt><dd>Africa\/Nairobi<\/dd>/);
      assert.match(page.body, /<dd id="gateway">sms \(/);
      const texts = [...page.body.matchAll(/<a href="\/p\/clinic\/messages\/(\d+)">#\d+<\/a>/g)].map((m) =>
        Number(m[1]),
      );
      assert.equal(texts.length, 3);
      assert.deepEqual(
        [...texts].sort((a, b) => b - a),
        texts,
        'newest first',
      );
      assert.match(page.body, /<td>queued \(daily_limit\)<\/td>/);
      const none = await v.get('/p/clinic/contacts/case/c2');
      assert.match(none.body, /<span class="no">Gets no SMS<\/span> — <code>NO_PHONE_NUMBER<\/code>/);
      // Its failed send never became a message, and shows all the same.
      const failure = [
        ...(/<table id="failures">([\s\S]*?)<\/table>/.exec(none.body)?.[1] ?? '').matchAll(
          /<td>([\s\S]*?)<\/td>/g,
        ),
      ].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, '').trim());
      assert.deepEqual(failure.slice(2), ['NO_PHONE_NUMBER', 'the contact has no phone number']);
      assert.doesNotMatch(page.body, /<table id="failures">/);
      assert.equal((await v.get('/p/clinic/contacts/case/nobody')).statusCode, 404);
      assert.equal((await v.get('/p/clinic/contacts/group/c1')).statusCode, 404);
    });

    test('a mobile worker page: opt-out shown; verification starts only with the CSRF token', async () => {
      const optedOut = await v.get('/p/clinic/contacts/mobile_worker/w2');
      assert.deepEqual(rowCells(optedOut.body, 'numbers', '+254733000222').slice(0, 3), [
        '+254733000222',
        'one_way',
        'opted out (may opt in)',
      ]);

      const page = await v.get('/p/clinic/contacts/mobile_worker/w1');
      assert.match(page.body, /Start verification/);
      assert.equal(
        (await v.post('/p/clinic/contacts/mobile_worker/w1/verify', { number: '+254733000111', _csrf: null }))
          .statusCode,
        403,
      );
      assert.equal(
        rowCells((await v.get('/p/clinic/contacts/mobile_worker/w1')).body, 'numbers', '+254733000111')[1],
        'one_way',
      );

      const started = await v.post('/p/clinic/contacts/mobile_worker/w1/verify', { number: '+254733000111' });
      assert.equal(started.statusCode, 303);
      assert.equal(started.headers.location, '/p/clinic/contacts/mobile_worker/w1?done=WORKFLOW_STARTED');
      const after = await v.get(String(started.headers.location));
      assert.match(after.body, /Verification started/);
      assert.equal(rowCells(after.body, 'numbers', '+254733000111')[1], 'pending');
      assert.match(after.body, /<code>PENDING_VERIFICATION<\/code>/);
      assert.match(after.body, /Send the verification again/);
      assert.equal(
        (await v.get('/p/clinic/contacts/mobile_worker/w1')).body.match(
          /<a href="\/p\/clinic\/messages\/\d+">/g,
        )?.length,
        1,
        'the verification SMS is in its history',
      );
      const again = await v.post('/p/clinic/contacts/mobile_worker/w1/verify', { number: '+254733000111' });
      assert.equal(again.headers.location, '/p/clinic/contacts/mobile_worker/w1?done=RESENT_PENDING');
      const wrong = await v.post('/p/clinic/contacts/mobile_worker/w1/verify', { number: '+254799999999' });
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /is not one of mobile worker/);
    });

    test('registry: the conflict, its owner and the fix; closing the owner case hands the number on', async () => {
      const page = await v.get('/p/clinic/registry');
      assert.equal(page.statusCode, 200);
      const section = /<h2 id="n-254700111222">[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
      assert.ok(section, page.body);
      assert.match(section, /case c3<\/a> — First owner<\/td>\s*<td>two_way<\/td>\s*<td>owner<\/td>/);
      assert.match(section, /case c4<\/a> — Second claim<\/td>\s*<td>waiting<\/td>/);
      // Another project's one-way entry is not this project's business (security audit, finding 9).
      assert.doesNotMatch(section, /another project|in use elsewhere|one_way/);
      assert.doesNotMatch(page.body, /case o1|Foreign/);
      assert.ok(section.includes(escapeHtml("case 'c3' owns the number")));
      assert.ok(section.includes(escapeHtml("Then case 'c4', the oldest waiting claim, gets it.")));
      assert.match(section, /href="\/p\/clinic\/contacts\/case\/c3"/);
      assert.doesNotMatch(page.body, /254712345678/, 'a number with one entry is no conflict');

      assert.match((await v.get('/p/clinic/contacts/case/c3')).body, /Close case/);
      assert.equal((await v.post('/p/clinic/contacts/case/c3/close', { _csrf: null })).statusCode, 403);
      const closed = await v.post('/p/clinic/contacts/case/c3/close');
      assert.equal(closed.statusCode, 303);
      const c3 = await v.get(String(closed.headers.location));
      assert.match(c3.body, /The case is closed/);
      assert.match(c3.body, /<code>INACTIVE<\/code>/);
      assert.doesNotMatch(c3.body, /Close case/);
      assert.equal(
        (await api.call('GET', '/api/v1/projects/clinic/cases/c3')).json().closed,
        true,
        'the same case as the API sees',
      );
      const c4 = await v.get('/p/clinic/contacts/case/c4');
      assert.match(c4.body, /<code>TWO_WAY<\/code>/);
      // c4 owns it now; the other project's one-way entry is its own business, so no conflict here.
      const after = await v.get('/p/clinic/registry');
      assert.doesNotMatch(after.body, /n-254700111222/);
    });

    test('pages keep to the signed-in project: 404 for another project’s pages, contacts and actions', async () => {
      for (const url of [
        '/p/other/',
        '/p/other/registry',
        '/p/other/contacts/case/o1',
        '/p/clinic/contacts/case/o1',
      ]) {
        const response = await v.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.doesNotMatch(response.body, /Foreign Person/);
      }
      assert.equal((await v.post('/p/other/contacts/case/o1/close')).statusCode, 404);
      assert.equal((await v.post('/p/clinic/contacts/case/o1/close')).statusCode, 404);
      assert.equal((await api.call('GET', '/api/v1/projects/other/cases/o1')).json().closed, false);
      const admin = await signedIn(api, ADMIN_KEY);
      const theirs = await admin.get('/p/other/registry');
      assert.match(theirs.body, /href="\/p\/other\/contacts\/case\/o1">case o1<\/a> — Foreign Person/);
      assert.doesNotMatch(theirs.body, /case c4|Second claim/);
      assert.match((await admin.get('/p/other/')).body, /id="today-count">0 \/ 50000</);
    });
  });
}
