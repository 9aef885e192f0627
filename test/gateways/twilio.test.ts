import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { GatewayRecord } from '../../src/app/ports/records.ts';
import type { OutboundSms, SendOutcome } from '../../src/app/ports/gateway.ts';
import { InputError } from '../../src/lib/input.ts';
import { createAdapters } from '../../src/gateways/registry.ts';
import {
  createTwilioAdapter,
  parseTwilioConfig,
  parseTwilioInbound,
  parseTwilioStatus,
  secretsOf,
  twilioSignature,
  verifyTwilioSignature,
} from '../../src/gateways/twilio/twilio.ts';
import { closeServer, closedPort, listen } from '../support/net.ts';

// ---------------------------------------------------------------------------------------------
// A Twilio Messages API on 127.0.0.1: it checks the account path and basic auth as Twilio does,
// then answers what the case says.

const SID = 'AC0123456789abcdef0123456789abcdef';
const TOKEN = 'f00dfacecafe0123456789abcdef7777';
const SERVICE = 'MG0123456789abcdef0123456789abcdef';
const MESSAGE_SID = 'SM9f0b3c1b2a8e4d6f8a1c2e3d4b5a6978';

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  form: Record<string, string>;
}

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  hang?: boolean;
}

let server: Server;
let base = '';
let received: Received[] = [];
let nextReply: Reply = { status: 201 };

function twilioError(status: number, code: number, message: string): Reply {
  return { status, body: { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status } };
}

function messageResource(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_sid: SID,
    api_version: '2010-04-01',
    body: 'hello',
    date_created: 'Mon, 02 Mar 2026 10:00:00 +0000',
    direction: 'outbound-api',
    error_code: null,
    error_message: null,
    from: '+15005550006',
    messaging_service_sid: null,
    num_segments: '1',
    price: null,
    sid: MESSAGE_SID,
    status: 'queued',
    to: '+254712345678',
    uri: `/2010-04-01/Accounts/${SID}/Messages/${MESSAGE_SID}.json`,
    ...overrides,
  };
}

before(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      const path = new URL(req.url ?? '/', 'http://localhost').pathname;
      received.push({
        method: req.method ?? '',
        path,
        headers: req.headers,
        form: Object.fromEntries(new URLSearchParams(body)),
      });
      const send = (reply: Reply) => {
        const json =
          reply.body === undefined
            ? ''
            : typeof reply.body === 'string'
              ? reply.body
              : JSON.stringify(reply.body);
        res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers }).end(json);
      };
      if (req.method !== 'POST' || path !== `/2010-04-01/Accounts/${SID}/Messages.json`) {
        return send(twilioError(404, 20404, `The requested resource ${path} was not found`));
      }
      if (req.headers.authorization !== `Basic ${Buffer.from(`${SID}:${TOKEN}`).toString('base64')}`) {
        return send(twilioError(401, 20003, 'Authenticate'));
      }
      if (nextReply.hang) return;
      send(nextReply);
    });
  });
  base = await listen(server);
});

after(() => closeServer(server));

