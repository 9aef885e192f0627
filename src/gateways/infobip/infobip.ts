// The `infobip` gateway (SPEC 3.6): Infobip's SMS API (https://www.infobip.com/docs/api).
// Send: POST {base_url}/sms/2/text/advanced with `Authorization: App <api_key>` and JSON
// `{messages: [{destinations: [{to}], from, text, notifyUrl, notifyContentType}]}`; the answer's
// messages[0] has the messageId and a status whose group says whether it was taken.
// Delivery reports and inbound messages arrive as JSON `{results: [...]}`, several at once;
// neither is signed: both carry the gateway's inbound secret in the address.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { InboundSms, StatusReport, WebhookRequest } from '../../app/ports/gateway-types.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';
import { smsGatewayType } from '../define.ts';
import { exchange, type HttpResponse } from '../http-outcome.ts';
import {
  DEFAULT_TIMEOUT_MS,
  HttpUrl,
  TimeoutMs,
  Word,
  jsonObject,
  statusUrlWithSecret,
  withConfig,
} from '../provider.ts';
import { hasInboundSecret } from '../secret-webhooks.ts';

export const InfobipConfig = Strict({
  /** The account's own API address, e.g. https://xxxxx.api.infobip.com. */
  base_url: HttpUrl(),
  api_key: Word,
  /** The sender id or number. */
  from: Type.Optional(Word),
  timeout_ms: Type.Optional(TimeoutMs),
});
export type InfobipConfig = Static<typeof InfobipConfig>;

const parseConfig = (config: unknown): InfobipConfig => parseInput(InfobipConfig, config, 'config');

type Entry = Record<string, unknown>;
const entry = (value: unknown): Entry =>
  typeof value === 'object' && value !== null ? (value as Entry) : {};
const text = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;

/** Status groups: 1 PENDING and 3 DELIVERED mean taken; 2 UNDELIVERABLE, 4 EXPIRED, 5 REJECTED not. */
function readSuccess(response: HttpResponse) {
  const first = entry((jsonObject(response.body)?.messages as unknown[] | undefined)?.[0]);
  const group = entry(first.status).groupName;
  if (group !== 'PENDING' && group !== 'DELIVERED') {
    const status = entry(first.status);
    return {
      failure: `Infobip ${String(status.name ?? group ?? 'no status')}: ${String(status.description ?? response.body)}`,
    };
  }
  return { providerMessageId: text(first.messageId) ?? null };
}

/** Infobip's error body `{requestError: {serviceException: {messageId, text}}}` in words. */
function readFailure(response: HttpResponse) {
  const error = entry(entry(jsonObject(response.body)?.requestError).serviceException);
  if (error.text === undefined) return null;
  return { detail: `Infobip ${String(error.messageId ?? response.status)}: ${String(error.text)}` };
}

/** The `results` of a JSON webhook; an InputError when there are none. */
function results(request: WebhookRequest): Entry[] {
  const list = entry(request.json).results;
  if (!Array.isArray(list)) throw new InputError('results', 'is required (a list)');
  return list.map(entry);
}

function inbound(request: WebhookRequest): InboundSms[] {
  return results(request).map((r, i) => {
    const from = text(r.from);
    if (!from) throw new InputError(`results[${i}].from`, 'is required');
    const id = text(r.messageId);
    return { from, text: text(r.text) ?? text(r.cleanText) ?? '', ...(id ? { providerMessageId: id } : {}) };
  });
}

const FINAL: Record<string, 'delivered' | 'error'> = {
  DELIVERED: 'delivered',
  UNDELIVERABLE: 'error',
  EXPIRED: 'error',
  REJECTED: 'error',
};

function status(request: WebhookRequest): StatusReport[] {
  return results(request).map((r, i) => {
    const id = text(r.messageId);
    if (!id) throw new InputError(`results[${i}].messageId`, 'is required');
    const state = entry(r.status);
    const group = text(state.groupName) ?? '';
    const error = entry(r.error);
    const why = text(error.description) ?? text(state.description);
    return { providerMessageId: id, result: FINAL[group] ?? null, detail: why ? `${group}: ${why}` : group };
  });
}

export const infobipType = smsGatewayType<InfobipConfig>({
  name: 'infobip',
  label: 'Infobip',
  config: InfobipConfig,
  secretFields: ['api_key'],
  parseConfig,
  createAdapter: ({ clock, statusUrl }) => ({
    send: (gateway, sms) =>
      withConfig(gateway, parseConfig, (config) =>
        exchange(
          {
            method: 'POST',
            url: `${config.base_url.replace(/\/+$/, '')}/sms/2/text/advanced`,
            headers: {
              Authorization: `App ${config.api_key}`,
              'Content-Type': 'application/json',
              Accept: 'application/json',
            },
            body: JSON.stringify({
              messages: [
                {
                  destinations: [{ to: sms.to.replace(/^\+/, '') }],
                  ...(config.from !== undefined ? { from: config.from } : {}),
                  text: sms.text,
                  notifyUrl: statusUrlWithSecret(statusUrl(gateway.id), gateway.inboundSecret),
                  notifyContentType: 'application/json',
                  callbackData: String(sms.messageId),
                },
              ],
            }),
          },
          config.timeout_ms ?? DEFAULT_TIMEOUT_MS,
          {
            secrets: [config.api_key, ...(gateway.inboundSecret ? [gateway.inboundSecret] : [])],
            readSuccess,
            readFailure,
            now: () => clock.now(),
          },
        ),
      ),
  }),
  webhooks: { authenticate: hasInboundSecret, inbound, status },
});
