// A console visitor over inject: keeps cookies like a browser, signs in with a key through the
// sign-in form, and posts forms with the page's CSRF token.
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import type { TestApi } from '../http/support.ts';

export interface Visitor {
  /** Cookies sent with every request, by name. */
  cookies: Map<string, string>;
  /** The session's CSRF token, once signed in. */
  csrf: string | null;
  get(url: string, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  /** A form post; `_csrf` is added unless the form has one (null: leave it out); a list is a
   * repeated name (checkboxes), in order. */
  post(
    url: string,
    form?: Record<string, string | readonly string[] | null>,
    headers?: Record<string, string>,
  ): Promise<LightMyRequestResponse>;
}

/** Every `Set-Cookie` of a response, as raw header values. */
export function setCookies(response: LightMyRequestResponse): string[] {
  const value = response.headers['set-cookie'];
  return value === undefined ? [] : Array.isArray(value) ? value : [String(value)];
}

/** The value of a hidden field `_csrf` in a page. */
export function csrfIn(html: string): string | null {
  return /name="_csrf" value="([^"]*)"/.exec(html)?.[1] ?? null;
}

export function visitor(api: TestApi): Visitor {
  const cookies = new Map<string, string>();
  const keep = (response: LightMyRequestResponse) => {
    for (const line of setCookies(response)) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = decodeURIComponent(pair.slice(eq + 1));
      if (/max-age=0/i.test(line)) cookies.delete(name);
      else cookies.set(name, value);
    }
    return response;
  };
  const cookieHeader = () =>
    [...cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  const self: Visitor = {
    cookies,
    csrf: null,
    async get(url, headers = {}) {
      return keep(
        await api.app.inject({ method: 'GET', url, headers: { cookie: cookieHeader(), ...headers } }),
      );
    },
    async post(url, form = {}, headers = {}) {
      const fields = new URLSearchParams();
      for (const [name, value] of Object.entries({ _csrf: self.csrf, ...form }))
        for (const one of value === null ? [] : typeof value === 'string' ? [value] : value)
          fields.append(name, one);
      return keep(
        await api.app.inject({
          method: 'POST',
          url,
          headers: {
            cookie: cookieHeader(),
            'content-type': 'application/x-www-form-urlencoded',
            ...headers,
          },
          payload: fields.toString(),
        }),
      );
    },
  };
  return self;
}

/** Signs in through the form; returns the visitor with its session and CSRF token. */
export async function signedIn(api: TestApi, key: string): Promise<Visitor> {
  const v = visitor(api);
  const form = await v.get('/sign-in');
  assert.equal(form.statusCode, 200, form.body);
  const response = await v.post('/sign-in', { key, _csrf: csrfIn(form.body) });
  assert.equal(response.statusCode, 303, response.body);
  const home = await v.get(String(response.headers.location));
  v.csrf = csrfIn(home.body);
  assert.ok(v.csrf, `no CSRF token on ${String(response.headers.location)}: ${home.body.slice(0, 300)}`);
  return v;
}

/** Calls the API with the admin key and asserts success; returns the JSON answer. */
export async function apiOk(api: TestApi, method: string, url: string, body?: unknown): Promise<unknown> {
  const response = await api.call(method, url, { body });
  assert.ok(response.statusCode < 300, `${method} ${url}: ${response.body}`);
  return response.json();
}
