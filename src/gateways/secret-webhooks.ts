// Webhooks of the types without a provider signature (SPEC 3.6): authenticated by the gateway's
// `inbound_secret`, given as the header X-Caseline-Secret or the query parameter `secret`, and
// carrying the message as fields `from`, `text` and optionally `message_id` (form, JSON or query).
import { timingSafeEqual } from 'node:crypto';
import type { WebhookHandling, WebhookRequest } from '../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import { InputError } from '../lib/input.ts';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** True when the request carries the gateway's inbound secret; a gateway without one takes nothing. */
export function hasInboundSecret(request: WebhookRequest, gateway: GatewayRecord): boolean {
  const given = request.headers['x-caseline-secret'] ?? request.query.secret ?? '';
  return (
    gateway.inboundSecret !== null && gateway.inboundSecret !== '' && sameSecret(given, gateway.inboundSecret)
  );
}

export const secretWebhooks: WebhookHandling = {
  authenticate: hasInboundSecret,
  inbound(request) {
    const fields = { ...request.query, ...request.fields };
    if (!fields.from) throw new InputError('from', 'is required');
    if (fields.text === undefined) throw new InputError('text', 'is required');
    return [
      {
        from: fields.from,
        text: fields.text,
        ...(fields.message_id ? { providerMessageId: fields.message_id } : {}),
      },
    ];
  },
};
