// Findings of the security audit on the console (issue #14): a planted sign-in cookie does not
// pass for a session's CSRF token; asset names are the console's own; the registry page shows
// other projects' entries only as an owner "in use elsewhere"; wrong keys on the sign-in form
// are throttled like the API's.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from '../http/support.ts';
import { csrfIn, signedIn, visitor, type Visitor } from './support.ts';

const verified = (number: string) => ({
  contact_phone_number: number,
  contact_phone_number_is_verified: '1',
});

for (const name of DATABASES) {
  describe(`console security on ${name}`, () => {
    let api: TestApi;
    let v: Visitor;

    before(async () => {
      api = await openApi(name, { authFailuresPerMinute: 3 });
      for (const project of ['clinic', 'other']) await api.ok('PUT', `/api/v1/projects/${project}`, {});
      // 254700000001: clinic's case shares it with another project's unverified (one-way) case.
      await api.ok('PUT', '/api/v1/projects/clinic/cases/c1', { properties: verified('254700000001') });
      await api.ok('PUT', '/api/v1/projects/other/cases/o1', {
        name: 'Foreign One-way',
        properties: { contact_phone_number: '254700000001' },
      });
      // 254700000002: another project owns it; clinic's case has it one-way.
      await api.ok('PUT', '/api/v1/projects/other/cases/o2', {
        name: 'Foreign Owner',
        properties: verified('254700000002'),
      });
      await api.ok('PUT', '/api/v1/projects/clinic/cases/c2', {
        properties: { contact_phone_number: '254700000002' },
      });
      v = await signedIn(api, await api.projectKey('clinic'));
    });
    after(() => api.close());

    test('a planted sign-in cookie does not stand in for the session’s CSRF token', async () => {
      v.cookies.set('caseline_sign_in', 'planted-by-a-neighbour');
      const forged = await v.post('/p/clinic/contacts/case/c1/close', { _csrf: 'planted-by-a-neighbour' });
      v.cookies.delete('caseline_sign_in');
      assert.equal(forged.statusCode, 403);
      assert.equal((await api.ok('GET', '/api/v1/projects/clinic/cases/c1')).closed, false);
    });

    test('asset names are the console’s own: inherited names are no files', async () => {
      for (const file of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
        const response = await v.get(`/assets/${file}`);
        assert.equal(response.statusCode, 404, file);
      }
      assert.equal((await v.get('/assets/console.css')).statusCode, 200);
    });

    test('the registry page shows another project only as an owner in use elsewhere', async () => {
      const page = await v.get('/p/clinic/registry');
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /254700000001/, 'a foreign one-way entry is not a conflict here');
      const section = /<h2 id="n-254700000002">[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '';
      assert.match(section, /<td>in use elsewhere<\/td>\s*<td><\/td>\s*<td>owner<\/td>/);
      assert.doesNotMatch(
        page.body,
        /Foreign|case o1|case o2|two_way/,
        'nothing of the other project’s contacts',
      );
    });

    test('wrong keys on the sign-in form are refused for the rest of the minute', async () => {
      const guesser = visitor(api);
      const form = await guesser.get('/sign-in');
      const token = csrfIn(form.body);
      const attempt = () =>
        guesser.post('/sign-in', { key: 'guess', _csrf: token }, { 'x-forwarded-for': 'ignored' });
      for (let i = 0; i < 3; i++) assert.equal((await attempt()).statusCode, 401, `attempt ${i + 1}`);
      const refused = await attempt();
      assert.equal(refused.statusCode, 429);
      assert.equal(refused.headers['retry-after'], '60');
      assert.match(refused.body, /Too many wrong keys/);
    });
  });
}
