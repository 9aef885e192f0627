// Gateway webhooks (SPEC 3.6), outside /api/v1 and its keys, the same two for every gateway:
// /gateways/{id}/inbound (incoming SMS) and /gateways/{id}/status (delivery reports), GET or
// POST, with a query, a form, JSON or a text body. The gateway's type (the registry,
// src/gateways/) authenticates, reads and answers them; a type may name an alias path
// (Twilio's /gateways/{id}/twilio/...). A request that fails authentication answers 403 and
// stores nothing; after too many of those from one address to one gateway in a minute, that
// address is answered 429 on that gateway until the minute ends (the provider calling from
// its own addresses is not affected). A provider id seen before answers as the first time and
// changes nothing.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { currentConfig, type ConfigView } from '../app/config-cache.ts';
import { receiveInbound, receiveStatus } from '../app/gateways/receive.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { GatewayCatalog, SmsGatewayType, WebhookRequest } from '../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import type { FailureLimiter } from '../lib/failure-limiter.ts';
import { InputError, unstorableText } from '../lib/input.ts';

export interface WebhookDeps {
  store: Store;
  clock: Clock;
  /** The address providers call and sign: CASELINE_PUBLIC_URL. */
  publicUrl: string;
  gatewayTypes: GatewayCatalog;
  /** Failed authentications per gateway and client address; absent: not limited. */
  authFailures?: FailureLimiter;
}

/** Query, form or JSON fields as strings (top level only; nested JSON is the type's to read). */
function fields(value: unknown): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return {};
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, v]) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')
      .map(([k, v]) => [k, String(v)]),
  );
}

function headers(request: FastifyRequest): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : v]),
  );
}

/** The body as the gateway's type reads it: every body arrives as text (signatures cover it). */
function readBody(request: FastifyRequest): Pick<WebhookRequest, 'fields' | 'json' | 'rawBody'> {
  const raw = typeof request.body === 'string' ? request.body : '';
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (raw !== '' && type.includes('application/x-www-form-urlencoded'))
    return { fields: Object.fromEntries(new URLSearchParams(raw)), json: null, rawBody: raw };
  if (raw !== '' && type.includes('json')) {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw new InputError('body', 'is not valid JSON');
    }
    return { fields: fields(json), json, rawBody: raw };
  }
  return { fields: {}, json: null, rawBody: raw };
}

function forbidden(reply: FastifyReply, message: string) {
  return reply.code(403).send({ error: { code: 'forbidden', message } });
}

type Kind = 'inbound' | 'status';

export function webhookRoutes(app: FastifyInstance, deps: WebhookDeps): void {
  // Providers post forms, JSON, plain text or bytes with other types (Kannel's post-url): every
  // body is kept as text, read in readBody, so a signature can be checked over what was sent.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const base = deps.publicUrl.replace(/\/+$/, '');

  /** The gateway of the path and its type, if the request proves it comes from there. */
  const authenticated = async (
    request: FastifyRequest,
    reply: FastifyReply,
    alias: string | null,
  ): Promise<{
    gateway: GatewayRecord;
    type: SmsGatewayType;
    read: WebhookRequest;
    config: ConfigView;
  } | null> => {
    const id = (request.params as { id: string }).id;
    const limiter = deps.authFailures;
    const key = `${id}\u0000${request.ip}`;
    const wait = limiter?.retryAfterMs(key, deps.clock.now()) ?? 0;
    if (wait > 0) {
      await reply
        .code(429)
        .header('retry-after', String(Math.ceil(wait / 1000)))
        .send({
          error: {
            code: 'rate_limited',
            message: 'too many failed authentications from this address; retry later',
          },
        });
      return null;
    }
    const refuse = async (message: string) => {
      limiter?.fail(key, deps.clock.now());
      await forbidden(reply, message);
      return null;
    };
    // The request's one configuration check; the inbound pipeline goes on with it.
    const config = await currentConfig(deps.store);
    // No gateway has an id PostgreSQL cannot hold (NUL, a lone surrogate): unknown, not a 500.
    const gateway = unstorableText(id) !== null ? null : await config.gateway(deps.store, id);
    const type = gateway ? deps.gatewayTypes.sms(gateway.type) : null;
    if (!gateway || !type || (alias !== null && type.webhooks.alias !== alias))
      return refuse('unknown gateway or wrong secret');
    const read: WebhookRequest = {
      method: request.method,
      url: `${base}${request.url}`,
      query: fields(request.query),
      headers: headers(request),
      ...readBody(request),
    };
    if (!type.webhooks.authenticate(read, gateway))
      return refuse(type.name === 'twilio' ? 'bad X-Twilio-Signature' : 'unknown gateway or wrong secret');
    return { gateway, type, read, config };
  };

  /** A request the type cannot read (a field missing or unknown): 400 naming it, nothing stored. */
  const handler =
    (kind: Kind, alias: string | null) => async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        return await handle(kind, alias, request, reply);
      } catch (error) {
        if (!(error instanceof InputError)) throw error;
        return reply
          .code(400)
          .send({ error: { code: 'invalid_input', message: error.describe(), field: error.field } });
      }
    };

  const handle = async (kind: Kind, alias: string | null, request: FastifyRequest, reply: FastifyReply) => {
    const found = await authenticated(request, reply, alias);
    if (!found) return reply;
    const { gateway, type, read, config } = found;
    const webhooks = type.webhooks;
    if (kind === 'inbound') {
      if (!webhooks.inbound)
        return reply.code(404).send({ error: { code: 'not_found', message: 'no inbound webhook' } });
      const results = [];
      for (const sms of webhooks.inbound(read, gateway)) {
        const received = await receiveInbound(deps, gateway, sms, config);
        results.push({ message_id: received.messageId, outcome: received.outcome });
      }
      const answer = webhooks.inboundAnswer;
      if (answer) return reply.code(answer.status).type(answer.contentType).send(answer.body);
      return reply.code(200).send(results.length === 1 ? results[0] : { messages: results });
    }
    if (!webhooks.status)
      return reply.code(404).send({ error: { code: 'not_found', message: 'no status webhook' } });
    for (const report of webhooks.status(read, gateway)) await receiveStatus(deps, gateway, report);
    const answer = webhooks.statusAnswer;
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
  // One route per method, so each is its own operation in the OpenAPI document.
  for (const kind of ['inbound', 'status'] as const) {
    for (const method of ['GET', 'POST'] as const) {
      app.route({ method, url: `/gateways/:id/${kind}`, ...options, handler: handler(kind, null) });
      for (const alias of aliases) {
        app.route({
          method,
          url: `/gateways/:id/${alias}/${kind}`,
          ...options,
          handler: handler(kind, alias),
        });
      }
    }
  }
}
