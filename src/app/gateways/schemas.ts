// The request schema of a gateway (SPEC 3.2, 3.6). Its `type` is one of the registry's SMS
// gateway types, so the schema is built from their names (the catalog main.ts hands over).
import Type from 'typebox';
import type { Static } from 'typebox';
import { Id, Strict } from '../../lib/schema.ts';

/** SPEC 7 Bounds: at most a million messages a minute, a week between attempts. */
const MAX_RATE_LIMIT = 1_000_000;
const MAX_RETRY_MINUTES = 7 * 24 * 60;

/** The shortest inbound secret the API and the console accept (issue #14). */
export const MIN_INBOUND_SECRET = 16;

const bodies = new Map<string, ReturnType<typeof build>>();

/** A gateway (SPEC 3.2, 3.6) of one of these types; absent fields keep their value. The same
 *  names give the same schema object, so its compiled validator is reused. */
export function gatewayBody(typeNames: readonly string[]) {
  const key = typeNames.join(',');
  let body = bodies.get(key);
  if (body === undefined) {
    body = build(typeNames);
    bodies.set(key, body);
  }
  return body;
}

const build = (typeNames: readonly string[]) =>
  Strict({
    /** The owning project; absent: a global gateway. */
    project: Type.Optional(Id),
    /** Default `test`. */
    type: Type.Optional(Type.Enum([...typeNames])),
    name: Type.Optional(Id),
    default: Type.Optional(Type.Boolean()),
    prefixes: Type.Optional(
      Type.Array(
        Type.String({ pattern: '^\\d{1,15}$', errorMessage: 'must be a prefix of 1 to 15 digits' }),
        {
          uniqueItems: true,
        },
      ),
    ),
    /** Projects that may name this gateway. */
    shared_with: Type.Optional(Type.Array(Id, { uniqueItems: true })),
    /** Messages per minute through this gateway, 1…1,000,000 (SPEC 7 Bounds). */
    rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RATE_LIMIT })),
    /** Replace the default opt-out words (STOP, …). */
    opt_out_keywords: Type.Optional(Type.Array(Id)),
    /** Replace the default opt-in words (START, UNSTOP). */
    opt_in_keywords: Type.Optional(Type.Array(Id)),
    /** Attempts in all; default 3. */
    max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
    /** Minutes between attempts; default 5. */
    retry_minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: MAX_RETRY_MINUTES })),
    /** The gateway type's own settings (validated by the gateway's config schema). */
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    /** A global gateway's country (ISO 3166 alpha-2) for national sender numbers; null clears it. */
    default_country: Type.Optional(
      Type.Union([
        Type.String({
          pattern: '^[A-Za-z]{2}$',
          errorMessage: 'must be a two-letter country code such as KE',
        }),
        Type.Null(),
      ]),
    ),
    /** The secret inbound webhooks must carry: at least 16 characters (generated when a new
     *  gateway has none). */
    inbound_secret: Type.Optional(
      Type.String({
        minLength: MIN_INBOUND_SECRET,
        maxLength: 1000,
        errorMessage: `must be ${MIN_INBOUND_SECRET} to 1000 characters (a random one is generated when none is given)`,
      }),
    ),
  });
export type GatewayBody = Static<ReturnType<typeof build>>;
