// The console's foundation on both databases: signing in and out, the session cookie and its
// end (sign-out, a revoked key, 12 hours), CSRF on every form, a project key kept to its own
// project, escaping of user data, the htmx search fragment, and the API left untouched.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { SESSION_LIFETIME_MS } from '../../src/app/access/sessions.ts';
import { DATABASES, START } from '../support/databases.ts';
import { ADMIN_KEY, openApi, type TestApi } from '../http/support.ts';
import { csrfIn, setCookies, signedIn, visitor } from './support.ts';

const XSS = '<script>alert(1)</script>';

for (const name of DATABASES) {
  describe(`console foundation on ${name}`, () => {
    let api: TestApi;
    let clinicKey: string;
    let clinicKeyId: string;

    before(async () => {
      api = await openApi(name);
      const ok = api.ok;
      await ok('PUT', '/api/v1/projects/clinic', { default_country: 'KE', time_zone: 'Africa/Nairobi' });
      await ok('PUT', '/api/v1/projects/other', { default_country: 'KE' });
      await ok('PUT', '/api/v1/projects/clinic/cases/c1', {
        name: 'Amina Otieno',
        properties: { contact_phone_number: '0712345678' },
      });
      await ok('PUT', '/api/v1/projects/clinic/cases/x1', { name: XSS });
      await ok('PUT', '/api/v1/projects/clinic/mobile-workers/w1', {
        username: 'baraka',
        name: 'Baraka',
        phone_numbers: ['+254733000111'],
      });
      await ok('PUT', '/api/v1/projects/other/cases/o1', {
        name: 'Foreign Person',
        properties: { contact_phone_number: '0712999888' },
      });
      const created = await ok('POST', '/api/v1/projects/clinic/keys', { name: 'console' });
      clinicKey = created.key;
      clinicKeyId = created.id;
    });
    after(() => api.close());

    test('a bad key gets the form again with 401 and no session', async () => {
      const v = visitor(api);
      const form = await v.get('/sign-in');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /<form method="post" action="\/sign-in"/);
      const response = await v.post('/sign-in', { key: 'cl_not-a-key', _csrf: csrfIn(form.body) });
      assert.equal(response.statusCode, 401);
      assert.match(response.body, /This key is not valid/);
      assert.equal(v.cookies.has('caseline_session'), false);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 303);
    });

    test('a good key opens a session: an HTTP-only SameSite=Lax cookie for 12 hours, only its hash stored', async () => {
      const v = visitor(api);
      const form = await v.get('/sign-in?next=/p/clinic/contacts');
      const response = await v.post('/sign-in', {
        key: clinicKey,
        _csrf: csrfIn(form.body),
        next: '/p/clinic/contacts',
      });
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, '/p/clinic/contacts');
      const cookie = setCookies(response).find((c) => c.startsWith('caseline_session='));
      assert.ok(cookie, setCookies(response).join(' | '));
      const flags = cookie.split(';').map((part) => part.trim());
      assert.ok(flags.includes('HttpOnly'));
      assert.ok(flags.includes('SameSite=Lax'));
      assert.ok(flags.includes('Path=/'));
      assert.ok(flags.includes(`Max-Age=${SESSION_LIFETIME_MS / 1000}`));
      assert.ok(flags.includes('Secure'), 'the public URL is https');
      const id = v.cookies.get('caseline_session') ?? '';
      assert.ok(id.length >= 40);
      const rows = (
        await sql<{ id_hash: string }>`SELECT id_hash FROM console_sessions`.execute(api.t.db.kysely)
      ).rows;
      assert.ok(rows.length >= 1);
      assert.ok(rows.every((row) => row.id_hash !== id && /^[0-9a-f]{64}$/.test(row.id_hash)));
      const page = await v.get('/p/clinic/contacts');
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Amina Otieno/);
    });

    test('after sign-in a project key lands on its project and the admin on the project list', async () => {
      const v = visitor(api);
      const form = await v.get('/sign-in');
      const response = await v.post('/sign-in', { key: clinicKey, _csrf: csrfIn(form.body) });
      assert.equal(response.headers.location, '/p/clinic/');
      const admin = await signedIn(api, ADMIN_KEY);
      const home = await admin.get('/');
      assert.equal(home.statusCode, 200);
      assert.match(home.body, /href="\/p\/clinic\/">clinic</);
      assert.match(home.body, /href="\/p\/other\/">other</);
      assert.equal((await admin.get('/switch?project=other')).headers.location, '/p/other/');
      const project = await signedIn(api, clinicKey);
      assert.equal(
        (await project.get('/switch?project=other')).headers.location,
        '/p/clinic/',
        'a project key cannot switch',
      );
    });

    test('pages need a session: a redirect to sign-in, or HX-Redirect for htmx', async () => {
      const v = visitor(api);
      const page = await v.get('/p/clinic/contacts?q=a');
      assert.equal(page.statusCode, 303);
      assert.equal(page.headers.location, `/sign-in?next=${encodeURIComponent('/p/clinic/contacts?q=a')}`);
      const partial = await v.get('/p/clinic/contacts?q=a', { 'hx-request': 'true' });
      assert.equal(partial.statusCode, 401);
      assert.match(String(partial.headers['hx-redirect']), /^\/sign-in/);
      assert.equal((await v.get('/sign-in?next=//evil.example')).statusCode, 200);
      const form = await v.get('/sign-in');
      const response = await v.post('/sign-in', {
        key: clinicKey,
        _csrf: csrfIn(form.body),
        next: '//evil.example/x',
      });
      assert.equal(
        response.headers.location,
        '/p/clinic/',
        'only same-site paths are followed: home instead',
      );
    });

    test('CSRF: a form without the token, or with a wrong one, is refused with 403 and does nothing', async () => {
      const anonymous = visitor(api);
      await anonymous.get('/sign-in');
      assert.equal((await anonymous.post('/sign-in', { key: clinicKey, _csrf: null })).statusCode, 403);
      assert.equal((await anonymous.post('/sign-in', { key: clinicKey, _csrf: 'forged' })).statusCode, 403);
      assert.equal(anonymous.cookies.has('caseline_session'), false);

      const v = await signedIn(api, clinicKey);
      assert.equal((await v.post('/sign-out', { _csrf: null })).statusCode, 403);
      assert.equal((await v.post('/sign-out', { _csrf: 'x'.repeat(43) })).statusCode, 403);
      const other = await signedIn(api, clinicKey);
      assert.notEqual(other.csrf, v.csrf, 'each session has its own token');
      assert.equal((await v.post('/sign-out', { _csrf: other.csrf })).statusCode, 403);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 200, 'still signed in');
      // htmx sends the token as a header (the layout's hx-headers).
      const page = await v.get('/p/clinic/contacts');
      assert.ok(page.body.includes(`hx-headers="{&quot;X-CSRF-Token&quot;:&quot;${v.csrf}&quot;}"`));
      const out = await v.post('/sign-out', { _csrf: null }, { 'x-csrf-token': v.csrf ?? '' });
      assert.equal(out.statusCode, 303);
    });

    test('sign-out ends the session everywhere: the old cookie no longer opens pages', async () => {
      const v = await signedIn(api, clinicKey);
      const id = v.cookies.get('caseline_session') ?? '';
      const out = await v.post('/sign-out');
      assert.equal(out.statusCode, 303);
      assert.ok(setCookies(out).some((c) => c.startsWith('caseline_session=;') && /Max-Age=0/.test(c)));
      const replay = await api.app.inject({
        method: 'GET',
        url: '/p/clinic/contacts',
        headers: { cookie: `caseline_session=${id}` },
      });
      assert.equal(replay.statusCode, 303);
    });

    test('a project key sees only its project: 404 for another, and no foreign rows', async () => {
      const v = await signedIn(api, clinicKey);
      for (const url of [
        '/p/other/contacts',
        '/p/other/',
        '/p/other/contacts?q=Foreign',
        '/p/nowhere/contacts',
      ]) {
        const response = await v.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.doesNotMatch(response.body, /Foreign Person/);
      }
      const same = await v.get('/p/nowhere/contacts');
      const foreign = await v.get('/p/other/contacts');
      assert.equal(
        foreign.body.replaceAll('other', 'nowhere'),
        same.body,
        'an existing project looks exactly like a missing one',
      );
      const list = await v.get('/p/clinic/contacts');
      assert.match(list.body, /Amina Otieno/);
      assert.doesNotMatch(list.body, /Foreign Person|o1</);
      assert.doesNotMatch((await v.get('/p/clinic/contacts?q=Foreign')).body, /Foreign Person/);
      assert.doesNotMatch((await v.get('/p/clinic/contacts?q=0712999888')).body, /Foreign Person/);
      const admin = await signedIn(api, ADMIN_KEY);
      assert.match((await admin.get('/p/other/contacts')).body, /Foreign Person/);
      assert.equal((await admin.get('/p/nowhere/contacts')).statusCode, 404);
    });

    test('user data is escaped: a case named <script> shows as text', async () => {
      const v = await signedIn(api, clinicKey);
      const page = await v.get('/p/clinic/contacts?q=script');
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), page.body);
      assert.ok(!page.body.includes(XSS));
      const search = await v.get(`/p/clinic/contacts?q=${encodeURIComponent('"><b>x')}`);
      assert.ok(search.body.includes('value="&quot;&gt;&lt;b&gt;x"'));
    });

    test('the search finds by name, id and number; htmx gets only the result table', async () => {
      const v = await signedIn(api, clinicKey);
      const ids = (html: string) =>
        [...html.matchAll(/href="\/p\/clinic\/contacts\/(case|mobile_worker)\/([^"]+)"/g)].map(
          (m) => `${m[1]}:${m[2]}`,
        );
      assert.deepEqual(ids((await v.get('/p/clinic/contacts?q=amina')).body), ['case:c1']);
      assert.deepEqual(ids((await v.get('/p/clinic/contacts?q=0712%20345')).body), ['case:c1']);
      assert.deepEqual(ids((await v.get('/p/clinic/contacts?q=BARAKA')).body), ['mobile_worker:w1']);
      assert.deepEqual(ids((await v.get('/p/clinic/contacts?q=w1')).body), ['mobile_worker:w1']);
      assert.deepEqual(ids((await v.get('/p/clinic/contacts?q=%25')).body), [], 'LIKE wildcards are literal');
      assert.deepEqual(ids((await v.get('/p/clinic/contacts')).body), [
        'case:c1',
        'case:x1',
        'mobile_worker:w1',
      ]);
      const full = await v.get('/p/clinic/contacts?q=amina');
      assert.match(full.body, /\+254712345678/);
      const partial = await v.get('/p/clinic/contacts?q=amina', {
        'hx-request': 'true',
        'hx-target': 'results',
      });
      assert.equal(partial.statusCode, 200);
      assert.doesNotMatch(partial.body, /<html|<nav/);
      assert.match(partial.body, /<table>/);
      assert.deepEqual(ids(partial.body), ['case:c1']);
    });

    test('a revoked key ends its sessions at once', async () => {
      const created = (
        await api.call('POST', '/api/v1/projects/clinic/keys', { body: { name: 'short-lived' } })
      ).json();
      const v = await signedIn(api, created.key);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 200);
      assert.equal((await api.call('DELETE', `/api/v1/projects/clinic/keys/${created.id}`)).statusCode, 204);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 303);
      assert.ok(clinicKeyId !== created.id);
    });

    test('a session lasts 12 hours', async () => {
      const v = await signedIn(api, clinicKey);
      api.clock.set(api.clock.now() + SESSION_LIFETIME_MS - 1000);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 200);
      api.clock.set(api.clock.now() + 1000);
      assert.equal((await v.get('/p/clinic/contacts')).statusCode, 303);
      assert.ok(api.clock.now() > START);
    });

    test('assets and headers: htmx and the stylesheet are served, nothing else; pages forbid framing and foreign scripts', async () => {
      const htmx = await api.app.inject({ method: 'GET', url: '/assets/htmx.min.js' });
      assert.equal(htmx.statusCode, 200);
      assert.match(String(htmx.headers['content-type']), /javascript/);
      assert.match(htmx.body, /htmx/);
      const chart = await api.app.inject({ method: 'GET', url: '/assets/chart.umd.min.js' });
      assert.equal(chart.statusCode, 200);
      const css = await api.app.inject({ method: 'GET', url: '/assets/console.css' });
      assert.equal(css.statusCode, 200);
      assert.match(css.body, /:focus-visible/);
      const forms = await api.app.inject({ method: 'GET', url: '/assets/forms.css' });
      assert.equal(forms.statusCode, 200);
      assert.match(forms.body, /td\.text/);
      for (const url of [
        '/assets/package.json',
        '/assets/..%2F..%2F..%2Fpackage.json',
        '/assets/plugin.ts',
      ]) {
        assert.equal((await api.app.inject({ method: 'GET', url })).statusCode, 404, url);
      }
      const v = await signedIn(api, clinicKey);
      const page = await v.get('/p/clinic/contacts');
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.equal(page.headers['x-frame-options'], 'DENY');
      assert.equal(page.headers['cache-control'], 'no-store');
    });

    test('the API is untouched: no form bodies, JSON errors, keys still required', async () => {
      const form = await api.app.inject({
        method: 'PUT',
        url: '/api/v1/projects/clinic/cases/f1',
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          'content-type': 'application/x-www-form-urlencoded',
        },
        payload: 'name=x',
      });
      assert.equal(form.statusCode, 415);
      const v = await signedIn(api, ADMIN_KEY);
      const cookieOnly = await v.get('/api/v1/projects/clinic/cases');
      assert.equal(cookieOnly.statusCode, 401, 'a console session is no API key');
      assert.equal(cookieOnly.json().error.code, 'unauthorized');
    });
  });
}
