// Gateway webhooks (SPEC 3.6), outside /api/v1 and its keys, the same two for every gateway:
// /gateways/{id}/inbound (incoming SMS) and /gateways/{id}/status (delivery reports), GET or
// POST. The gateway's type (the registry, src/gateways/) authenticates, reads and answers them;
// a type may name an alias path (Twilio's /gateways/{id}/twilio/...). A request that fails
// authentication answers 403 and stores nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { handleInbound } from '../app/inbound/inbound.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { GatewayCatalog, SmsGatewayType, WebhookRequest } from '../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import { recordDeliveryReport } from '../app/sending/delivery-reports.ts';

export interface WebhookDeps {
  store: Store;
  clock: Clock;
  /** The address providers call and sign: CASELINE_PUBLIC_URL. */
  publicUrl: string;
  gatewayTypes: GatewayCatalog;
}

/** Form, JSON or query fields as strings. */
function fields(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number')
      .map(([k, v]) => [k, String(v)]),
  );
}

function headers(request: FastifyRequest): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
}

function forbidden(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: { code: 'forbidden', message } });
}

type Kind = 'inbound' | 'status';

export function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): void {
  // Providers post HTML-form bodies and plain text; keep every form field a string.
  app.addContentTypeParser(
    'application/x-www-form-urlencoded',
    { parseAs: 'string' },
    (_request, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(String(body))));
    },
  );
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const base = deps.publicUrl.replace(/\/+$/, '');

  /** The gateway of the path and its type, if the request proves it comes from there. */
  const authenticated = async (
    request: FastifyRequest,
    reply: FastifyReply,
    alias: string | null,
  ): Promise<{ gateway: GatewayRecord; type: SmsGatewayType; read: WebhookRequest } | null> => {
    const gateway = await deps.store.gateways.get((request.params as { id: string }).id);
    const type = gateway ? deps.gatewayTypes.sms(gateway.type) : null;
    if (!gateway || !type || (alias !== null && type.webhooks.alias !== alias)) {
      await forbidden(reply, 'unknown gateway or wrong secret');
      return null;
    }
    const read: WebhookRequest = {
      method: request.method,
      url: `${base}${request.url}`,
      query: fields(request.query),
      headers: headers(request),
      fields: fields(request.body),
      rawBody: typeof request.body === 'string' ? request.body : '',
    };
    if (!type.webhooks.authenticate(read, gateway)) {
      await forbidden(
        reply,
        alias === 'twilio' ? 'bad X-Twilio-Signature' : 'unknown gateway or wrong secret',
      );
      return null;
    }
    return { gateway, type, read };
  };

  const handler =
    (kind: Kind, alias: string | null) => async (request: FastifyRequest, reply: FastifyReply) => {
      const found = await authenticated(request, reply, alias);
      if (!found) return reply;
      const { gateway, type, read } = found;
      if (kind === 'inbound') {
        if (!type.webhooks.inbound)
          return reply.code(404).send({ error: { code: 'not_found', message: 'no inbound webhook' } });
        const sms = type.webhooks.inbound(read);
        const result = await handleInbound(
          deps,
          {
            gateway: gateway.id,
            from: sms.from,
            text: sms.text,
            ...(sms.providerMessageId ? { message_id: sms.providerMessageId } : {}),
          },
          gateway,
        );
        const answer = type.webhooks.inboundAnswer;
        if (answer) return reply.code(answer.status).type(answer.contentType).send(answer.body);
        return reply.code(200).send({ message_id: result.messageId, outcome: result.outcome });
      }
      if (!type.webhooks.status)
        return reply.code(404).send({ error: { code: 'not_found', message: 'no status webhook' } });
      const report = type.webhooks.status(read);
      if (report.result !== null) {
        await recordDeliveryReport(deps, {
          gatewayId: gateway.id,
          providerMessageId: report.providerMessageId,
          result: report.result,
          detail: report.detail,
        });
      }
      const answer = type.webhooks.statusAnswer;
      if (answer) return reply.code(answer.status).type(answer.contentType).send(answer.body);
      return reply.code(204).send();
    };

  const options = { schema: { hide: true }, config: { rateLimit: false as const } };
  const aliases = [
    ...new Set(
      deps.gatewayTypes.types.flatMap((type) =>
        type.channel === 'sms' && type.webhooks.alias ? [type.webhooks.alias] : [],
      ),
    ),
  ];
  for (const kind of ['inbound', 'status'] as const) {
    // One route per method, so each is its own operation in the OpenAPI document.
    for (const method of ['GET', 'POST'] as const) {
      app.route({ method, url: `/gateways/:id/${kind}`, ...options, handler: handler(kind, null) });
    }
    for (const alias of aliases) {
      app.route({
        method: ['POST'],
        url: `/gateways/:id/${alias}/${kind}`,
        ...options,
        handler: handler(kind, alias),
      });
    }
  }
}
