// The generic `http` gateway's configuration (SPEC 3.6): the request per SMS (URL, method,
// parameters from templates, headers), how its answer is read, the text's encoding for
// non-GSM text, and the names of the fields of its inbound and status webhooks.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Strict } from '../../lib/schema.ts';
import { InputError, joinPath, parseInput } from '../../lib/input.ts';

/**
 * The placeholders a parameter template may use: `{coding}` and `{charset}` say how `{text}`
 * is encoded (config.coding_values, config.charset); `{status_url}` is the gateway's status
 * webhook with its inbound secret, for aggregators that take a delivery-report address.
 */
export const PLACEHOLDERS = [
  'to',
  'text',
  'from',
  'message_id',
  'idempotency_key',
  'coding',
  'charset',
  'status_url',
] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

const Field = Type.String({ minLength: 1, maxLength: 200 });

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
  /** `{coding}` for GSM-7 text and for other text; default `{"gsm": "0", "unicode": "2"}` (Kannel's). */
  coding_values: Type.Optional(
    Strict({ gsm: Type.String({ maxLength: 20 }), unicode: Type.String({ maxLength: 20 }) }),
  ),
  /**
   * How `{text}` carries text that GSM-7 cannot: `utf-8` (default, `{charset}` is `UTF-8`) or
   * `ucs-2-hex` (UTF-16BE bytes in hex, as many aggregators' "unicode" mode wants; `{charset}`
   * is `UCS-2`). GSM-7 text always travels as UTF-8.
   */
  charset: Type.Optional(Type.Enum(['utf-8', 'ucs-2-hex'], { default: 'utf-8' })),
  /**
   * Whose id delivery reports name: `response` (default: the id at message_id_path) or
   * `message_id` (our id, when the aggregator echoes `{message_id}` from the send).
   */
  report_id: Type.Optional(Type.Enum(['response', 'message_id'], { default: 'response' })),
  /** The inbound webhook's field names: query, form or JSON fields, `header:<Name>`, or `body`. */
  inbound_fields: Type.Optional(Strict({ from: Field, text: Field, id: Type.Optional(Field) })),
  /** The status webhook's field names: the id the report names, its status, its words; default
   *  `message_id`, `status` and `detail`. */
  status_fields: Type.Optional(Strict({ id: Field, status: Field, detail: Type.Optional(Field) })),
  /**
   * A status value → `delivered` or `error`; values not listed change nothing (queued, sent).
   * Default: DELIVRD, delivered, DELIVERED, success, 1 → delivered; UNDELIV, REJECTD, EXPIRED,
   * failed, FAILED, undelivered, 2, 16 → error.
   */
  status_values: Type.Optional(
    Type.Record(Type.String({ minLength: 1, maxLength: 100 }), Type.Enum(['delivered', 'error'])),
  ),
});
export type HttpConfig = Static<typeof HttpConfig>;

/** An `http` gateway's configuration with its defaults filled in. */
export type HttpSettings = HttpConfig &
  Required<
    Pick<HttpConfig, 'method' | 'params' | 'body_format' | 'headers' | 'timeout_ms' | 'secret_params'>
  >;

/** Status words aggregators commonly use (SMPP receipt states, Kannel's DLR values). */
export const DEFAULT_STATUS_VALUES: Record<string, 'delivered' | 'error'> = {
  DELIVRD: 'delivered',
  delivered: 'delivered',
  DELIVERED: 'delivered',
  success: 'delivered',
  '1': 'delivered',
  UNDELIV: 'error',
  REJECTD: 'error',
  EXPIRED: 'error',
  failed: 'error',
  FAILED: 'error',
  undelivered: 'error',
  '2': 'error',
  '16': 'error',
};

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

function placeholdersOf(template: string): string[] {
  return [...template.matchAll(/\{([^{}]*)\}/g)].map((match) => match[1] ?? '');
}
