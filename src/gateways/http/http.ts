// The generic `http` gateway (SPEC 3.6): one request per SMS to an aggregator's URL, its
// parameters filled from templates, as most in-country aggregators offer (Kannel's sendsms,
// Africa's Talking, ...). The response is read by ../http-outcome.ts.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { Clock } from '../../app/ports/clock.ts';
import type { GatewayAdapter, OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { Strict } from '../../lib/schema.ts';
import { InputError, joinPath, parseInput } from '../../lib/input.ts';
import { systemClock } from '../../clock.ts';
import { exchange } from '../http-outcome.ts';
import { valueAt } from '../../lib/json-path.ts';
import { smsGatewayType } from '../define.ts';
import { secretWebhooks } from '../secret-webhooks.ts';
import type { HttpRequest, HttpResponse, SuccessReading } from '../http-outcome.ts';

/** The placeholders a parameter template may use. */
export const PLACEHOLDERS = ['to', 'text', 'from', 'message_id', 'idempotency_key'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

/** Default time a gateway has to answer, in ms. */
export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;

const Name = Type.String({ minLength: 1, maxLength: 200 });

/** A gateway's `config` for type `http`. Every object rejects unknown fields. */
export const HttpConfig = Strict({
  /** The aggregator's endpoint; may carry `user:password@` for HTTP basic auth. */
  url: Type.String({
    pattern: '^https?://[^\\s]+$',
    maxLength: 2000,
    errorMessage: 'must be an http:// or https:// URL',
  }),
  /** Default POST. GET puts the parameters in the query string. */
  method: Type.Optional(Type.Enum(['GET', 'POST'], { default: 'POST' })),
  /**
   * Parameter name → template. Placeholders: `{to}` (the number in international form without
   * `+`, e.g. 254712345678), `{text}`, `{from}` (config.from), `{message_id}` (our message id),
   * `{idempotency_key}` (stable across retries).
   */
  params: Type.Optional(Type.Record(Name, Type.String({ maxLength: 2000 }))),
  /** How POST parameters travel; default `form` (application/x-www-form-urlencoded). */
  body_format: Type.Optional(Type.Enum(['form', 'json'], { default: 'form' })),
  /** Extra request headers, sent as written (no placeholders). */
  headers: Type.Optional(Type.Record(Name, Type.String({ maxLength: 2000 }))),
  /** Statuses that mean the gateway took the message; default any 2xx. */
  success_statuses: Type.Optional(
    Type.Array(Type.Integer({ minimum: 100, maximum: 599 }), { minItems: 1, uniqueItems: true }),
  ),
  /** A success response must contain this text, or the message is rejected (e.g. `"status":"OK"`). */
  success_body_contains: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
  /** Where the provider's message id is in a JSON response: `id`, `data.id`, `messages[0].id`. */
  message_id_path: Type.Optional(
    Type.String({
      pattern: '^([A-Za-z_$][\\w$-]*|\\[\\d+\\])(\\.[A-Za-z_$][\\w$-]*|\\[\\d+\\])*$',
      errorMessage: 'must be a path such as data.id or messages[0].id',
    }),
  ),
  /** The sender id or number for `{from}`. */
  from: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  /** Time the gateway has to answer, in ms; default 10000. */
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000, default: DEFAULT_HTTP_TIMEOUT_MS })),
  /** Names of params or headers whose values are secrets: never stored in attempt traces. */
  secret_params: Type.Optional(Type.Array(Name, { uniqueItems: true })),
});
export type HttpConfig = Static<typeof HttpConfig>;

/** An `http` gateway's configuration with its defaults filled in. */
export type HttpSettings = HttpConfig &
  Required<
    Pick<HttpConfig, 'method' | 'params' | 'body_format' | 'headers' | 'timeout_ms' | 'secret_params'>
  >;

/** Checks a gateway's `config` for type `http`; throws an InputError naming the field (`config.url`). */
export function parseHttpConfig(config: unknown): HttpSettings {
  const parsed = parseInput(HttpConfig, config, 'config');
  const settings: HttpSettings = {
    ...parsed,
    method: parsed.method ?? 'POST',
    params: parsed.params ?? {},
    body_format: parsed.body_format ?? 'form',
    headers: parsed.headers ?? {},
    timeout_ms: parsed.timeout_ms ?? DEFAULT_HTTP_TIMEOUT_MS,
    secret_params: parsed.secret_params ?? [],
  };
  for (const [name, template] of Object.entries(settings.params)) {
    const field = joinPath('config.params', name);
    for (const placeholder of placeholdersOf(template)) {
      if (!(PLACEHOLDERS as readonly string[]).includes(placeholder)) {
        throw new InputError(
          field,
          `unknown placeholder {${placeholder}}; use ${PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}`,
        );
      }
      if (placeholder === 'from' && settings.from === undefined) {
        throw new InputError(field, 'uses {from} but config.from is not set');
      }
    }
  }
  for (const [index, name] of settings.secret_params.entries()) {
    if (
      !Object.hasOwn(settings.params, name) &&
      !Object.keys(settings.headers).some((h) => h.toLowerCase() === name.toLowerCase())
    ) {
      throw new InputError(`config.secret_params[${index}]`, `names no parameter or header '${name}'`);
    }
  }
  return settings;
}