function gateway(config: Record<string, unknown>): GatewayRecord {
  return {
    id: 'gw-twilio',
    name: 'twilio',
    owner: null,
    type: 'twilio',
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

function config(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    account_sid: SID,
    auth_token: TOKEN,
    from: '+15005550006',
    base_url: base,
    timeout_ms: 2000,
    ...overrides,
  };
}

const sms: OutboundSms = {
  messageId: 7,
  idempotencyKey: '0b1c2d3e-aaaa-4bbb-8ccc-dddddddddddd',
  to: '254712345678',
  text: 'Rappel: vaccination ✓',
};
const CALLBACK = 'https://caseline.example/gateways/gw-twilio/twilio/status';
const adapter = createTwilioAdapter({
  statusCallbackUrl: (id) => `https://caseline.example/gateways/${id}/twilio/status`,
});
const EXPECTED_FORM = { To: '+254712345678', Body: sms.text, From: '+15005550006', StatusCallback: CALLBACK };

interface Case {
  label: string;
  config?: () => Record<string, unknown>;
  refused?: boolean;
  reply: Reply;
  expect: Partial<Record<'kind' | 'detail' | 'providerMessageId' | 'retryAfterMs' | 'statusCode', unknown>>;
  /** The form Twilio must have received; default EXPECTED_FORM. */
  form?: Record<string, string>;
}

const cases: Case[] = [
  {
    label: '201 with a sid is accepted',
    reply: { status: 201, body: messageResource() },
    expect: { kind: 'accepted', providerMessageId: MESSAGE_SID, statusCode: 201 },
  },
  {
    label: 'a Messaging Service replaces From',
    config: () => ({ account_sid: SID, auth_token: TOKEN, messaging_service_sid: SERVICE, base_url: base }),
    reply: { status: 201, body: messageResource({ messaging_service_sid: SERVICE }) },
    expect: { kind: 'accepted', providerMessageId: MESSAGE_SID },
    form: { To: '+254712345678', Body: sms.text, MessagingServiceSid: SERVICE, StatusCallback: CALLBACK },
  },
  {
    label: '200 with a sid is accepted too',
    reply: { status: 200, body: messageResource() },
    expect: { kind: 'accepted', providerMessageId: MESSAGE_SID },
  },
  {
    label: '21211 invalid To is invalid_destination',
    reply: twilioError(400, 21211, "The 'To' number +254712345678 is not a valid phone number."),
    expect: {
      kind: 'invalid_destination',
      detail: "Twilio 21211: The 'To' number +254712345678 is not a valid phone number.",
      statusCode: 400,
    },
  },
  {
    label: '21614 not a mobile number is invalid_destination',
    reply: twilioError(400, 21614, "'To' number is not a valid mobile number"),
    expect: { kind: 'invalid_destination', detail: /^Twilio 21614: / },
  },
  {
    label: '21408 region not enabled is a rejection (the account, not the number)',
    reply: twilioError(
      400,
      21408,
      "Permission to send an SMS has not been enabled for the region indicated by the 'To' number",
    ),
    expect: { kind: 'rejected', detail: /^Twilio 21408: Permission/ },
  },
  {
    label: '21610 unsubscribed recipient is opted_out (the number opts out here too)',
    reply: twilioError(400, 21610, 'Attempt to send to unsubscribed recipient'),
    expect: { kind: 'opted_out', detail: 'Twilio 21610: Attempt to send to unsubscribed recipient' },
  },
  {
    label: 'a wrong auth token gets 401 20003: rejected, check the credentials',
    config: () => config({ auth_token: 'wrong-token-0000' }),
    reply: { status: 201, body: messageResource() },
    expect: {
      kind: 'rejected',
      detail: "Twilio 20003: Authenticate (check the gateway's account_sid and auth_token)",
      statusCode: 401,
    },
  },
  {
    label: '429 20429 is throttled with Retry-After',
    reply: { ...twilioError(429, 20429, 'Too Many Requests'), headers: { 'Retry-After': '7' } },
    expect: {
      kind: 'throttled',
      retryAfterMs: 7000,
      detail: 'Twilio 20429: Too Many Requests',
      statusCode: 429,
    },
  },
  {
    label: '500 is temporary',
    reply: twilioError(500, 20500, 'Internal Server Error'),
    expect: { kind: 'temporary', detail: 'Twilio 20500: Internal Server Error', statusCode: 500 },
  },
  {
    label: '503 with an HTML page is temporary',
    reply: {
      status: 503,
      body: '<html>Service Unavailable</html>',
      headers: { 'content-type': 'text/html' },
    },
    expect: { kind: 'temporary', detail: 'HTTP 503: <html>Service Unavailable</html>' },
  },
  {
    label: 'a 200 body with an error code is rejected',
    reply: {
      status: 200,
      body: messageResource({ status: 'failed', error_code: 30007, error_message: 'Message filtered' }),
    },
    expect: { kind: 'rejected', detail: 'Twilio 30007: Message filtered', statusCode: 200 },
  },
  {
    label: 'a 201 without a sid is rejected',
    reply: { status: 201, body: messageResource({ sid: undefined }) },
    expect: { kind: 'rejected', detail: 'Twilio answered 201 without a message sid' },
  },
  {
    label: 'a 201 that is not JSON is rejected',
    reply: { status: 201, body: 'created' },
    expect: { kind: 'rejected', detail: /without a JSON message resource/ },
  },
  {
    label: 'Twilio never answers: timed out',
    config: () => config({ timeout_ms: 150 }),
    reply: { status: 201, hang: true },
    expect: { kind: 'temporary', detail: 'timed out after 150 ms' },
  },
  {
    label: 'connection refused is temporary',
    refused: true,
    reply: { status: 201 },
    expect: { kind: 'temporary', detail: /^connection refused/ },
  },
];

for (const c of cases) {
  test(`twilio: ${c.label}`, async () => {
    received = [];
    nextReply = c.reply;
    let cfg = c.config?.() ?? config();
    if (c.refused) cfg = { ...cfg, base_url: `http://127.0.0.1:${await closedPort()}` };
    const outcome: SendOutcome = await adapter.send(gateway(cfg), sms);

    for (const [key, value] of Object.entries(c.expect)) {
      const actual = (outcome as Record<string, unknown>)[key];
      if (value instanceof RegExp) assert.match(String(actual), value, key);
      else assert.deepEqual(actual, value, key);
    }
    const stored = JSON.stringify(outcome);
    const token = typeof cfg.auth_token === 'string' ? cfg.auth_token : TOKEN;
    assert.ok(!stored.includes(token), `the auth token leaked: ${stored}`);
    assert.ok(
      !stored.includes(Buffer.from(`${SID}:${token}`).toString('base64')),
      'the basic credentials leaked',
    );
    assert.ok(outcome.trace?.request?.includes('Authorization: ***'), 'the trace shows the header, hidden');

    if (c.refused) {
      assert.equal(received.length, 0);
      return;
    }
    assert.equal(received.length, 1, 'exactly one request');
    const got = received[0]!;
    assert.equal(got.method, 'POST');
    assert.equal(got.path, `/2010-04-01/Accounts/${SID}/Messages.json`);
    assert.equal(got.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(got.headers.authorization, `Basic ${Buffer.from(`${SID}:${token}`).toString('base64')}`);
    assert.deepEqual(got.form, c.form ?? EXPECTED_FORM);
  });
}

test('twilio: the registry points StatusCallback at the public URL', async () => {
  received = [];
  nextReply = { status: 201, body: messageResource() };
  const adapters = createAdapters({ publicUrl: 'https://sms.clinic.example/', allowPrivate: true });
  const outcome = await adapters('twilio')?.send(
    { ...gateway(config()), id: 'gw-7' },
    { ...sms, to: '+254 712 345 678' },
  );
  assert.equal(outcome?.kind, 'accepted');
  assert.equal(received[0]?.form.StatusCallback, 'https://sms.clinic.example/gateways/gw-7/twilio/status');
  assert.equal(received[0]?.form.To, '+254712345678');
});

test('twilio: no StatusCallback when there is no callback URL', async () => {
  received = [];
  nextReply = { status: 201, body: messageResource() };
  await createTwilioAdapter({ statusCallbackUrl: () => null }).send(gateway(config()), sms);
  assert.equal(received.length, 1);
  assert.equal(Object.hasOwn(received[0]!.form, 'StatusCallback'), false);
});

test('twilio: an invalid stored config is rejected without a request', async () => {
  received = [];
  const outcome = await adapter.send(gateway({ account_sid: SID, auth_token: TOKEN, base_url: base }), sms);
  assert.deepEqual(outcome, {
    kind: 'rejected',
    detail:
      "the gateway's configuration is invalid: config: must have exactly one of 'from' or 'messaging_service_sid'",
  });
  assert.equal(received.length, 0);
});

// ---------------------------------------------------------------------------------------------
// Configuration

function problem(value: unknown): string {
  try {
    parseTwilioConfig(value);
  } catch (error) {
    assert.ok(error instanceof InputError, String(error));
    return error.describe();
  }
  assert.fail('expected an InputError');
}

test('twilio config: exactly one sender, well-formed SIDs, secretsOf', () => {
  assert.equal(problem({ auth_token: TOKEN, from: '+1' }), 'config.account_sid: is required');
  assert.equal(
    problem({ account_sid: 'AC123', auth_token: TOKEN, from: '+1' }),
    'config.account_sid: must be a Twilio account SID: AC and 32 hex digits',
  );
  assert.equal(
    problem({ account_sid: SID, auth_token: TOKEN }),
    "config: must have exactly one of 'from' or 'messaging_service_sid'",
  );
  assert.equal(
    problem({ account_sid: SID, auth_token: TOKEN, from: '+1', messaging_service_sid: SERVICE }),
    "config: must have exactly one of 'from' or 'messaging_service_sid'",
  );
  assert.equal(
    problem({ account_sid: SID, auth_token: TOKEN, from: '+1', base_url: 'api.twilio.com' }),
    'config.base_url: must be an http:// or https:// URL',
  );
  assert.equal(
    problem({ account_sid: SID, auth_token: TOKEN, from: '+1', region: 'ie1' }),
    "config: unknown field 'region'",
  );
  const ok = parseTwilioConfig({ account_sid: SID, auth_token: TOKEN, messaging_service_sid: SERVICE });
  assert.deepEqual(secretsOf(ok), [TOKEN]);
});

// ---------------------------------------------------------------------------------------------
// Webhooks

// Twilio's documented example (https://www.twilio.com/docs/usage/security, and the
// RequestValidator tests of its SDKs): auth token 12345, this URL and these parameters.
const VECTOR = {
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: {
    CallSid: 'CA1234567890ABCDE',
    Caller: '+14158675309',
    Digits: '1234',
    From: '+14158675309',
    To: '+18005551212',
  },
  token: '12345',
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
};

test("twilioSignature reproduces Twilio's documented vector", () => {
  assert.equal(twilioSignature(VECTOR.url, VECTOR.params, VECTOR.token), VECTOR.signature);
  // Parameter order as given does not matter: names are sorted.
  const reversed = Object.fromEntries(Object.entries(VECTOR.params).reverse());
  assert.equal(twilioSignature(VECTOR.url, reversed, VECTOR.token), VECTOR.signature);
});

test('verifyTwilioSignature accepts the vector and fails on any changed byte', () => {
  const { url, params, token, signature } = VECTOR;
  assert.equal(verifyTwilioSignature(url, params, signature, token), true);
  assert.equal(verifyTwilioSignature(url.replace('foo=1', 'foo=2'), params, signature, token), false, 'URL');
  assert.equal(verifyTwilioSignature(`${url}&x=1`, params, signature, token), false, 'URL extended');
  assert.equal(
    verifyTwilioSignature(url, { ...params, Digits: '1235' }, signature, token),
    false,
    'parameter value',
  );
  assert.equal(
    verifyTwilioSignature(url, { ...params, Extra: '' }, signature, token),
    false,
    'extra parameter',
  );
  assert.equal(verifyTwilioSignature(url, params, `S${signature.slice(1)}`, token), false, 'signature');
  assert.equal(verifyTwilioSignature(url, params, signature.slice(0, -1), token), false, 'shorter signature');
  assert.equal(verifyTwilioSignature(url, params, '', token), false, 'empty signature');
  assert.equal(verifyTwilioSignature(url, params, signature, '12346'), false, 'token');
});

test('verifyTwilioSignature round-trips an inbound SMS to our webhook', () => {
  const url = 'https://caseline.example/gateways/gw-twilio/twilio/inbound';
  const params = {
    MessageSid: 'SM1',
    From: '+254712345678',
    To: '+15005550006',
    Body: 'STOP ✓',
    NumMedia: '0',
  };
  const signature = twilioSignature(url, params, TOKEN);
  assert.equal(verifyTwilioSignature(url, params, signature, TOKEN), true);
  assert.equal(verifyTwilioSignature(url, { ...params, Body: 'STOP ✗' }, signature, TOKEN), false);
});

test('parseTwilioInbound reads the form fields', () => {
  assert.deepEqual(
    parseTwilioInbound({
      MessageSid: 'SM1',
      SmsSid: 'SM1',
      From: '+254712345678',
      To: '+15005550006',
      Body: 'YES',
      AccountSid: SID,
    }),
    {
      from: '+254712345678',
      to: '+15005550006',
      text: 'YES',
      messageId: 'SM1',
    },
  );
  assert.equal(parseTwilioInbound({ MessageSid: 'SM2', From: '+1', To: '+2' }).text, '', 'an empty body');
  assert.throws(
    () => parseTwilioInbound({ MessageSid: 'SM1', To: '+2', Body: 'x' }),
    (error: unknown) => error instanceof InputError && error.field === 'From',
  );
  assert.throws(
    () => parseTwilioInbound({ From: '+1', To: '+2', Body: 'x' }),
    (error: unknown) => error instanceof InputError && error.field === 'MessageSid',
  );
});

test('parseTwilioStatus maps Twilio statuses to ours', () => {
  const cases: [Record<string, string>, unknown][] = [
    [
      { MessageSid: 'SM1', MessageStatus: 'delivered' },
      { messageId: 'SM1', status: 'delivered', errorCode: null, result: 'delivered' },
    ],
    [
      { MessageSid: 'SM1', MessageStatus: 'sent', ErrorCode: '' },
      { messageId: 'SM1', status: 'sent', errorCode: null, result: null },
    ],
    [
      { MessageSid: 'SM1', MessageStatus: 'undelivered', ErrorCode: '30007' },
      { messageId: 'SM1', status: 'undelivered', errorCode: '30007', result: 'error' },
    ],
    [
      { SmsSid: 'SM2', SmsStatus: 'failed', ErrorCode: '30008' },
      { messageId: 'SM2', status: 'failed', errorCode: '30008', result: 'error' },
    ],
    [
      { MessageSid: 'SM1', MessageStatus: 'queued' },
      { messageId: 'SM1', status: 'queued', errorCode: null, result: null },
    ],
  ];
  for (const [params, expected] of cases)
    assert.deepEqual(parseTwilioStatus(params), expected, JSON.stringify(params));
  assert.throws(
    () => parseTwilioStatus({ MessageSid: 'SM1', MessageStatus: 'exploded' }),
    /unknown status 'exploded'/,
  );
  assert.throws(
    () => parseTwilioStatus({ MessageStatus: 'sent' }),
    (error: unknown) => error instanceof InputError && error.field === 'MessageSid',
  );
});
