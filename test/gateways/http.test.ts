import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { GatewayRecord } from '../../src/app/ports/records.ts';
import type { OutboundSms, SendOutcome } from '../../src/app/ports/gateway.ts';
import { InputError } from '../../src/lib/input.ts';
import { createHttpAdapter, parseHttpConfig, secretsOf } from '../../src/gateways/http/http.ts';
import { valueAt } from '../../src/lib/json-path.ts';
import { GATEWAY_TYPES, createAdapters, parseGatewayConfig } from '../../src/gateways/registry.ts';
import { closeServer, closedPort, listen } from '../support/net.ts';

// ---------------------------------------------------------------------------------------------
// An aggregator on 127.0.0.1 that records each request and answers what the case says.

interface Received {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

interface Reply {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (the adapter must time out). */
  hang?: boolean;
}

let server: Server;
let base = '';
let received: Received[] = [];
let nextReply: Reply = { status: 200 };

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      received.push({
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body,
      });
      if (nextReply.hang) return;
      res.writeHead(nextReply.status, nextReply.headers ?? {}).end(nextReply.body ?? '');
    });
  });
  base = await listen(server);
});

after(() => closeServer(server));

const API_KEY = 'sk_live_Zx9+/q w&';
const HEADER_TOKEN = 'hdr-T0ken-771';
const URL_PASSWORD = 'url-pa55';
const SECRETS = [API_KEY, encodeURIComponent(API_KEY), HEADER_TOKEN, URL_PASSWORD];

function gateway(config: Record<string, unknown>): GatewayRecord {
  return {
    id: 'gw-http',
    name: 'aggregator',
    owner: 'p1',
    type: 'http',
    config,
    isDefault: true,
    prefixes: [],
    sharedWith: [],
    rateLimitPerMinute: null,
    maxAttempts: 3,
    retryMinutes: 5,
    optOutKeywords: null,
    optInKeywords: null,
    inboundSecret: null,
  };
}

const sms: OutboundSms = {
  messageId: 42,
  idempotencyKey: '7d4f6a3e-1111-4222-8333-944445555666',
  to: '254712345678',
  text: 'Rappel: vaccination ✓ & more',
};

/** The usual aggregator: POST form with an API key among the params. */
function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    url: `${base}/send`,
    params: { to: '{to}', message: '{text}', sender: '{from}', ref: '{message_id}', api_key: API_KEY },
    from: 'CLINIC',
    secret_params: ['api_key'],
    timeout_ms: 2000,
    ...overrides,
  };
}

const FORM_FIELDS = { to: '254712345678', message: sms.text, sender: 'CLINIC', ref: '42', api_key: API_KEY };

interface Case {
  label: string;
  /** Built when the case runs, once the server has its port. */
  config?: () => Record<string, unknown>;
  /** Send to a port with nothing listening. */
  refused?: boolean;
  reply: Reply;
  expect: Partial<Record<'kind' | 'detail' | 'providerMessageId' | 'retryAfterMs' | 'statusCode', unknown>>;
  /** What the aggregator must have received (absent for refused). */
  request?: Partial<Received> & { form?: Record<string, string>; json?: unknown };
}

