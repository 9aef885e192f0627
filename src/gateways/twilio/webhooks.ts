// Twilio's webhooks (SPEC 3.6): the request signature, the inbound message and the status
// callback. Signature: https://www.twilio.com/docs/usage/security#validating-requests
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { StatusReport, WebhookAnswer, WebhookRequest } from '../../app/ports/gateway-types.ts';
import { InputError } from '../../lib/input.ts';
import { WHATSAPP_PERMANENT } from './send.ts';
import type { TwilioConfig } from './config.ts';

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

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when `signature` is Twilio's for this request; compared in constant time. */
export function verifyTwilioSignature(
  url: string,
  params: Record<string, string>,
  signature: string,
  authToken: string,
): boolean {
  return same(twilioSignature(url, params, authToken), signature);
}

/** The URL as written and with its default port added or removed: Twilio's own helper accepts
 *  either, as a proxy in front of us may have changed it. */
function urlVariants(url: string): string[] {
  const variants = [url];
  try {
    const parsed = new URL(url);
    const port = parsed.protocol === 'https:' ? '443' : '80';
    const host = parsed.host;
    if (parsed.port === '') variants.push(url.replace(`//${host}`, `//${host}:${port}`));
    else if (parsed.port === port) variants.push(url.replace(`//${host}`, `//${parsed.hostname}`));
  } catch {
    // An unparsable URL is checked as written.
  }
  return variants;
}

/**
 * A webhook request signed by Twilio with this auth token: a form body's parameters in the
 * signature, or a JSON body through the URL's `bodySHA256` (the body's SHA-256, hex), which
 * the signature covers as part of the URL.
 */
export function isSignedByTwilio(request: WebhookRequest, authToken: string): boolean {
  const signature = request.headers['x-twilio-signature'] ?? '';
  let bodyHash: string | null;
  try {
    bodyHash = new URL(request.url).searchParams.get('bodySHA256');
  } catch {
    return false;
  }
  const params = bodyHash === null ? request.fields : {};
  const signed = urlVariants(request.url).some((url) =>
    verifyTwilioSignature(url, params, signature, authToken),
  );
  if (!signed) return false;
  return (
    bodyHash === null || same(createHash('sha256').update(request.rawBody, 'utf8').digest('hex'), bodyHash)
  );
}

export interface TwilioInbound {
  /** The sender as Twilio gives it (`+254712345678`, `whatsapp:+254712345678`). */
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
const TWILIO_STATUSES = [
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
] as const;
export type TwilioStatus = (typeof TWILIO_STATUSES)[number];

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
  if (!(TWILIO_STATUSES as readonly string[]).includes(status))
    throw new InputError('MessageStatus', `unknown status '${status}'`);
  const errorCode = params.ErrorCode === undefined || params.ErrorCode === '' ? null : params.ErrorCode;
  const result =
    status === 'delivered' || status === 'read'
      ? 'delivered'
      : status === 'failed' || status === 'undelivered'
        ? 'error'
        : null;
  return { messageId, status: status as TwilioStatus, errorCode, result };
}

/** A status callback as a report; a WhatsApp failure no retry fixes goes to the SMS fallback. */
export function twilioReport(params: Record<string, string>, config: TwilioConfig | null): StatusReport {
  const status = parseTwilioStatus(params);
  const detail = status.errorCode ? `Twilio ${status.errorCode} (${status.status})` : status.status;
  const fallback = config?.channel === 'whatsapp' ? config.sms_fallback : undefined;
  const reroute =
    fallback && status.result === 'error' && WHATSAPP_PERMANENT.has(Number(status.errorCode))
      ? fallback
      : null;
  return { providerMessageId: status.messageId, result: status.result, detail, reroute };
}

function required(params: Record<string, string>, name: string): string {
  const value = params[name];
  if (value === undefined || value === '') throw new InputError(name, 'is required');
  return value;
}

/** Twilio answers its webhooks with TwiML; an empty Response sends nothing back. */
export const EMPTY_TWIML: WebhookAnswer = {
  status: 200,
  contentType: 'text/xml',
  body: '<?xml version="1.0" encoding="UTF-8"?><Response/>',
};
