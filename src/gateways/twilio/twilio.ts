// The `twilio` gateway (SPEC 3.6): Twilio's Programmable Messaging REST API, its inbound
// webhook, its status callback and its request signature.
// API: https://www.twilio.com/docs/messaging/api/message-resource
// Errors: https://www.twilio.com/docs/api/errors
// Signature: https://www.twilio.com/docs/usage/security#validating-requests
import { createHmac, timingSafeEqual } from 'node:crypto';
import Type from 'typebox';
import type { Static } from 'typebox';
import type { Clock } from '../../app/ports/clock.ts';
import type { GatewayAdapter, OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import type { WebhookAnswer } from '../../app/ports/gateway-types.ts';
import { Strict, exactlyOneOf } from '../../lib/schema.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { systemClock } from '../../clock.ts';
import { exchange } from '../http-outcome.ts';
import { smsGatewayType } from '../define.ts';
import type { FailureReading, HttpResponse, SuccessReading } from '../http-outcome.ts';

export const DEFAULT_TWILIO_BASE_URL = 'https://api.twilio.com';
/** Default time Twilio has to answer, in ms. */
export const DEFAULT_TWILIO_TIMEOUT_MS = 10_000;

/** A gateway's `config` for type `twilio`: exactly one of `from` and `messaging_service_sid`. */
export const TwilioConfig = Strict(
  {
    account_sid: Type.String({
      pattern: '^AC[0-9a-fA-F]{32}$',
      errorMessage: 'must be a Twilio account SID: AC and 32 hex digits',
    }),
    auth_token: Type.String({ minLength: 1, maxLength: 200 }),
    /** The sending number (+E.164), short code or alphanumeric sender id. */
    from: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    /** A Messaging Service that picks the sender. */
    messaging_service_sid: Type.Optional(
      Type.String({
        pattern: '^MG[0-9a-fA-F]{32}$',
        errorMessage: 'must be a Messaging Service SID: MG and 32 hex digits',
      }),
    ),
    /** Default https://api.twilio.com (another only for tests or a regional edge). */
    base_url: Type.Optional(
      Type.String({
        pattern: '^https?://[^\\s/]+(/[^\\s]*)?$',
        maxLength: 2000,
        errorMessage: 'must be an http:// or https:// URL',
        default: DEFAULT_TWILIO_BASE_URL,
      }),
    ),
    /** Time Twilio has to answer, in ms; default 10000. */
    timeout_ms: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 300_000, default: DEFAULT_TWILIO_TIMEOUT_MS }),
    ),
  },
  exactlyOneOf('from', 'messaging_service_sid'),
);
export type TwilioConfig = Static<typeof TwilioConfig>;

/** Checks a gateway's `config` for type `twilio`; throws an InputError naming the field. */
export function parseTwilioConfig(config: unknown): TwilioConfig {
  return parseInput(TwilioConfig, config, 'config');
}

export function secretsOf(config: TwilioConfig): string[] {
  return [config.auth_token];
}

/**
 * Error codes meaning the number itself cannot be reached: 21211 invalid 'To', 21217 not a
 * valid phone number, 21401 invalid phone number, 21408 region not enabled for the account,
 * 21612 'To' not reachable from this 'From', 21614 'To' is not a mobile number.
 */
const INVALID_DESTINATION_CODES = new Set([21211, 21217, 21401, 21408, 21612, 21614]);

