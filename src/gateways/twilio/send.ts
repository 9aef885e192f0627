// Sending through Twilio's Programmable Messaging REST API (SPEC 3.6), SMS or WhatsApp.
// API: https://www.twilio.com/docs/messaging/api/message-resource
// Errors: https://www.twilio.com/docs/api/errors
// WhatsApp: https://www.twilio.com/docs/whatsapp/api (session window, Content templates)
import type { Clock } from '../../app/ports/clock.ts';
import type { GatewayAdapter, OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { InputError } from '../../lib/input.ts';
import { systemClock } from '../../clock.ts';
import { exchange } from '../http-outcome.ts';
import type { FailureReading, HttpResponse, SuccessReading } from '../http-outcome.ts';
import {
  DEFAULT_TWILIO_BASE_URL,
  DEFAULT_TWILIO_TIMEOUT_MS,
  parseTwilioConfig,
  secretsOf,
} from './config.ts';
import type { TwilioConfig } from './config.ts';

/** Codes that mean the number itself is not valid (INVALID_PHONE_NUMBER, SPEC 3.6): 21211
 *  invalid 'To', 21217 not a valid phone number, 21401 invalid phone number, 21614 'To' is not
 *  a mobile number. */
const INVALID_NUMBER_CODES = new Set([21211, 21217, 21401, 21614]);
/** 21610: the recipient replied STOP to this sender (opted out at Twilio). */
const UNSUBSCRIBED = 21610;
/**
 * WhatsApp failures that no retry on WhatsApp will fix, where an SMS may still reach the
 * number: 63003 not a WhatsApp user, 63016 free text outside the session, 63024 invalid
 * recipient, 63027/63028 template refused or its variables wrong, 63032 experiment
 * opt-out, 63049 Meta chose not to deliver.
 */
export const WHATSAPP_PERMANENT = new Set([63003, 63016, 63024, 63027, 63028, 63032, 63049]);
/** WhatsApp's customer-service window after the user's last message, in ms. */
export const SESSION_MS = 24 * 60 * 60 * 1000;

export interface TwilioAdapterOptions {
  statusCallbackUrl(gatewayId: string): string | null;
  clock?: Clock;
  /** When the number last wrote through the gateway (WhatsApp's session), or null. */
  lastInboundAt?(gatewayId: string, number: string): Promise<number | null>;
}

export function createTwilioAdapter(options: TwilioAdapterOptions): GatewayAdapter {
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
      const whatsapp = config.channel === 'whatsapp';
      const fallback = whatsapp ? config.sms_fallback : undefined;
      const address = (value: string) =>
        whatsapp && !value.startsWith('whatsapp:') ? `whatsapp:${value}` : value;
      const form = new URLSearchParams({ To: address(`+${sms.to.replace(/\D/g, '')}`) });
      if (whatsapp && !(await inSession(options, gateway.id, sms.to, clock.now()))) {
        if (config.content_sid === undefined) {
          return {
            kind: 'rejected',
            detail: "outside WhatsApp's 24-hour session and the gateway has no content_sid template",
            ...(fallback ? { reroute: fallback } : {}),
          };
        }
        form.set('ContentSid', config.content_sid);
        form.set('ContentVariables', JSON.stringify(contentVariables(config, sms)));
      } else {
        form.set('Body', sms.text);
      }
      if (config.messaging_service_sid !== undefined)
        form.set('MessagingServiceSid', config.messaging_service_sid);
      else if (config.from !== undefined) form.set('From', address(config.from));
      const callback = options.statusCallbackUrl(gateway.id);
      if (callback !== null) form.set('StatusCallback', callback);
      // The Messages API takes no idempotency key: a retry after a lost answer may send twice
      // (SPEC 3.3 allows it for messages in flight).
      const credentials = Buffer.from(`${config.account_sid}:${config.auth_token}`).toString('base64');
      const base = (config.base_url ?? DEFAULT_TWILIO_BASE_URL).replace(/\/+$/, '');
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
      const outcome = await exchange(request, config.timeout_ms ?? DEFAULT_TWILIO_TIMEOUT_MS, {
        secrets: [...secretsOf(config), credentials],
        successStatuses: [200, 201],
        readSuccess,
        readFailure,
        now: () => clock.now(),
      });
      // WhatsApp cannot reach this number: the SMS gateway takes it over (SPEC 3.6).
      if (
        fallback &&
        outcome.kind !== 'accepted' &&
        outcome.kind !== 'temporary' &&
        outcome.kind !== 'throttled'
      ) {
        const code = Number(/^Twilio (\d+)/.exec(outcome.detail)?.[1]);
        if (WHATSAPP_PERMANENT.has(code)) return { ...outcome, reroute: fallback };
      }
      return outcome;
    },
  };
}

async function inSession(options: TwilioAdapterOptions, gatewayId: string, to: string, now: number) {
  const last = (await options.lastInboundAt?.(gatewayId, to)) ?? null;
  return last !== null && now - last < SESSION_MS;
}

function contentVariables(config: TwilioConfig, sms: OutboundSms): Record<string, string> {
  const values: Record<string, string> = {
    text: sms.text,
    to: `+${sms.to}`,
    message_id: String(sms.messageId),
  };
  const templates = config.content_variables ?? { '1': '{text}' };
  return Object.fromEntries(
    Object.entries(templates).map(([name, template]) => [
      name,
      template.replace(/\{(text|to|message_id)\}/g, (_all, key: string) => values[key] ?? ''),
    ]),
  );
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

/** Twilio's error body `{code, message, more_info, status}` in words, and what it says of the number. */
function readFailure(response: HttpResponse): FailureReading | null {
  const body = parseBody(response.body);
  if (body === null || (body.code === undefined && body.message === undefined)) return null;
  const code = typeof body.code === 'number' ? body.code : Number(body.code);
  let detail = twilioDetail(body.code, body.message);
  if (response.status === 401 || code === 20003)
    detail += " (check the gateway's account_sid and auth_token)";
  return { detail, invalidDestination: INVALID_NUMBER_CODES.has(code), optedOut: code === UNSUBSCRIBED };
}

export function twilioDetail(code: unknown, message: unknown): string {
  const words = typeof message === 'string' && message !== '' ? message : 'no message';
  return code === null || code === undefined ? `Twilio: ${words}` : `Twilio ${String(code)}: ${words}`;
}