const cases: Case[] = [
  {
    label: '200 with an id at message_id_path is accepted',
    config: () => config({ message_id_path: 'data.id' }),
    reply: {
      status: 200,
      body: '{"data":{"id":"agg-991"}}',
      headers: { 'content-type': 'application/json' },
    },
    expect: { kind: 'accepted', providerMessageId: 'agg-991', statusCode: 200 },
    request: { method: 'POST', path: '/send', form: FORM_FIELDS },
  },
  {
    label: 'an id inside an array',
    config: () => config({ message_id_path: 'messages[0].id' }),
    reply: { status: 201, body: '{"messages":[{"id":12345}]}' },
    expect: { kind: 'accepted', providerMessageId: '12345' },
  },
  {
    label: 'message_id_path missing from the body: still accepted, no id',
    config: () => config({ message_id_path: 'data.id' }),
    reply: { status: 200, body: '{"ok":true}' },
    expect: { kind: 'accepted', providerMessageId: null },
  },
  {
    label: 'message_id_path on a body that is not JSON: still accepted, no id',
    config: () => config({ message_id_path: 'id' }),
    reply: { status: 200, body: 'OK 1 sent' },
    expect: { kind: 'accepted', providerMessageId: null },
  },
  {
    label: 'GET puts the params in the query string',
    config: () => config({ method: 'GET', url: `${base}/cgi-bin/sendsms?smsc=main` }),
    reply: { status: 202, body: '0: Accepted for delivery' },
    expect: { kind: 'accepted', providerMessageId: null },
    request: { method: 'GET', path: '/cgi-bin/sendsms', query: { smsc: 'main', ...FORM_FIELDS }, body: '' },
  },
  {
    label: 'body_format json sends a JSON object',
    config: () =>
      config({
        body_format: 'json',
        params: { to: '{to}', text: '{text}', key: '{idempotency_key}' },
        secret_params: [],
      }),
    reply: { status: 200, body: '{}' },
    expect: { kind: 'accepted' },
    request: { method: 'POST', json: { to: '254712345678', text: sms.text, key: sms.idempotencyKey } },
  },
  {
    label: 'a 200 without success_body_contains is rejected with the body',
    config: () => config({ success_body_contains: '"status":"OK"' }),
    reply: { status: 200, body: '{"status":"ERROR","reason":"insufficient credit"}' },
    expect: { kind: 'rejected', detail: /without '"status":"OK"'.*insufficient credit/, statusCode: 200 },
  },
  {
    label: 'a 200 with success_body_contains is accepted',
    config: () => config({ success_body_contains: '"status":"OK"' }),
    reply: { status: 200, body: '{"status":"OK"}' },
    expect: { kind: 'accepted' },
  },
  {
    label: 'a 2xx outside success_statuses is rejected',
    config: () => config({ success_statuses: [202] }),
    reply: { status: 200, body: 'queued' },
    expect: { kind: 'rejected', detail: /HTTP 200 is not a success status/ },
  },
  {
    label: '400 is rejected with the gateway text',
    reply: { status: 400, body: 'Invalid destination number' },
    expect: { kind: 'rejected', detail: 'HTTP 400: Invalid destination number', statusCode: 400 },
  },
  {
    label: '401 echoing the API key is rejected and the key is redacted',
    reply: { status: 401, body: `unknown api_key=${API_KEY}` },
    expect: { kind: 'rejected', detail: 'HTTP 401: unknown api_key=***' },
  },
  {
    label: '503 is temporary',
    reply: { status: 503, body: 'maintenance' },
    expect: { kind: 'temporary', detail: 'HTTP 503: maintenance', statusCode: 503 },
  },
  {
    label: '429 is throttled with Retry-After',
    reply: { status: 429, body: 'slow down', headers: { 'Retry-After': '90' } },
    expect: { kind: 'throttled', retryAfterMs: 90_000, statusCode: 429 },
  },
  {
    label: 'a gateway that never answers times out',
    config: () => config({ timeout_ms: 150 }),
    reply: { status: 200, hang: true },
    expect: { kind: 'temporary', detail: 'timed out after 150 ms' },
  },
  {
    label: 'connection refused is temporary',
    refused: true,
    reply: { status: 200 },
    expect: { kind: 'temporary', detail: /^connection refused/ },
  },
  {
    label: 'credentials in the URL become basic auth, and a secret header is sent',
    config: () =>
      config({
        url: `${base.replace('//', `//acme:${URL_PASSWORD}@`)}/send`,
        headers: { 'X-Api-Token': HEADER_TOKEN },
        secret_params: ['api_key', 'X-Api-Token'],
      }),
    reply: { status: 500, body: `token ${HEADER_TOKEN} rejected for acme:${URL_PASSWORD}` },
    expect: { kind: 'temporary', detail: 'HTTP 500: token *** rejected for acme:***' },
    request: {
      headers: {
        authorization: `Basic ${Buffer.from(`acme:${URL_PASSWORD}`).toString('base64')}`,
        'x-api-token': HEADER_TOKEN,
      },
    },
  },
  {
    label: 'a stored config that no longer validates is rejected without a request',
    config: () => ({ url: 'ftp://nowhere' }),
    refused: true,
    reply: { status: 200 },
    expect: {
      kind: 'rejected',
      detail: "the gateway's configuration is invalid: config.url: must be an http:// or https:// URL",
    },
  },
];

