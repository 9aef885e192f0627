// Browser tests of the operator console: the real server on a random port of 127.0.0.1 (the API
// and the console of test/http/support.ts, on a test database, admin key ADMIN_KEY, virtual
// clock at START) and Debian's Chromium driven by playwright-core. Never `npx playwright install`:
// `.ci/run` installs the `chromium` package when /usr/bin/chromium is missing.
//
// API:
//   const suite = await openBrowserSuite('sqlite' | 'postgres')    in before(); suite.close() in after()
//     suite.api        TestApi: api.call(method, url, {key, body}) through inject, api.projectKey(p),
//                      api.clock, api.t (store and db) — seed the database with it
//     suite.ok(method, url, body?)  an API call as admin that must succeed; its JSON
//     suite.url(path)  the absolute address of a path on the running server
//     suite.open({ name, viewport?, signedInAs? })  a new page in its own browser context (own
//                      cookies); `signedInAs: key` starts it with a session of that key, made
//                      without the browser (quicker than b.signIn when sign-in is not under test):
//   const b = await suite.open({ name: 'contact-why', signedInAs: projectKey })
//     b.page           the Playwright Page (1280×800 unless `viewport`)
//     b.goto(path)     navigates to a server path; the response must be < 400 unless allowed
//     b.signIn(key)    signs in through the form at /sign-in; waits to leave the form
//     b.allow(status, path)  a response with this status for a URL containing `path` is expected
//     b.failures       what went wrong so far: failed requests, responses >= 400 not allowed,
//                      console errors, uncaught page errors, dialogs (alert/confirm/prompt)
//     b.dialogs        the messages of dialogs that opened (each is dismissed)
//     b.expectNoFailures()  asserts b.failures is empty, listing them otherwise
//     b.screenshot(step?)   full-page PNG at test-output/screenshots/<database>-<name>[-<step>].png
//     b.expectAccessible(label?)  runs axe-core (WCAG 2.1 A and AA, and best practices) on the
//                      page as it is; fails listing every serious or critical violation
//     b.close()        closes the page's context (suite.close() closes any left open)
//
// Chromium is launched once per test file (node --test runs each file in its own process): at
// the first suite, closed after the file's last test. Without Chromium the suite fails, saying how
// to install it.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { after } from 'node:test';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DatabaseName } from '../support/databases.ts';
import { openApi, type TestApi } from '../http/support.ts';
import { signedIn } from '../console/support.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const require = createRequire(import.meta.url);
/** axe-core's browser build; evaluated in the page (DevTools evaluation, so the page's CSP that
 *  forbids inline scripts stays as it is). */
const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's serious and critical violations on the page, one line each with where they are. */
export async function accessibilityProblems(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  const violations = (await page.evaluate(
    `axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
  )) as { id: string; impact: string | null; help: string; nodes: string[] }[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 5).join(', ')}`);
}
export const SCREENSHOTS = 'test-output/screenshots';

let launched: Promise<Browser> | null = null;

/** The file's browser, launched at the first call. */
export function browser(): Promise<Browser> {
  if (!launched) {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `Chromium is not installed at ${CHROMIUM}: the browser tests (test/browser) drive Debian's chromium package. ` +
          'Install it with `apt-get install -y chromium` (.ci/run does this when it is missing), or set CHROMIUM_PATH.',
      );
    }
    // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
    launched = chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage'],
    });
  }
  return launched;
}

after(async () => {
  if (launched) await (await launched).close();
  launched = null;
});

export interface BrowserPage {
  page: Page;
  context: BrowserContext;
  failures: string[];
  dialogs: string[];
  goto(path: string): Promise<void>;
  signIn(key: string): Promise<void>;
  allow(status: number, path: string): void;
  expectNoFailures(): void;
  expectAccessible(label?: string): Promise<void>;
  screenshot(step?: string): Promise<string>;
  close(): Promise<void>;
}

export interface BrowserSuite {
  api: TestApi;
  database: DatabaseName;
  url(path: string): string;
  ok(method: string, url: string, body?: unknown): Promise<unknown>;
  open(options: {
    name: string;
    viewport?: { width: number; height: number };
    signedInAs?: string;
  }): Promise<BrowserPage>;
  close(): Promise<void>;
}

export async function openBrowserSuite(database: DatabaseName): Promise<BrowserSuite> {
  const chromiumBrowser = await browser();
  const api = await openApi(database);
  await api.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = api.app.server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  const contexts = new Set<BrowserContext>();

  const open: BrowserSuite['open'] = async ({
    name,
    viewport = { width: 1280, height: 800 },
    signedInAs,
  }) => {
    const context = await chromiumBrowser.newContext({ viewport, baseURL: origin });
    contexts.add(context);
    if (signedInAs !== undefined) {
      const visitor = await signedIn(api, signedInAs);
      const cookies = [...visitor.cookies].map(([cookie, value]) => ({
        name: cookie,
        value: encodeURIComponent(value),
        url: origin,
        httpOnly: true,
        sameSite: 'Lax' as const,
      }));
      await context.addCookies(cookies);
    }
    const page = await context.newPage();
    const failures: string[] = [];
    const dialogs: string[] = [];
    const allowed: { status: number; path: string }[] = [];
    const isAllowed = (status: number, url: string) =>
      allowed.some((a) => a.status === status && url.includes(a.path));

    page.on('requestfailed', (request) =>
      failures.push(
        `request failed: ${request.method()} ${request.url()} (${request.failure()?.errorText ?? 'no reason'})`,
      ),
    );
    page.on('response', (response) => {
      if (response.status() >= 400 && !isAllowed(response.status(), response.url())) {
        failures.push(`response ${response.status()}: ${response.request().method()} ${response.url()}`);
      }
    });
    page.on('console', (message) => {
      // A response >= 400 is also logged as "Failed to load resource"; the response listener judges it.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        failures.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      failures.push(`dialog opened (${dialog.type()}): ${dialog.message()}`);
      void dialog.dismiss();
    });

    const self: BrowserPage = {
      page,
      context,
      failures,
      dialogs,
      async goto(path) {
        const response = await page.goto(path);
        assert.ok(response, `no response for ${path}`);
        if (!isAllowed(response.status(), response.url()))
          assert.ok(response.status() < 400, `${path} answered ${response.status()}`);
      },
      async signIn(key) {
        await self.goto('/sign-in');
        await page.getByLabel('API key').fill(key);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForURL((url) => url.pathname !== '/sign-in');
      },
      allow(status, path) {
        allowed.push({ status, path });
      },
      expectNoFailures() {
        assert.deepEqual(failures, [], `the page had failures:\n${failures.join('\n')}`);
      },
      async expectAccessible(label = page.url()) {
        const problems = await accessibilityProblems(page);
        assert.deepEqual(problems, [], `${label}: serious accessibility violations:\n${problems.join('\n')}`);
      },
      async screenshot(step) {
        mkdirSync(SCREENSHOTS, { recursive: true });
        const file = `${SCREENSHOTS}/${[database, name, step]
          .filter(Boolean)
          .join('-')
          .replace(/[^\w.-]+/g, '_')}.png`;
        await page.screenshot({ path: file, fullPage: true });
        return file;
      },
      async close() {
        contexts.delete(context);
        await context.close();
      },
    };
    return self;
  };

  return {
    api,
    database,
    url: (path) => new URL(path, origin).href,
    async ok(method, url, body) {
      const response = await api.call(method, url, { body });
      assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
      return response.body === '' ? null : response.json();
    },
    open,
    async close() {
      for (const context of contexts) await context.close();
      contexts.clear();
      await api.close();
    },
  };
}
