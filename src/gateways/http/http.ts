// The generic `http` gateway (SPEC 3.6), as most in-country aggregators offer: its request
// (config.ts, send.ts), and webhooks read by the field names it is configured with
// (`inbound_fields`, `status_fields` and `status_values`), authenticated by the gateway's
// inbound secret. Without field names, inbound takes `from`, `text` and `message_id`, and a
// status report `message_id`, `status` and `detail`.
import type { InboundSms, StatusReport, WebhookRequest } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { smsGatewayType } from '../define.ts';
import { hasInboundSecret, secretWebhooks } from '../secret-webhooks.ts';
import { optionalValue, requiredValue } from '../webhook-fields.ts';
import {
  DEFAULT_STATUS_VALUES,
  HttpConfig,
  parseHttpConfig,
  secretsOf,
  type HttpSettings,
} from './config.ts';
import { createHttpAdapter } from './send.ts';

export { HttpConfig, parseHttpConfig, secretsOf, PLACEHOLDERS, DEFAULT_HTTP_TIMEOUT_MS } from './config.ts';
export type { HttpSettings } from './config.ts';
export { createHttpAdapter } from './send.ts';

const settingsOf = (gateway: GatewayRecord): HttpSettings | null => {
  try {
    return parseHttpConfig(gateway.config);
  } catch {
    return null;
  }
};

function inbound(request: WebhookRequest, gateway: GatewayRecord): InboundSms[] {
  const names = settingsOf(gateway)?.inbound_fields;
  if (!names) return secretWebhooks.inbound?.(request, gateway) ?? [];
  const id = optionalValue(request, names.id);
  return [
    {
      from: requiredValue(request, names.from),
      text: optionalValue(request, names.text) ?? '',
      ...(id !== undefined ? { providerMessageId: id } : {}),
    },
  ];
}

function status(request: WebhookRequest, gateway: GatewayRecord): StatusReport[] {
  const settings = settingsOf(gateway);
  const names = settings?.status_fields ?? { id: 'message_id', status: 'status', detail: 'detail' };
  const value = requiredValue(request, names.status).trim();
  return [
    {
      providerMessageId: requiredValue(request, names.id),
      result: (settings?.status_values ?? DEFAULT_STATUS_VALUES)[value] ?? null,
      detail: optionalValue(request, names.detail) ?? value,
    },
  ];
}

/** The `http` type: a generic aggregator; inbound through the gateway's inbound secret. */
export const httpType = smsGatewayType<HttpSettings>({
  name: 'http',
  label: 'HTTP (a generic aggregator API)',
  config: HttpConfig,
  parseConfig: parseHttpConfig,
  secretsOf,
  createAdapter: ({ clock, statusUrl }) => createHttpAdapter({ clock, statusUrl }),
  webhooks: { authenticate: hasInboundSecret, inbound, status },
});
