// The `telerivet` gateway (SPEC 3.6): Telerivet's REST API (https://telerivet.com/api/rest).
// Send: POST {base_url}/v1/projects/{project_id}/messages/send, HTTP basic auth with the API
// key as the user, JSON `{to_number, content, phone_id, status_url, status_secret}`; the answer
// is the Message with its `id`. Webhooks (https://telerivet.com/api/webhook): incoming messages
// post `event=incoming_message`, `id`, `from_number`, `content` and `secret`; status
// notifications post `event=send_status`, `id`, `status`, `error_message` and the
// `status_secret` we sent as `secret`. Both are checked against `webhook_secret`.
import { timingSafeEqual } from 'node:crypto';
import Type from 'typebox';
import type { Static } from 'typebox';
import type { InboundSms, StatusReport, WebhookRequest } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';
import { smsGatewayType } from '../define.ts';
import { exchange, type HttpResponse } from '../http-outcome.ts';
import {
  DEFAULT_TIMEOUT_MS,
  HttpUrl,
  TimeoutMs,
  Word,
  configOrNull,
  jsonObject,
  withConfig,
} from '../provider.ts';
import { optionalValue, requiredValue, webhookValue } from '../webhook-fields.ts';

export const TELERIVET_URL = 'https://api.telerivet.com';

export const TelerivetConfig = Strict({
  project_id: Type.String({ pattern: '^[A-Za-z0-9]{1,64}$', errorMessage: 'must be a Telerivet project id' }),
  api_key: Word,
  /** The basic route's phone that sends. */
  phone_id: Type.String({ pattern: '^[A-Za-z0-9]{1,64}$', errorMessage: 'must be a Telerivet phone id' }),
  /** The secret Telerivet's webhooks carry (set on the webhook; sent as the status secret). */
  webhook_secret: Word,
  base_url: Type.Optional(HttpUrl({ default: TELERIVET_URL })),
  timeout_ms: Type.Optional(TimeoutMs),
});
export type TelerivetConfig = Static<typeof TelerivetConfig>;

const parseConfig = (config: unknown): TelerivetConfig => parseInput(TelerivetConfig, config, 'config');

function readSuccess(response: HttpResponse) {
  const body = jsonObject(response.body);
  if (typeof body?.id !== 'string')
    return { failure: `Telerivet answered ${response.status} without a message id` };
  if (body.status === 'failed' || body.status === 'not_delivered')
    return {
      failure: `Telerivet reports the message ${String(body.status)}: ${String(body.error_message ?? '')}`,
    };
  return { providerMessageId: body.id };
}

/** Telerivet's error body `{error: {code, message, param}}` in words. */
function readFailure(response: HttpResponse) {
  const error = jsonObject(response.body)?.error as Record<string, unknown> | undefined;
  if (!error) return null;
  const param = typeof error.param === 'string' ? ` (${error.param})` : '';
  return {
    detail: `Telerivet ${String(error.code ?? response.status)}: ${String(error.message ?? '')}${param}`,
    invalidDestination: error.param === 'to_number',
  };
}

function authenticate(request: WebhookRequest, gateway: GatewayRecord): boolean {
  const config = configOrNull(gateway, parseConfig);
  const given = Buffer.from(webhookValue(request, 'secret') ?? '');
  const expected = Buffer.from(config?.webhook_secret ?? '');
  return expected.length > 0 && given.length === expected.length && timingSafeEqual(given, expected);
}

/** Only incoming SMS enter the pipeline; other events (calls, USSD) are answered and dropped. */
function inbound(request: WebhookRequest): InboundSms[] {
  if (requiredValue(request, 'event') !== 'incoming_message') return [];
  if ((optionalValue(request, 'message_type') ?? 'sms') !== 'sms') return [];
  const id = optionalValue(request, 'id');
  return [
    {
      from: requiredValue(request, 'from_number'),
      text: optionalValue(request, 'content') ?? '',
      ...(id !== undefined ? { providerMessageId: id } : {}),
    },
  ];
}

/** Message statuses: delivered; failed, not_delivered and cancelled are final failures. */
const FINAL: Record<string, 'delivered' | 'error'> = {
  delivered: 'delivered',
  failed: 'error',
  not_delivered: 'error',
  cancelled: 'error',
};

function status(request: WebhookRequest): StatusReport[] {
  const value = requiredValue(request, 'status');
  const why = optionalValue(request, 'error_message');
  return [
    {
      providerMessageId: requiredValue(request, 'id'),
      result: FINAL[value] ?? null,
      detail: why ? `${value}: ${why}` : value,
    },
  ];
}

export const telerivetType = smsGatewayType<TelerivetConfig>({
  name: 'telerivet',
  label: 'Telerivet',
  config: TelerivetConfig,
  secretFields: ['api_key', 'webhook_secret'],
  parseConfig,
  createAdapter: ({ clock, statusUrl }) => ({
    send: (gateway, sms) =>
      withConfig(gateway, parseConfig, (config) => {
        const credentials = Buffer.from(`${config.api_key}:`).toString('base64');
        const base = (config.base_url ?? TELERIVET_URL).replace(/\/+$/, '');
        return exchange(
          {
            method: 'POST',
            url: `${base}/v1/projects/${config.project_id}/messages/send`,
            headers: {
              Authorization: `Basic ${credentials}`,
              'Content-Type': 'application/json',
              Accept: 'application/json',
            },
            body: JSON.stringify({
              to_number: `+${sms.to.replace(/^\+/, '')}`,
              content: sms.text,
              phone_id: config.phone_id,
              status_url: statusUrl(gateway.id),
              status_secret: config.webhook_secret,
            }),
          },
          config.timeout_ms ?? DEFAULT_TIMEOUT_MS,
          {
            secrets: [config.api_key, config.webhook_secret, credentials],
            readSuccess,
            readFailure,
            now: () => clock.now(),
          },
        );
      }),
  }),
  webhooks: { authenticate, inbound, status },
});
