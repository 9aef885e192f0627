import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SendOutcome } from '../../src/app/ports/gateway.ts';
import {
  exchange,
  outcomeOf,
  outcomeOfError,
  parseRetryAfter,
  redact,
  traceOf,
} from '../../src/gateways/http-outcome.ts';
import type { HttpRequest, HttpResponse, Reading } from '../../src/gateways/http-outcome.ts';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const SECRET = 'k3y w1th+odd&chars/é';

const request: HttpRequest = {
  method: 'POST',
  url: `https://sms.example/send?key=${encodeURIComponent(SECRET)}`,
  headers: { Authorization: 'Bearer abc.def', 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams({ to: '254712345678', text: 'hello', key: SECRET }).toString(),
};

const reading: Reading = { secrets: [SECRET], now: () => NOW };

function reply(status: number, body = '', headers: Record<string, string> = {}): HttpResponse {
  return { status, body, headers };
}

type Expect = Partial<
  Record<'kind' | 'detail' | 'providerMessageId' | 'retryAfterMs' | 'statusCode', unknown>
>;

function assertOutcome(outcome: SendOutcome, expect: Expect, label: string): void {
  for (const [key, value] of Object.entries(expect)) {
    const actual = (outcome as Record<string, unknown>)[key];
    if (value instanceof RegExp) assert.match(String(actual), value, `${label}: ${key}`);
    else assert.deepEqual(actual, value, `${label}: ${key}`);
  }
}

const statusCases: { label: string; reply: HttpResponse; reading?: Partial<Reading>; expect: Expect }[] = [
  {
    label: '200 is accepted',
    reply: reply(200, 'OK'),
    expect: { kind: 'accepted', providerMessageId: null, statusCode: 200 },
  },
  { label: '204 is accepted', reply: reply(204), expect: { kind: 'accepted' } },
  {
    label: 'a success body the adapter reads as failure is rejected',
    reply: reply(200, '{"status":"FAILED"}'),
    reading: { readSuccess: () => ({ failure: 'body says FAILED' }) },
    expect: { kind: 'rejected', detail: 'body says FAILED', statusCode: 200 },
  },
  {
    label: 'the provider id comes from readSuccess',
    reply: reply(201, '{"id":"p-1"}'),
    reading: { readSuccess: () => ({ providerMessageId: 'p-1' }) },
    expect: { kind: 'accepted', providerMessageId: 'p-1' },
  },
  {
    label: 'a 2xx outside the configured statuses is rejected',
    reply: reply(202),
    reading: { successStatuses: [200] },
    expect: { kind: 'rejected', detail: /HTTP 202 is not a success status/ },
  },
  {
    label: 'a configured non-2xx status is success',
    reply: reply(302),
    reading: { successStatuses: [302] },
    expect: { kind: 'accepted' },
  },
  {
    label: 'a redirect is rejected and names where',
    reply: reply(301, '', { location: 'https://elsewhere.example/' }),
    expect: { kind: 'rejected', detail: /redirect to https:\/\/elsewhere\.example\// },
  },
  {
    label: '400 is rejected with the body',
    reply: reply(400, 'bad number\n format'),
    expect: { kind: 'rejected', detail: 'HTTP 400: bad number format', statusCode: 400 },
  },
  { label: '404 without a body', reply: reply(404), expect: { kind: 'rejected', detail: 'HTTP 404' } },
  {
    label: 'a 4xx the adapter blames on the destination',
    reply: reply(400, 'x'),
    reading: { readFailure: () => ({ detail: 'no such number', invalidDestination: true }) },
    expect: { kind: 'invalid_destination', detail: 'no such number' },
  },
  {
    label: 'invalidDestination does not turn a 5xx permanent',
    reply: reply(503, 'x'),
    reading: { readFailure: () => ({ detail: 'down', invalidDestination: true }) },
    expect: { kind: 'temporary', detail: 'down' },
  },
  { label: '408 is temporary', reply: reply(408), expect: { kind: 'temporary', statusCode: 408 } },
  {
    label: '500 is temporary',
    reply: reply(500, 'oops'),
    expect: { kind: 'temporary', detail: 'HTTP 500: oops' },
  },
  { label: '502 is temporary', reply: reply(502), expect: { kind: 'temporary' } },
  {
    label: '429 with seconds',
    reply: reply(429, 'slow down', { 'retry-after': '120' }),
    expect: { kind: 'throttled', retryAfterMs: 120_000, statusCode: 429 },
  },
  {
    label: '429 with an HTTP date',
    reply: reply(429, '', { 'retry-after': 'Mon, 02 Mar 2026 10:01:30 GMT' }),
    expect: { kind: 'throttled', retryAfterMs: 90_000 },
  },
  {
    label: '429 without Retry-After',
    reply: reply(429),
    expect: { kind: 'throttled', retryAfterMs: undefined },
  },
  {
    label: '429 with garbage Retry-After',
    reply: reply(429, '', { 'retry-after': 'soon' }),
    expect: { kind: 'throttled', retryAfterMs: undefined },
  },
  {
    label: 'a secret echoed in an error body stays out of the detail',
    reply: reply(401, `unknown key ${SECRET}`),
    expect: { kind: 'rejected', detail: 'HTTP 401: unknown key ***' },
  },
];

for (const { label, reply: response, reading: extra, expect } of statusCases) {
  test(`outcomeOf: ${label}`, () => {
    const outcome = outcomeOf(request, response, { ...reading, ...extra });
    assertOutcome(outcome, expect, label);
    assert.ok(outcome.trace, 'a trace is kept');
    assert.doesNotMatch(JSON.stringify(outcome), /k3y/, 'no secret in the outcome');
  });
}

test('parseRetryAfter reads seconds and dates, ignores the rest', () => {
  const cases: [string | undefined, number | undefined][] = [
    ['0', 0],
    [' 30 ', 30_000],
    ['Mon, 02 Mar 2026 10:00:10 GMT', 10_000],
    ['Mon, 02 Mar 2026 09:00:00 GMT', 0],
    ['-5', undefined],
    ['1.5', undefined],
    ['', undefined],
    [undefined, undefined],
    ['later', undefined],
  ];
  for (const [value, expected] of cases) assert.equal(parseRetryAfter(value, NOW), expected, String(value));
});

test('redact replaces a secret in its raw, URL-encoded, form-encoded and JSON forms', () => {
  const text = [
    SECRET,
    encodeURIComponent(SECRET),
    new URLSearchParams({ k: SECRET }).toString(),
    JSON.stringify({ k: SECRET }),
  ].join(' | ');
  const redacted = redact(text, [SECRET, '']);
  assert.equal(redacted, '*** | *** | k=*** | {"k":"***"}');
  assert.equal(redact('nothing here', ['']), 'nothing here', 'an empty secret changes nothing');
  assert.equal(redact('abcdef', ['abc', 'abcdef']), '***', 'the longer secret first');
});

test('traceOf hides Authorization, redacts secrets and cuts long bodies', () => {
  const long = { ...request, body: `key=${encodeURIComponent(SECRET)}&text=${'x'.repeat(5000)}` };
  const trace = traceOf(long, reply(500, 'y'.repeat(5000)), [SECRET]);
  assert.ok(
    trace.request?.startsWith(
      `POST https://sms.example/send?key=***\nAuthorization: ***\nContent-Type: application/x-www-form-urlencoded\n\nkey=***&text=xxx`,
    ),
    trace.request ?? '',
  );
  assert.doesNotMatch(trace.request ?? '', /abc\.def/);
  assert.ok((trace.request?.length ?? 0) < 2200, 'request cut to about 2 KB');
  assert.match(trace.request ?? '', /… \(\d+ more characters\)$/);
  assert.ok(trace.response?.startsWith('HTTP 500\n\nyyy'));
  assert.ok((trace.response?.length ?? 0) < 2200, 'response cut to about 2 KB');
  assert.equal(traceOf(request, null, []).response, null);
});

test('outcomeOfError classifies network errors', () => {
  const fetchFailed = (code: string) =>
    new TypeError('fetch failed', { cause: Object.assign(new Error(code), { code }) });
  const cases: { label: string; error: unknown; expect: Expect }[] = [
    {
      label: 'timeout',
      error: new DOMException('The operation was aborted due to timeout', 'TimeoutError'),
      expect: { kind: 'temporary', detail: 'timed out after 1500 ms' },
    },
    {
      label: 'refused',
      error: fetchFailed('ECONNREFUSED'),
      expect: { kind: 'temporary', detail: 'connection refused (sms.example)' },
    },
    {
      label: 'reset',
      error: fetchFailed('ECONNRESET'),
      expect: { kind: 'temporary', detail: /connection reset/ },
    },
    {
      label: 'DNS',
      error: fetchFailed('ENOTFOUND'),
      expect: { kind: 'temporary', detail: /host name not found/ },
    },
    {
      label: 'happy eyeballs AggregateError',
      error: new TypeError('fetch failed', {
        cause: new AggregateError([Object.assign(new Error('x'), { code: 'ECONNREFUSED' })]),
      }),
      expect: { kind: 'temporary', detail: /connection refused/ },
    },
    {
      label: 'a request that cannot be built',
      error: new TypeError('Invalid header value'),
      expect: { kind: 'rejected', detail: /could not be sent: Invalid header value/ },
    },
    {
      label: 'anything else',
      error: new Error(`boom ${SECRET}`),
      expect: { kind: 'temporary', detail: 'network error: boom *** (sms.example)' },
    },
  ];
  for (const { label, error, expect } of cases) {
    const outcome = outcomeOfError(request, error, 1500, [SECRET]);
    assertOutcome(outcome, expect, label);
    assert.equal(outcome.trace?.response, null, label);
    assert.doesNotMatch(JSON.stringify(outcome), /k3y/, label);
  }
});

test('exchange against a real server: answer, reset, timeout, refused', async () => {
  let mode: 'ok' | 'reset' | 'hang' = 'ok';
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      bodies.push(`${req.method} ${req.url} ${req.headers['x-test'] ?? ''} ${body}`);
      if (mode === 'ok') res.writeHead(201, { 'content-type': 'text/plain' }).end('created');
      else if (mode === 'reset') req.socket.destroy();
      // hang: never answer
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  const local: HttpRequest = {
    method: 'POST',
    url: `http://127.0.0.1:${port}/x?a=1`,
    headers: { 'X-Test': 'yes' },
    body: 'hello',
  };
  try {
    const ok = await exchange(local, 2000, reading);
    assertOutcome(ok, { kind: 'accepted', statusCode: 201 }, 'ok');
    assert.equal(ok.trace?.response, 'HTTP 201\n\ncreated');
    assert.deepEqual(bodies, ['POST /x?a=1 yes hello']);

    mode = 'reset';
    assertOutcome(
      await exchange(local, 2000, reading),
      { kind: 'temporary', detail: /connection|network error/ },
      'reset',
    );

    mode = 'hang';
    const started = performance.now();
    assertOutcome(
      await exchange(local, 150, reading),
      { kind: 'temporary', detail: 'timed out after 150 ms' },
      'hang',
    );
    assert.ok(performance.now() - started < 1500, 'the timeout is honoured');
  } finally {
    server.closeAllConnections();
    await new Promise((done) => server.close(done));
  }
  assertOutcome(
    await exchange(local, 2000, reading),
    { kind: 'temporary', detail: `connection refused (127.0.0.1:${port})` },
    'refused',
  );
});
