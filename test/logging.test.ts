// Logs: one readable line per record on a terminal, JSON lines otherwise; requests at debug.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, test } from 'node:test';
import { createLogger, prettyFor, prettyLine } from '../src/logging.ts';
import { openApi } from './http/support.ts';

/** A stream that keeps what is written, a terminal or not. */
function capture(isTTY: boolean) {
  const chunks: string[] = [];
  const stream = Object.assign(
    new Writable({
      write(chunk: Buffer, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    { isTTY },
  );
  return { stream, text: () => chunks.join('') };
}

describe('log lines', () => {
  test('a record as one readable line: time, level, message, fields', () => {
    const time = new Date(2026, 0, 5, 9, 7, 3, 45).getTime();
    const line = prettyLine(
      JSON.stringify({
        level: 30,
        time,
        pid: 7,
        hostname: 'vm',
        msg: 'caseline worker started',
        worker: 'vm:7',
        batch: 100,
      }),
    );
    assert.equal(line, '09:07:03.045 INFO  caseline worker started worker=vm:7 batch=100\n');
  });

  test('an error shows its type and message; text with spaces is quoted', () => {
    const line = prettyLine(
      JSON.stringify({
        level: 50,
        time: 0,
        msg: 'send failed',
        gateway: 'my sms',
        err: { type: 'TypeError', message: 'boom', stack: 'TypeError: boom\n    at x' },
      }),
    );
    assert.match(line, / ERROR send failed gateway="my sms" err="TypeError: boom"\n$/);
    assert.equal(line.split('\n').length, 2, 'one line, no stack');
  });

  test('pretty on a terminal, JSON otherwise, LOG_FORMAT decides when set', () => {
    assert.equal(prettyFor('auto', { isTTY: true }), true);
    assert.equal(prettyFor('auto', { isTTY: false }), false);
    assert.equal(prettyFor('json', { isTTY: true }), false);
    assert.equal(prettyFor('pretty', { isTTY: false }), true);
  });

  test('the logger writes pretty lines or JSON lines', () => {
    const tty = capture(true);
    createLogger({ logLevel: 'info', logFormat: 'auto' }, tty.stream).info({ n: 1 }, 'hello');
    assert.match(tty.text(), /^\d\d:\d\d:\d\d\.\d{3} \S*INFO \S* ?hello n=1\n$/);
    const pipe = capture(false);
    createLogger({ logLevel: 'info', logFormat: 'auto' }, pipe.stream).info({ n: 1 }, 'hello');
    assert.deepEqual(
      { ...JSON.parse(pipe.text()), time: 0, pid: 0, hostname: '' },
      { level: 30, time: 0, pid: 0, hostname: '', n: 1, msg: 'hello' },
    );
  });
});

describe('request logs', () => {
  for (const [level, expected] of [
    ['info', 0],
    ['debug', 2],
  ] as const) {
    test(`at ${level}: ${expected} lines for 2 requests`, async () => {
      const out = capture(false);
      const api = await openApi(
        'sqlite',
        {},
        { loggerInstance: createLogger({ logLevel: level, logFormat: 'json' }, out.stream) },
      );
      try {
        await api.call('GET', '/healthz', { key: null });
        await api.call('GET', '/api/v1/projects');
      } finally {
        await api.close();
      }
      const records = out
        .text()
        .trim()
        .split('\n')
        .filter((line) => line !== '')
        .map(
          (line) =>
            JSON.parse(line) as {
              level: number;
              msg: string;
              method?: string;
              url?: string;
              status?: number;
            },
        );
      const requests = records.filter((record) => record.msg === 'request');
      assert.equal(requests.length, expected);
      assert.ok(
        !records.some((record) => /incoming request|request completed/.test(record.msg)),
        "Fastify's two lines per request are gone",
      );
      if (expected > 0) {
        assert.deepEqual(
          requests.map(({ level: l, method, url, status }) => ({ l, method, url, status })),
          [
            { l: 20, method: 'GET', url: '/healthz', status: 200 },
            { l: 20, method: 'GET', url: '/api/v1/projects', status: 200 },
          ],
        );
      }
    });
  }
});

describe('credentials never reach the logs', () => {
  test('?secret= and other credential parameters, and credential headers, are redacted at debug', async () => {
    const out = capture(false);
    const api = await openApi(
      'sqlite',
      {},
      { loggerInstance: createLogger({ logLevel: 'trace', logFormat: 'json' }, out.stream) },
    );
    const SECRET = 'webhook-secret-1234567890';
    try {
      await api.ok('PUT', '/api/v1/projects/p', {});
      await api.ok('PUT', '/api/v1/projects/p/gateways/gw', { type: 'test', inbound_secret: SECRET });
      const hook = await api.app.inject({
        method: 'POST',
        url: `/gateways/gw/inbound?secret=${SECRET}&api_key=k-${SECRET}&from=254700000001`,
        headers: { 'x-twilio-signature': `sig-${SECRET}`, cookie: `cl_session=c-${SECRET}` },
        payload: { from: '254700000001', text: 'hello' },
      });
      assert.ok(hook.statusCode < 300, hook.body);
      // A wrong secret (401), a wrong key (401) and an unknown route: each logs its request.
      await api.app.inject({
        method: 'POST',
        url: `/gateways/gw/inbound?secret=wrong-${SECRET}`,
        payload: {},
      });
      await api.call('GET', `/api/v1/projects?token=t-${SECRET}`, { key: `k-${SECRET}` });
      await api.call('GET', `/nowhere?password=p-${SECRET}`, { key: null });
    } finally {
      await api.close();
    }
    const text = out.text();
    assert.ok(!text.includes(SECRET), `a credential was logged:\n${text}`);
    assert.match(text, /\/gateways\/gw\/inbound\?secret=REDACTED&api_key=REDACTED&from=254700000001/);
    assert.match(text, /\/nowhere\?password=REDACTED/);
  });
});
