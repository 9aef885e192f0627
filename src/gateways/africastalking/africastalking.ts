// The `africastalking` gateway (SPEC 3.6): Africa's Talking's SMS API.
// Send: POST {base_url}/version1/messaging, form `username`, `to`, `message`, `from`, header
// `apiKey`; 201 with SMSMessageData.Recipients[0] {statusCode, status, messageId}.
// Callbacks (https://developers.africastalking.com/docs/sms/notifications): incoming messages
// post `from`, `to`, `text`, `id`, `date`, `linkId`; delivery reports post `id`, `status`,
// `failureReason`. Neither is signed: both carry the gateway's inbound secret in the address.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { SendOutcome } from '../../app/ports/gateway.ts';
import type { InboundSms, StatusReport, WebhookRequest } from '../../app/ports/gateway-types.ts';
import { parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';
import { smsGatewayType } from '../define.ts';
import { exchange } from '../http-outcome.ts';
import { DEFAULT_TIMEOUT_MS, HttpUrl, TimeoutMs, Word, jsonObject, withConfig } from '../provider.ts';
import { hasInboundSecret } from '../secret-webhooks.ts';
import { optionalValue, requiredValue } from '../webhook-fields.ts';

export const AFRICASTALKING_URL = 'https://api.africastalking.com';
/** Their sandbox, for trying an account out. */
export const AFRICASTALKING_SANDBOX_URL = 'https://api.sandbox.africastalking.com';

export const AfricasTalkingConfig = Strict({
  /** The application's username (`sandbox` on the sandbox). */
  username: Word,
  api_key: Word,
  /** A registered sender id or short code; absent: the account's default. */
  from: Type.Optional(Word),
  /** Default their production address; the sandbox address is allowed. */
  base_url: Type.Optional(HttpUrl({ default: AFRICASTALKING_URL })),
  timeout_ms: Type.Optional(TimeoutMs),
});
export type AfricasTalkingConfig = Static<typeof AfricasTalkingConfig>;

const parseConfig = (config: unknown): AfricasTalkingConfig =>
  parseInput(AfricasTalkingConfig, config, 'config');

/**
 * A recipient's statusCode (their docs): 100 processed, 101 sent, 102 queued are accepted;
 * 403 invalid number and 404 unsupported number type are the number's fault; 406 the user
 * blacklisted the sender (opted out); 500 and 501 their own failures, worth another try.
 */
function recipientOutcome(code: number): SendOutcome['kind'] {
  if (code >= 100 && code <= 102) return 'accepted';
  if (code === 403 || code === 404) return 'invalid_destination';
  if (code === 406) return 'opted_out';
  if (code === 500 || code === 501) return 'temporary';
  return 'rejected';
}

async function send(
  config: AfricasTalkingConfig,
  to: string,
  text: string,
  now: () => number,
): Promise<SendOutcome> {
  const base = (config.base_url ?? AFRICASTALKING_URL).replace(/\/+$/, '');
  const form = new URLSearchParams({
    username: config.username,
    to: `+${to.replace(/^\+/, '')}`,
    message: text,
  });
  if (config.from !== undefined) form.set('from', config.from);
  const outcome = await exchange(
    {
      method: 'POST',
      url: `${base}/version1/messaging`,
      headers: {
        apiKey: config.api_key,
        Accept: 'application/json',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: form.toString(),
    },
    config.timeout_ms ?? DEFAULT_TIMEOUT_MS,
    {
      secrets: [config.api_key],
      readSuccess: (response) => {
        const data = jsonObject(response.body)?.SMSMessageData as
          { Recipients?: unknown; Message?: unknown } | undefined;
        const first = Array.isArray(data?.Recipients)
          ? (data.Recipients[0] as Record<string, unknown>)
          : undefined;
        if (!first)
          return {
            failure: `Africa's Talking sent to no recipient: ${String(data?.Message ?? response.body)}`,
          };
        const code = Number(first.statusCode);
        if (recipientOutcome(code) !== 'accepted')
          return { failure: `Africa's Talking ${code}: ${String(first.status ?? '')}` };
        return { providerMessageId: typeof first.messageId === 'string' ? first.messageId : null };
      },
      now,
    },
  );
  // A recipient refused in a 201 is read as a rejection above; its code says which kind.
  if (outcome.kind === 'rejected') {
    const code = Number(/^Africa's Talking (\d+):/.exec(outcome.detail)?.[1]);
    const kind = recipientOutcome(code);
    if (kind !== 'accepted' && kind !== 'rejected') return { ...outcome, kind };
  }
  return outcome;
}

function inbound(request: WebhookRequest): InboundSms[] {
  const id = optionalValue(request, 'id');
  return [
    {
      from: requiredValue(request, 'from'),
      text: optionalValue(request, 'text') ?? '',
      ...(id !== undefined ? { providerMessageId: id } : {}),
    },
  ];
}

/** Delivery-report statuses: Success is delivered; Failed, Rejected, Expired, AbsentSubscriber
 *  are final failures; Sent, Submitted, Buffered are on the way. */
const FINAL: Record<string, 'delivered' | 'error'> = {
  Success: 'delivered',
  Failed: 'error',
  Rejected: 'error',
  Expired: 'error',
  AbsentSubscriber: 'error',
};

function status(request: WebhookRequest): StatusReport[] {
  const value = requiredValue(request, 'status');
  const reason = optionalValue(request, 'failureReason');
  return [
    {
      providerMessageId: requiredValue(request, 'id'),
      result: FINAL[value] ?? null,
      detail: reason ? `${value}: ${reason}` : value,
    },
  ];
}

export const africasTalkingType = smsGatewayType<AfricasTalkingConfig>({
  name: 'africastalking',
  label: "Africa's Talking",
  config: AfricasTalkingConfig,
  secretFields: ['api_key'],
  parseConfig,
  createAdapter: ({ clock }) => ({
    send: (gateway, sms) =>
      withConfig(gateway, parseConfig, (config) => send(config, sms.to, sms.text, () => clock.now())),
  }),
  webhooks: { authenticate: hasInboundSecret, inbound, status },
});