for (const c of cases) {
  test(`http: ${c.label}`, async () => {
    received = [];
    nextReply = c.reply;
    let cfg = c.config?.() ?? config();
    if (c.refused && typeof cfg.url === 'string' && cfg.url.startsWith('http'))
      cfg = { ...cfg, url: `http://127.0.0.1:${await closedPort()}/send` };
    const outcome: SendOutcome = await createHttpAdapter().send(gateway(cfg), sms);

    for (const [key, value] of Object.entries(c.expect)) {
      const actual = (outcome as Record<string, unknown>)[key];
      if (value instanceof RegExp) assert.match(String(actual), value, key);
      else assert.deepEqual(actual, value, key);
    }
    const stored = JSON.stringify(outcome);
    for (const secret of SECRETS) assert.ok(!stored.includes(secret), `secret ${secret} leaked: ${stored}`);

    if (c.refused) {
      assert.equal(received.length, 0, 'nothing reached the server');
      return;
    }
    assert.equal(received.length, 1, 'exactly one request');
    const got = received[0]!;
    assert.equal(got.headers['idempotency-key'], sms.idempotencyKey);
    const want: NonNullable<Case['request']> = c.request ?? {
      method: 'POST',
      path: '/send',
      form: FORM_FIELDS,
    };
    if (want.method) assert.equal(got.method, want.method);
    if (want.path) assert.equal(got.path, want.path);
    if (want.query) assert.deepEqual(got.query, want.query);
    if (want.body !== undefined) assert.equal(got.body, want.body);
    if (want.form) {
      assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
      assert.deepEqual(Object.fromEntries(new URLSearchParams(got.body)), want.form);
    }
    if (want.json) {
      assert.equal(got.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(got.body), want.json);
    }
    for (const [name, value] of Object.entries(want.headers ?? {}))
      assert.equal(got.headers[name], value, name);
    if (outcome.trace?.request)
      assert.match(outcome.trace.request, /^(GET|POST) http:\/\/127\.0\.0\.1:\d+\/\S* ?\n/);
  });
}

test('http: the trace shows the request with the secret params replaced', async () => {
  nextReply = { status: 200, body: 'OK' };
  const outcome = await createHttpAdapter().send(gateway(config()), sms);
  assert.equal(outcome.kind, 'accepted');
  const request = outcome.trace?.request ?? '';
  assert.match(request, /^POST http:\/\/127\.0\.0\.1:\d+\/send\n/);
  assert.match(request, /Idempotency-Key: 7d4f6a3e/);
  assert.match(request, /api_key=\*\*\*/);
  assert.match(request, /to=254712345678/);
  assert.equal(outcome.trace?.response, 'HTTP 200\n\nOK');
});

test('http: Retry-After as an HTTP date uses the injected clock', async () => {
  nextReply = { status: 429, headers: { 'Retry-After': 'Mon, 02 Mar 2026 10:05:00 GMT' } };
  const clock = { now: () => Date.parse('2026-03-02T10:00:00Z') };
  const outcome = await createHttpAdapter({ clock }).send(gateway(config()), sms);
  assert.deepEqual(
    [outcome.kind, 'retryAfterMs' in outcome ? outcome.retryAfterMs : null],
    ['throttled', 300_000],
  );
});

// ---------------------------------------------------------------------------------------------
// Configuration

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.describe();
  }
  assert.fail('expected an InputError');
}

test('parseHttpConfig fills the defaults', () => {
  const settings = parseHttpConfig({ url: 'https://sms.example/api' });
  assert.deepEqual(settings, {
    url: 'https://sms.example/api',
    method: 'POST',
    params: {},
    body_format: 'form',
    headers: {},
    timeout_ms: 10_000,
    secret_params: [],
  });
});

