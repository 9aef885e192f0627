// The OpenAPI document at /api/v1/openapi.json and its explorer at /docs. The routes' TypeBox
// schemas are JSON Schema for AJV; an OpenAPI 3.0 document allows only part of it. This module
// makes the document valid OpenAPI 3.0 (checked by test/http/openapi.test.ts with swagger-parser)
// without touching the routes' own schemas, which validation needs as they are:
// - keywords OpenAPI 3.0 lacks are rewritten (a numeric `exclusiveMinimum` becomes `minimum` plus
//   `exclusiveMinimum: true`, `const` an `enum` of one) or kept as `x-` extensions
//   (`propertyNames`) or dropped (`errorMessage`, ajv-errors' texts for the 400 answers);
// - every operation gets an `operationId` (derived from its method and path) and a tag;
// - the gateway webhooks, /healthz and /metrics are documented; the console's HTML pages are not.
import type { FastifyDynamicSwaggerOptions } from '@fastify/swagger';
import type { FastifySwaggerUiOptions } from '@fastify/swagger-ui';
import { VERSION } from '../version.ts';

export const API_PREFIX = '/api/v1';

type Json = Record<string, unknown>;

const ERROR = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
    },
  },
};

const GATEWAY_ID = {
  name: 'id',
  in: 'path',
  required: true,
  schema: { type: 'string' },
  description: "the gateway's id",
};
const TWIML = {
  description: 'empty TwiML: Twilio sends nothing back',
  content: { 'text/xml': { schema: { type: 'string', example: '<Response/>' } } },
};
const TWILIO_SIGNATURE = {
  name: 'X-Twilio-Signature',
  in: 'header',
  required: true,
  schema: { type: 'string' },
  description:
    "Twilio's signature of CASELINE_PUBLIC_URL + path and the form fields, with the gateway's auth_token",
};
const FORM = (schema: Json) => ({
  required: true,
  content: { 'application/x-www-form-urlencoded': { schema } },
});

/**
 * Documentation of the routes outside /api/v1 (their handlers read raw bodies and check the
 * gateway's own secret or signature, so they carry no schema of their own), by URL.
 */