export function createTwilioAdapter(options: {
  statusCallbackUrl(gatewayId: string): string | null;
  clock?: Clock;
}): GatewayAdapter {
  const clock = options.clock ?? systemClock;
  return {
    async send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome> {
      let config: TwilioConfig;
      try {
        config = parseTwilioConfig(gateway.config);
      } catch (error) {
        if (error instanceof InputError)
          return { kind: 'rejected', detail: `the gateway's configuration is invalid: ${error.describe()}` };
        throw error;
      }
      const base = (config.base_url ?? DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, '');
      const form = new URLSearchParams({ To: `+${sms.to.replace(/\D/g, '')}`, Body: sms.text });
      if (config.messaging_service_sid !== undefined)
        form.set('MessagingServiceSid', config.messaging_service_sid);
      else if (config.from !== undefined) form.set('From', config.from);
      const callback = options.statusCallbackUrl(gateway.id);
      if (callback !== null) form.set('StatusCallback', callback);
      // The Messages API takes no idempotency key: a retry after a lost answer may send twice
      // (SPEC 3.3 allows it for messages in flight).
      const credentials = Buffer.from(`${config.account_sid}:${config.auth_token}`).toString('base64');
      const request = {
        method: 'POST' as const,
        url: `${base}/2010-04-01/Accounts/${config.account_sid}/Messages.json`,
        headers: {
          Authorization: `Basic ${credentials}`,
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        body: form.toString(),
      };
      return exchange(request, config.timeout_ms ?? DEFAULT_TWILIO_TIMEOUT_MS, {
        secrets: [...secretsOf(config), credentials],
        successStatuses: [200, 201],
        readSuccess,
        readFailure,
        now: () => clock.now(),
      });
    },
  };
}

interface TwilioBody {
  sid?: unknown;
  status?: unknown;
  code?: unknown;
  message?: unknown;
  error_code?: unknown;
  error_message?: unknown;
}

function parseBody(body: string): TwilioBody | null {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)
      ? (parsed as TwilioBody)
      : null;
  } catch {
    return null;
  }
}

/** A message resource: its `sid`, unless the body says the message already failed. */
function readSuccess(response: HttpResponse): SuccessReading {
  const body = parseBody(response.body);
  if (body === null) return { failure: `Twilio answered ${response.status} without a JSON message resource` };
  if (body.error_code !== null && body.error_code !== undefined) {
    return { failure: twilioDetail(body.error_code, body.error_message) };
  }
  if (body.status === 'failed' || body.status === 'undelivered')
    return { failure: `Twilio reports the message ${body.status}` };
  // A success without a sid would leave a message we cannot follow: treat it as not sent.
  if (typeof body.sid !== 'string' || body.sid === '')
    return { failure: `Twilio answered ${response.status} without a message sid` };
  return { providerMessageId: body.sid };
}

/** Twilio's error body `{code, message, more_info, status}` in words, and whether the number is at fault. */
function readFailure(response: HttpResponse): FailureReading | null {
  const body = parseBody(response.body);
  if (body === null || (body.code === undefined && body.message === undefined)) return null;
  const code = typeof body.code === 'number' ? body.code : Number(body.code);
  let detail = twilioDetail(body.code, body.message);
  if (response.status === 401 || code === 20003)
    detail += " (check the gateway's account_sid and auth_token)";
  return { detail, invalidDestination: INVALID_DESTINATION_CODES.has(code) };
}

function twilioDetail(code: unknown, message: unknown): string {
  const words = typeof message === 'string' && message !== '' ? message : 'no message';
  return code === null || code === undefined ? `Twilio: ${words}` : `Twilio ${String(code)}: ${words}`;
}

// ---------------------------------------------------------------------------------------------
// Webhooks

/**
 * Twilio's X-Twilio-Signature: base64 of HMAC-SHA1, keyed with the auth token, over the full
 * URL Twilio called (query string included) followed by each POST parameter's name and value,
 * parameters sorted by name.
 */
