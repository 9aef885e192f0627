// The `kannel` gateway (SPEC 3.6): Kannel's smsbox (https://www.kannel.org/userguide.shtml).
// Sending is its `sendsms` GET; text GSM-7 cannot carry goes with `coding=2` and
// `charset=UTF-8` (without them Kannel recodes it to GSM and the handset shows `??????`, and
// with coding=2 alone it reads the text as UTF-16BE). The `dlr-url` names the status webhook
// with our message id, which Kannel's DLR callback echoes: that id is the one reports match.
// Inbound comes from an sms-service's `get-url` (the query) or `post-url` (the text as the
// body, the sender in X-Kannel-From); both carry the gateway's inbound secret.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { InboundSms, StatusReport, WebhookRequest } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { countSegments } from '../../domain/text.ts';
import { parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';
import { smsGatewayType } from '../define.ts';
import { exchange, type HttpResponse, type SuccessReading } from '../http-outcome.ts';
import {
  HttpUrl,
  TimeoutMs,
  DEFAULT_TIMEOUT_MS,
  Word,
  statusUrlWithSecret,
  withConfig,
} from '../provider.ts';
import { hasInboundSecret } from '../secret-webhooks.ts';
import { optionalValue, requiredValue } from '../webhook-fields.ts';

export const KannelConfig = Strict({
  /** The smsbox sendsms address, e.g. http://kannel.local:13013/cgi-bin/sendsms. */
  url: HttpUrl(),
  /** A sendsms-user's username and password. */
  username: Word,
  password: Word,
  /** The sender (number or alphanumeric id); absent: the sendsms-user's default. */
  from: Type.Optional(Word),
  /** Kannel's dlr-mask: 1 delivered, 2 failed, 4 buffered, 8 SMSC accepted, 16 SMSC rejected; default 3. */
  dlr_mask: Type.Optional(Type.Integer({ minimum: 0, maximum: 31, default: 3 })),
  /** Time Kannel has to answer, in ms; default 10000. */
  timeout_ms: Type.Optional(TimeoutMs),
});
export type KannelConfig = Static<typeof KannelConfig>;

export const parseKannelConfig = (config: unknown): KannelConfig =>
  parseInput(KannelConfig, config, 'config');

/**
 * Kannel's DLR types (%d): 1 delivered to the phone, 2 not delivered, 16 rejected by the
 * SMSC; 4 (buffered) and 8 (accepted by the SMSC) are on the way.
 */
const DLR_RESULTS: Record<string, 'delivered' | 'error'> = { '1': 'delivered', '2': 'error', '16': 'error' };

/** sendsms answers `0: Accepted for delivery` or `3: Queued for later delivery` (HTTP 202). */
function readSuccess(response: HttpResponse, ours: string): SuccessReading {
  const body = response.body.trim();
  if (/^[03]:/.test(body)) return { providerMessageId: ours };
  return { failure: `Kannel answered ${response.status}: ${body.slice(0, 300) || '(empty body)'}` };
}

function inbound(request: WebhookRequest): InboundSms[] {
  const post = request.query.text === undefined && request.fields.text === undefined;
  const id = optionalValue(request, 'message_id');
  return [
    {
      from: post ? requiredValue(request, 'header:X-Kannel-From') : requiredValue(request, 'from'),
      text: post ? request.rawBody : (optionalValue(request, 'text') ?? ''),
      ...(id !== undefined ? { providerMessageId: id } : {}),
    },
  ];
}

function status(request: WebhookRequest): StatusReport[] {
  const value = requiredValue(request, 'status').trim();
  const words = optionalValue(request, 'detail');
  return [
    {
      providerMessageId: requiredValue(request, 'message_id'),
      result: DLR_RESULTS[value] ?? null,
      detail: words ? `Kannel DLR ${value}: ${words}` : `Kannel DLR ${value}`,
    },
  ];
}

export const kannelType = smsGatewayType<KannelConfig>({
  name: 'kannel',
  label: 'Kannel (smsbox sendsms, get-url/post-url, DLR)',
  config: KannelConfig,
  secretFields: ['password'],
  parseConfig: parseKannelConfig,
  createAdapter: ({ clock, statusUrl }) => ({
    send: (gateway: GatewayRecord, sms) =>
      withConfig(gateway, parseKannelConfig, (config) => {
        const ours = String(sms.messageId);
        const url = new URL(config.url);
        const query = url.searchParams;
        query.set('username', config.username);
        query.set('password', config.password);
        if (config.from !== undefined) query.set('from', config.from);
        query.set('to', sms.to.replace(/^\+/, ''));
        query.set('text', sms.text);
        if (countSegments(sms.text).encoding !== 'GSM-7') {
          query.set('coding', '2');
          query.set('charset', 'UTF-8');
        }
        const mask = config.dlr_mask ?? 3;
        if (mask > 0) {
          query.set('dlr-mask', String(mask));
          // Kannel fills %d (the DLR type) and %A (the SMSC's words) when it calls back.
          const callback = new URL(statusUrlWithSecret(statusUrl(gateway.id), gateway.inboundSecret));
          callback.searchParams.set('message_id', ours);
          query.set('dlr-url', `${callback.toString()}&status=%d&detail=%A`);
        }
        const secrets = [config.password, ...(gateway.inboundSecret ? [gateway.inboundSecret] : [])];
        return exchange(
          { method: 'GET', url: url.toString(), headers: {}, body: null },
          config.timeout_ms ?? DEFAULT_TIMEOUT_MS,
          {
            secrets,
            successStatuses: [200, 202],
            readSuccess: (response) => readSuccess(response, ours),
            now: () => clock.now(),
          },
        );
      }),
  }),
  webhooks: { authenticate: hasInboundSecret, inbound, status },
});