/** The secret strings of an `http` gateway: secret params and headers, and a password in the URL. */
export function secretsOf(config: HttpSettings): string[] {
  const secretNames = new Set(config.secret_params.map((name) => name.toLowerCase()));
  const secrets: string[] = [];
  for (const [name, value] of Object.entries(config.params)) {
    if (config.secret_params.includes(name)) secrets.push(value);
  }
  for (const [name, value] of Object.entries(config.headers)) {
    if (secretNames.has(name.toLowerCase())) secrets.push(value);
  }
  const password = new URL(config.url).password;
  if (password !== '') secrets.push(password, decodeURIComponent(password));
  return secrets;
}

export function createHttpAdapter(options: { clock?: Clock } = {}): GatewayAdapter {
  const clock = options.clock ?? systemClock;
  return {
    async send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome> {
      let config: HttpSettings;
      try {
        config = parseHttpConfig(gateway.config);
      } catch (error) {
        if (error instanceof InputError)
          return { kind: 'rejected', detail: `the gateway's configuration is invalid: ${error.describe()}` };
        throw error;
      }
      const values: Record<Placeholder, string> = {
        to: sms.to.replace(/^\+/, ''),
        text: sms.text,
        from: config.from ?? '',
        message_id: String(sms.messageId),
        idempotency_key: sms.idempotencyKey,
      };
      const params: Record<string, string> = {};
      for (const [name, template] of Object.entries(config.params)) params[name] = render(template, values);
      // A secret param may be a template ("Bearer {x}" is unlikely, but its rendered value is what travels).
      const secrets = [...secretsOf(config), ...config.secret_params.flatMap((name) => params[name] ?? [])];
      return exchange(buildRequest(config, params, sms.idempotencyKey), config.timeout_ms, {
        secrets,
        successStatuses: config.success_statuses,
        readSuccess: (response) => readSuccess(config, response),
        now: () => clock.now(),
      });
    },
  };
}

function buildRequest(
  config: HttpSettings,
  params: Record<string, string>,
  idempotencyKey: string,
): HttpRequest {
  const url = new URL(config.url);
  const headers: Record<string, string> = {};
  // fetch refuses URLs with credentials: they become a basic Authorization header.
  if (url.username !== '' || url.password !== '') {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  Object.assign(headers, config.headers);
  headers['Idempotency-Key'] = idempotencyKey;
  if (config.method === 'GET') {
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
    return { method: 'GET', url: url.toString(), headers, body: null };
  }
  const json = config.body_format === 'json';
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  const body = json ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return { method: 'POST', url: url.toString(), headers, body };
}

function readSuccess(config: HttpSettings, response: HttpResponse): SuccessReading {
  const expected = config.success_body_contains;
  if (expected !== undefined && !response.body.includes(expected)) {
    const body = response.body.replace(/\s+/g, ' ').trim();
    return {
      failure: `HTTP ${response.status} without '${expected}' in the response: ${body.slice(0, 300) || '(empty body)'}`,
    };
  }
  if (config.message_id_path === undefined) return { providerMessageId: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    // The gateway said yes; a missing id only costs us delivery-report matching.
    return { providerMessageId: null };
  }
  const found = valueAt(parsed, config.message_id_path);
  return { providerMessageId: typeof found === 'string' || typeof found === 'number' ? String(found) : null };
}

function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
}

function render(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as Placeholder] : whole,
  );
}

/** The `http` type: a generic aggregator; inbound through the gateway's inbound secret. */
export const httpType = smsGatewayType<HttpSettings>({
  name: 'http',
  label: 'HTTP (a generic aggregator API)',
  config: HttpConfig,
  parseConfig: parseHttpConfig,
  secretsOf,
  createAdapter: ({ clock }) => createHttpAdapter({ clock }),
  webhooks: secretWebhooks,
});