const OUTSIDE_API: Record<string, Json> = {
  '/gateways/:id/inbound': {
    operationId: 'receiveInboundSms',
    tags: ['webhooks'],
    summary: 'An inbound SMS from any provider, for the gateway `id`',
    description:
      "Give the provider `CASELINE_PUBLIC_URL/gateways/{id}/inbound` as its inbound (MO) address. The call carries the gateway's `inbound_secret` in the `X-Caseline-Secret` header or as `?secret=`; a gateway without one accepts nothing. A failed check answers 403 and stores nothing.",
    security: [],
    parameters: [
      GATEWAY_ID,
      {
        name: 'X-Caseline-Secret',
        in: 'header',
        schema: { type: 'string' },
        description: "the gateway's inbound_secret",
      },
      {
        name: 'secret',
        in: 'query',
        schema: { type: 'string' },
        description: 'the same, for providers that cannot set a header',
      },
    ],
    requestBody: {
      required: true,
      content: Object.fromEntries(
        ['application/json', 'application/x-www-form-urlencoded'].map((type) => [
          type,
          {
            schema: {
              type: 'object',
              required: ['from', 'text'],
              properties: {
                from: { type: 'string', description: "the sender's number", example: '+254712345678' },
                text: { type: 'string', example: 'VISIT' },
                message_id: {
                  type: 'string',
                  description: "the provider's id of the message (repeats are ignored)",
                },
              },
            },
          },
        ]),
      ),
    },
    responses: {
      200: {
        description: 'stored and handled',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['message_id', 'outcome'],
              properties: { message_id: { type: 'integer' }, outcome: { type: 'string' } },
            },
          },
        },
      },
      400: { description: '`from` or `text` missing', content: { 'application/json': { schema: ERROR } } },
      403: {
        description: 'unknown gateway or wrong secret',
        content: { 'application/json': { schema: ERROR } },
      },
    },
  },
  '/gateways/:id/status': {
    operationId: 'receiveDeliveryReport',
    tags: ['webhooks'],
    summary: 'A delivery report from the provider, for the gateway `id`',
    description:
      "Read and authenticated by the gateway's type (its provider's own format and signature; types without one carry the gateway's `inbound_secret`, as the inbound webhook does). A report moves the message to `delivered` or `error`; a repeated report changes nothing. Types that let a send name its report address (Twilio, Kannel, Infobip) get this address with every send.",
    security: [],
    parameters: [GATEWAY_ID],
    responses: {
      200: { description: "applied; the answer the provider's type expects" },
      204: { description: 'applied' },
      400: {
        description: 'a field the type needs is missing',
        content: { 'application/json': { schema: ERROR } },
      },
      403: {
        description: 'unknown gateway, or a wrong secret or signature',
        content: { 'application/json': { schema: ERROR } },
      },
      404: {
        description: 'the gateway’s type takes no delivery reports',
        content: { 'application/json': { schema: ERROR } },
      },
    },
  },
  '/gateways/:id/twilio/inbound': {
    operationId: 'receiveTwilioInbound',
    tags: ['webhooks'],
    summary: "Twilio's incoming-message webhook, for the Twilio gateway `id`",
    description:
      "Set the Twilio number's *A message comes in* webhook (HTTP POST) to `CASELINE_PUBLIC_URL/gateways/{id}/twilio/inbound`. CASELINE_PUBLIC_URL must be the address Twilio calls: the signature covers it.",
    security: [],
    parameters: [GATEWAY_ID, TWILIO_SIGNATURE],
    requestBody: FORM({
      type: 'object',
      required: ['From', 'Body', 'MessageSid'],
      properties: { From: { type: 'string' }, Body: { type: 'string' }, MessageSid: { type: 'string' } },
    }),
    responses: {
      200: TWIML,
      403: {
        description: 'not a Twilio gateway, or a bad signature',
        content: { 'application/json': { schema: ERROR } },
      },
    },
  },
  '/gateways/:id/twilio/status': {
    operationId: 'receiveTwilioStatus',
    tags: ['webhooks'],
    summary: "Twilio's status callback for a message sent through the Twilio gateway `id`",
    description:
      'caseline asks Twilio for it with every message it sends; nothing to set up. `delivered` marks the message delivered; `failed` and `undelivered` record an error.',
    security: [],
    parameters: [GATEWAY_ID, TWILIO_SIGNATURE],
    requestBody: FORM({
      type: 'object',
      required: ['MessageSid', 'MessageStatus'],
      properties: {
        MessageSid: { type: 'string' },
        MessageStatus: { type: 'string', example: 'delivered' },
        ErrorCode: { type: 'string' },
      },
    }),
    responses: {
      200: TWIML,
      403: {
        description: 'not a Twilio gateway, or a bad signature',
        content: { 'application/json': { schema: ERROR } },
      },
    },
  },
  '/healthz': {
    operationId: 'health',
    tags: ['operations'],
    summary: 'Liveness and readiness: answers once the database answers',
    security: [],
    responses: {
      200: {
        description: 'the server and its database work',
        content: {
          'application/json': {
            schema: {
              type: 'object',
              required: ['status'],
              properties: { status: { type: 'string', enum: ['ok'] } },
            },
          },
        },
      },
    },
  },
  '/metrics': {
    operationId: 'metrics',
    tags: ['operations'],
    summary: 'Prometheus metrics (text exposition format 0.0.4)',
    description:
      'Messages by direction, status and gateway, the queue depth by what messages wait for, send latency, and the process metrics (`process_cpu_seconds_total`, `nodejs_heap_size_used_bytes`, ...).',
    security: [],
    responses: {
      200: {
        description: 'the metrics',
        content: {
          'text/plain': { schema: { type: 'string', example: 'caseline_queue_depth{reason="due"} 0' } },
        },
      },
    },
  },
};