export function twilioSignature(url: string, params: Record<string, string>, authToken: string): string {
  const names = Object.keys(params).sort();
  const data = url + names.map((name) => name + params[name]).join('');
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** True when `signature` is Twilio's for this request; compared in constant time. */
export function verifyTwilioSignature(
  url: string,
  params: Record<string, string>,
  signature: string,
  authToken: string,
): boolean {
  const expected = Buffer.from(twilioSignature(url, params, authToken));
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export interface TwilioInbound {
  /** The sender as Twilio gives it (`+254712345678`). */
  from: string;
  to: string;
  text: string;
  messageId: string;
}

/** An inbound SMS from Twilio's form fields; throws an InputError for a missing field. */
export function parseTwilioInbound(params: Record<string, string>): TwilioInbound {
  return {
    from: required(params, 'From'),
    to: required(params, 'To'),
    text: params.Body ?? '',
    messageId: params.MessageSid ?? params.SmsSid ?? required(params, 'MessageSid'),
  };
}

/** Twilio's MessageStatus values (https://www.twilio.com/docs/messaging/api/message-resource#message-status-values). */
export type TwilioStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'sending'
  | 'sent'
  | 'delivered'
  | 'undelivered'
  | 'failed'
  | 'receiving'
  | 'received'
  | 'read'
  | 'canceled'
  | 'partially_delivered';

const TWILIO_STATUSES: readonly string[] = [
  'accepted',
  'scheduled',
  'queued',
  'sending',
  'sent',
  'delivered',
  'undelivered',
  'failed',
  'receiving',
  'received',
  'read',
  'canceled',
  'partially_delivered',
];

export interface TwilioStatusReport {
  messageId: string;
  status: TwilioStatus;
  /** Twilio's error code for undelivered and failed messages (e.g. `30007`), else null. */
  errorCode: string | null;
  /** What the report means for our message: delivered, error, or nothing to change (null). */
  result: 'delivered' | 'error' | null;
}

/** A status callback from Twilio's form fields; throws an InputError for a missing or unknown field. */
export function parseTwilioStatus(params: Record<string, string>): TwilioStatusReport {
  const messageId = params.MessageSid ?? params.SmsSid ?? required(params, 'MessageSid');
  const status = params.MessageStatus ?? params.SmsStatus ?? required(params, 'MessageStatus');
  if (!TWILIO_STATUSES.includes(status)) throw new InputError('MessageStatus', `unknown status '${status}'`);
  const errorCode = params.ErrorCode === undefined || params.ErrorCode === '' ? null : params.ErrorCode;
  const result =
    status === 'delivered' || status === 'read'
      ? 'delivered'
      : status === 'failed' || status === 'undelivered'
        ? 'error'
        : null;
  return { messageId, status: status as TwilioStatus, errorCode, result };
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new InputError(name, 'is required');
  return value;
}

/** Twilio answers its webhooks with TwiML; an empty Response sends nothing back. */
const EMPTY_TWIML: WebhookAnswer = {
  status: 200,
  contentType: 'text/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
};

/** The `twilio` type: its Messages API, and webhooks signed with the auth token. */
export const twilioType = smsGatewayType<TwilioConfig>({
  name: 'twilio',
  label: 'Twilio',
  config: TwilioConfig,
  secretFields: ['auth_token'],
  parseConfig: parseTwilioConfig,
  secretsOf,
  createAdapter: ({ clock, publicUrl }) =>
    createTwilioAdapter({
      clock,
      // The alias path, which Twilio accounts configured before the generic one already call.
      statusCallbackUrl: (gatewayId) =>
        `${publicUrl}/gateways/${encodeURIComponent(gatewayId)}/twilio/status`,
    }),
  webhooks: {
    alias: 'twilio',
    authenticate(request, gateway) {
      let token: string;
      try {
        token = parseTwilioConfig(gateway.config).auth_token;
      } catch {
        return false;
      }
      const signature = request.headers['x-twilio-signature'] ?? '';
      return verifyTwilioSignature(request.url, request.fields, signature, token);
    },
    inbound(request) {
      const sms = parseTwilioInbound(request.fields);
      return { from: sms.from, text: sms.text, providerMessageId: sms.messageId };
    },
    status(request) {
      const status = parseTwilioStatus(request.fields);
      const detail = status.errorCode ? `Twilio ${status.errorCode} (${status.status})` : status.status;
      return { providerMessageId: status.messageId, result: status.result, detail };
    },
    inboundAnswer: EMPTY_TWIML,
    statusAnswer: EMPTY_TWIML,
  },
});
