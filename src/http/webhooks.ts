// Gateway webhooks (SPEC 3.6), outside /api/v1 and its keys: each gateway authenticates its own
// requests, by its inbound_secret or by the provider's signature. A request that fails
// authentication answers 403 and stores nothing.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { recordDeliveryReport } from '../app/sending/delivery-reports.ts';
import { handleInbound } from '../app/inbound/inbound.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import { InputError } from '../lib/input.ts';
import {
  parseTwilioConfig,
  parseTwilioInbound,
  parseTwilioStatus,
  verifyTwilioSignature,
} from '../gateways/twilio/twilio.ts';

export interface WebhookDeps {
  store: Store;
  clock: Clock;
  /** The address Twilio signs: CASELINE_PUBLIC_URL. */
  publicUrl: string;
}

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Form or JSON fields as strings. */
function fields(body: unknown): Record<string, string> {
  if (typeof body !== 'object' || body === null) return {};
  return Object.fromEntries(
    Object.entries(body)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k, String(v)]),
  );
}

function forbidden(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: { code: 'forbidden', message } });
}

export function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): void {
  // Gateways post HTML-form bodies; keep every field a string.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  const base = deps.publicUrl.replace(/\/+$/, '');
  const gatewayOf = async (request: FastifyRequest): Promise<GatewayRecord | null> =>
    deps.store.gateways.get((request.params as { id: string }).id);

  app.post(
    '/gateways/:id/inbound',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const gateway = await gatewayOf(request);
      const given =
        (request.headers['x-caseline-secret'] as string | undefined) ??
        (request.query as { secret?: string }).secret ??
        '';
      if (!gateway || !gateway.inboundSecret || !sameSecret(given, gateway.inboundSecret))
        return forbidden(reply, 'unknown gateway or wrong secret');
      const body = fields(request.body);
      if (!body.from) throw new InputError('from', 'is required');
      if (body.text === undefined) throw new InputError('text', 'is required');
      const result = await handleInbound(
        deps,
        {
          gateway: gateway.id,
          from: body.from,
          text: body.text,
          ...(body.message_id ? { message_id: body.message_id } : {}),
        },
        gateway,
      );
      return reply.code(200).send({ message_id: result.messageId, outcome: result.outcome });
    },
  );

  /** Twilio signs the full public URL and the POST parameters with the gateway's auth token. */
  const twilioGateway = async (
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<GatewayRecord | null> => {
    const gateway = await gatewayOf(request);
    if (!gateway || gateway.type !== 'twilio') {
      await forbidden(reply, 'unknown Twilio gateway');
      return null;
    }
    const token = parseTwilioConfig(gateway.config).auth_token;
    const signature = (request.headers['x-twilio-signature'] as string | undefined) ?? '';
    if (!verifyTwilioSignature(`${base}${request.url}`, fields(request.body), signature, token)) {
      await forbidden(reply, 'bad X-Twilio-Signature');
      return null;
    }
    return gateway;
  };

  app.post(
    '/gateways/:id/twilio/inbound',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const gateway = await twilioGateway(request, reply);
      if (!gateway) return reply;
      const sms = parseTwilioInbound(fields(request.body));
      await handleInbound(
        deps,
        { gateway: gateway.id, from: sms.from, text: sms.text, message_id: sms.messageId },
        gateway,
      );
      return reply.code(200).type('text/xml').send(EMPTY_TWIML);
    },
  );

  app.post(
    '/gateways/:id/twilio/status',
    { schema: { hide: true }, config: { rateLimit: false } },
    async (request, reply) => {
      const gateway = await twilioGateway(request, reply);
      if (!gateway) return reply;
      const status = parseTwilioStatus(fields(request.body));
      if (status.result !== null) {
        const detail = status.errorCode ? `Twilio ${status.errorCode} (${status.status})` : status.status;
        await recordDeliveryReport(deps, {
          gatewayId: gateway.id,
          providerMessageId: status.messageId,
          result: status.result,
          detail,
        });
      }
      return reply.code(200).type('text/xml').send(EMPTY_TWIML);
    },
  );
}