/** What @fastify/swagger is given. */
export function openApiOptions(publicUrl: string): FastifyDynamicSwaggerOptions {
  return {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'caseline API',
        version: VERSION,
        description:
          'Messaging engine for case-management programs. Authenticate with `Authorization: Bearer <key>`: the admin key reaches everything, a project key only its own project (anything else answers 404). Errors answer `{error: {code, message, field?}}`. The gateway webhooks (tag *webhooks*) take no key: each gateway authenticates its own calls.',
      },
      servers: [{ url: publicUrl.replace(/\/+$/, ''), description: 'this server (CASELINE_PUBLIC_URL)' }],
      tags: [
        { name: 'projects' },
        { name: 'keys' },
        { name: 'cases' },
        { name: 'mobile workers' },
        { name: 'gateways' },
        { name: 'prefixes', description: 'Prefix mappings: which gateway a number prefix goes through' },
        { name: 'messages' },
        { name: 'events' },
        { name: 'contacts' },
        { name: 'phone registry' },
        { name: 'opt-outs' },
        { name: 'commcare', description: "CommCare HQ's data forwarding of cases" },
        { name: 'alerts' },
        { name: 'broadcasts' },
        { name: 'keywords' },
        { name: 'groups' },
        { name: 'surveys' },
        { name: 'webhooks', description: 'Called by gateways: inbound SMS and delivery reports' },
        { name: 'operations', description: 'Health check and metrics' },
      ],
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          basic: {
            type: 'http',
            scheme: 'basic',
            description: 'CommCare forwarding only: any username, the project key as the password',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const outside = OUTSIDE_API[url];
      if (outside) {
        const isGet = [route.method].flat()[0] === 'GET';
        return { schema: toRouteSchema(isGet ? asGet(outside) : outside), url };
      }
      if (!url.startsWith(`${API_PREFIX}/`) || url === `${API_PREFIX}/openapi.json`)
        return { schema: { ...schema, hide: true }, url };
      const method = [route.method].flat()[0] ?? 'GET';
      const given = schema as Json | undefined;
      return {
        schema: { ...given, operationId: given?.operationId ?? operationId(method, url) } as typeof schema,
        url,
      };
    },
    transformObject: (documentObject) => {
      const document = (
        'openapiObject' in documentObject ? documentObject.openapiObject : documentObject
      ) as Json;
      cleanDocument(document);
      return document as never;
    },
  };
}

/**
 * The GET form of a webhook documented for POST: the body's fields come as query parameters
 * (providers such as Kannel call with GET), under an operationId of its own.
 */
function asGet(operation: Json): Json {
  const { requestBody, ...rest } = operation;
  const body = requestBody as { content?: Record<string, { schema?: Json }> } | undefined;
  const fields = Object.values(body?.content ?? {})[0]?.schema as
    { properties?: Record<string, Json>; required?: string[] } | undefined;
  const query = Object.entries(fields?.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: fields?.required?.includes(name) ?? false,
    schema,
  }));
  return {
    ...rest,
    operationId: `${String(operation.operationId)}ByGet`,
    parameters: [...((operation.parameters as Json[] | undefined) ?? []), ...query],
  };
}

/**
 * @fastify/swagger builds an operation from a route schema's `params`, `body`, `response`...;
 * the documentation above is written as OpenAPI already, so it travels whole as an extension
 * and cleanDocument puts it in the operation's place.
 */
function toRouteSchema(operation: Json) {
  return { 'x-operation': operation } as never;
}

/** `GET /api/v1/projects/{project}/cases/{id}` → `getProjectCase`; lists are `list...`. */
export function operationId(method: string, url: string): string {
  const segments = url.slice(API_PREFIX.length + 1).split('/');
  const words: string[] = [];
  segments.forEach((segment, i) => {
    if (segment.startsWith(':') || segment.startsWith('{')) return;
    const next = segments[i + 1];
    const itemOf = next !== undefined && (next.startsWith(':') || next.startsWith('{'));
    words.push(itemOf ? segment.replace(/s$/, '') : segment);
  });
  const last = segments.at(-1) ?? '';
  const collection = !last.startsWith(':') && !last.startsWith('{') && last.endsWith('s');
  let verb = method.toLowerCase();
  if (verb === 'get' && collection) verb = 'list';
  if (verb === 'post' && collection) {
    verb = 'create';
    words[words.length - 1] = (words.at(-1) ?? '').replace(/s$/, '');
  }
  return [verb, ...words.flatMap((word) => word.split('-'))]
    .map((word, i) => (i === 0 ? word : word.charAt(0).toUpperCase() + word.slice(1)))
    .join('');
}