test('parseHttpConfig names the faulty field', () => {
  const cases: [unknown, string][] = [
    [{}, 'config.url: is required'],
    [{ url: 'sms.example' }, 'config.url: must be an http:// or https:// URL'],
    [{ url: 'https://x', method: 'PUT' }, "config.method: must be 'GET' or 'POST'"],
    [{ url: 'https://x', body_format: 'xml' }, "config.body_format: must be 'form' or 'json'"],
    [{ url: 'https://x', params: { to: 5 } }, 'config.params.to: must be a string'],
    [
      { url: 'https://x', params: { to: '{number}' } },
      'config.params.to: unknown placeholder {number}; use {to}, {text}, {from}, {message_id}, {idempotency_key}, {coding}, {charset}, {status_url}',
    ],
    [
      { url: 'https://x', params: { src: '{from}' } },
      'config.params.src: uses {from} but config.from is not set',
    ],
    [
      { url: 'https://x', success_statuses: [200, 700] },
      'config.success_statuses[1]: must be between 100 and 599',
    ],
    [
      { url: 'https://x', message_id_path: 'data..id' },
      'config.message_id_path: must be a path such as data.id or messages[0].id',
    ],
    [{ url: 'https://x', timeout_ms: 0 }, 'config.timeout_ms: must be between 1 and 300000'],
    [
      { url: 'https://x', params: { key: 'k' }, secret_params: ['token'] },
      "config.secret_params[0]: names no parameter or header 'token'",
    ],
    [{ url: 'https://x', colour: 'blue' }, "config: unknown field 'colour'"],
  ];
  for (const [value, expected] of cases)
    assert.equal(
      problem(() => parseHttpConfig(value)),
      expected,
      JSON.stringify(value),
    );
});

test('secretsOf lists secret params, secret headers (any case) and the URL password', () => {
  const settings = parseHttpConfig({
    url: 'https://bob:p%40ss@sms.example/',
    params: { key: 'k1', to: '{to}' },
    headers: { 'X-Token': 't1', Accept: 'json' },
    secret_params: ['key', 'x-token'],
  });
  assert.deepEqual(secretsOf(settings), ['k1', 't1', 'p%40ss', 'p@ss']);
});

test('valueAt follows dotted paths and indexes', () => {
  const body = { data: { id: 'a' }, messages: [{ id: 1 }, { id: 2 }] };
  assert.equal(valueAt(body, 'data.id'), 'a');
  assert.equal(valueAt(body, 'messages[1].id'), 2);
  assert.equal(valueAt(body, 'messages[5].id'), undefined);
  assert.equal(valueAt(body, 'data[0]'), undefined);
  assert.equal(valueAt(body, 'toString'), undefined, 'no inherited properties');
});

test('registry: one adapter per type, and configs validated by type', () => {
  assert.deepEqual(
    [...GATEWAY_TYPES],
    ['test', 'http', 'twilio', 'kannel', 'africastalking', 'infobip', 'telerivet', 'smpp'],
  );
  const testAdapter = {
    send: async (): Promise<SendOutcome> => ({ kind: 'accepted', providerMessageId: null }),
  };
  const adapters = createAdapters({ test: testAdapter, publicUrl: 'https://caseline.example' });
  assert.equal(adapters('test'), testAdapter);
  assert.ok(adapters('http'));
  assert.ok(adapters('twilio'));
  assert.ok(adapters('smpp'));
  assert.equal(adapters('carrier_pigeon'), null);
  assert.equal(createAdapters({ publicUrl: 'https://caseline.example' })('test'), null);

  assert.deepEqual(parseGatewayConfig('test', undefined), {});
  assert.deepEqual(parseGatewayConfig('test', {}), {});
  assert.equal(
    problem(() => parseGatewayConfig('test', { url: 'x' })),
    "config: unknown field 'url'",
  );
  assert.equal(
    problem(() => parseGatewayConfig('http', { url: 1 })),
    'config.url: must be an http:// or https:// URL',
  );
  assert.equal(
    problem(() => parseGatewayConfig('twilio', { account_sid: 'AC1', auth_token: 't', from: '+1' })),
    'config.account_sid: must be a Twilio account SID: AC and 32 hex digits',
  );
  assert.equal(
    problem(() => parseGatewayConfig('carrier_pigeon', {})),
    "type: must be 'test', 'http', 'twilio', 'kannel', 'africastalking', 'infobip', 'telerivet' or 'smpp'",
  );
  assert.equal(parseGatewayConfig('http', { url: 'https://x' }).method, 'POST');
});