function cleanDocument(document: Json): void {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Json>>;
  for (const operations of Object.values(paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      if (typeof operation !== 'object' || operation === null || method === 'parameters') continue;
      const written = operation['x-operation'] as Json | undefined;
      if (written) {
        for (const key of Object.keys(operation)) delete operation[key];
        Object.assign(operation, structuredClone(written));
      }
      if (operation.responses === undefined) operation.responses = { 200: { description: 'OK' } };
      for (const parameter of (operation.parameters ?? []) as Json[]) cleanSchema(parameter.schema);
      const body = operation.requestBody as { content?: Record<string, Json> } | undefined;
      for (const media of Object.values(body?.content ?? {})) cleanSchema(media.schema);
      for (const response of Object.values((operation.responses ?? {}) as Record<string, Json>)) {
        for (const media of Object.values((response.content ?? {}) as Record<string, Json>))
          cleanSchema(media.schema);
      }
    }
  }
  const components = document.components as { schemas?: Record<string, unknown> } | undefined;
  for (const schema of Object.values(components?.schemas ?? {})) cleanSchema(schema);
}

/** Rewrites one JSON Schema (and the schemas inside it) as an OpenAPI 3.0 Schema Object. */
export function cleanSchema(schema: unknown): void {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return;
  const s = schema as Json;
  delete s.errorMessage;
  delete s.$id;
  delete s.$schema;
  if ('propertyNames' in s) {
    s['x-propertyNames'] = s.propertyNames;
    delete s.propertyNames;
  }
  for (const [exclusive, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof s[exclusive] === 'number') {
      s[bound] = s[exclusive];
      s[exclusive] = true;
    }
  }
  if ('const' in s) {
    s.enum = [s.const];
    delete s.const;
  }
  if (Array.isArray(s.examples)) {
    if (s.example === undefined && s.examples.length > 0) s.example = s.examples[0];
    delete s.examples;
  }
  if (Array.isArray(s.type)) {
    const types = (s.type as string[]).filter((type) => type !== 'null');
    if (types.length < (s.type as string[]).length) s.nullable = true;
    if (types.length === 1) s.type = types[0];
    else {
      delete s.type;
      s.anyOf = types.map((type) => ({ type }));
    }
  }
  for (const key of ['properties', 'patternProperties'])
    for (const inner of Object.values((s[key] ?? {}) as Json)) cleanSchema(inner);
  for (const key of ['items', 'additionalProperties', 'not']) cleanSchema(s[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf'])
    if (Array.isArray(s[key])) for (const inner of s[key] as unknown[]) cleanSchema(inner);
}

/** caseline's wordmark: a speech bubble and the name. */
const LOGO = `<svg xmlns="http://www.w3.org/2000/svg" width="168" height="40" viewBox="0 0 168 40"><path d="M6 6h28a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H18l-8 7v-7H6a4 4 0 0 1-4-4V10a4 4 0 0 1 4-4z" fill="#2f6f5e"/><path d="M10 14h20M10 21h13" stroke="#fff" stroke-width="3" stroke-linecap="round"/><text x="46" y="27" font-family="system-ui,sans-serif" font-size="21" font-weight="600" fill="#fff">caseline</text></svg>`;
const ICON = `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 40 40"><path d="M6 6h28a4 4 0 0 1 4 4v16a4 4 0 0 1-4 4H18l-8 7v-7H6a4 4 0 0 1-4-4V10a4 4 0 0 1 4-4z" fill="#2f6f5e"/></svg>`;

/** What @fastify/swagger-ui is given: the explorer at /docs, in caseline's name and colours. */
export function docsOptions(): FastifySwaggerUiOptions {
  return {
    routePrefix: '/docs',
    logo: { type: 'image/svg+xml', content: Buffer.from(LOGO), href: '/docs', target: '_self' },
    theme: {
      title: 'caseline API',
      favicon: [
        {
          filename: 'caseline.svg',
          rel: 'icon',
          sizes: '32x32',
          type: 'image/svg+xml',
          content: Buffer.from(ICON),
        },
      ],
      css: [
        {
          filename: 'caseline.css',
          content:
            '.swagger-ui .topbar { background-color: #1f4b40; } .swagger-ui .topbar a { max-width: 168px; }',
        },
      ],
    },
    uiConfig: { docExpansion: 'list', deepLinking: true, displayOperationId: false },
  };
}
