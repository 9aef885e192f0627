// Schema building blocks: one TypeBox schema per input gives validation (input.ts), the
// TypeScript type (Static) and the OpenAPI document. Every object rejects unknown fields.
//
// Constraints that plain JSON Schema cannot state (a real calendar date, a compiling regular
// expression, a known time zone) are TypeBox refinements: they are checked by the validator
// but are invisible in the OpenAPI document, where the `description` says them in words.
// `errorMessage` (the ajv-errors convention) is the operator-facing text for a value that
// breaks a pattern or type; input.ts uses it.
import Type from 'typebox';
import type { Static, TObject, TProperties, TRefinement } from 'typebox';

const strict = { additionalProperties: false } as const;

/** A strict object: unknown fields are errors. */
export function Strict<P extends TProperties>(
  properties: P,
  options: Record<string, unknown> = {},
): TObject<P> {
  return Type.Object(properties, { ...strict, ...options });
}

/**
 * `base` with more fields in front, keeping its options (`additionalProperties: false` and any
 * `oneOf`) and its refinements: how a step `{project, id, ...body}` or an API body with path
 * parameters is built from a body schema without writing its fields twice.
 */
export function withFields<P extends TProperties, B extends TProperties>(
  fields: P,
  base: TObject<B>,
): TObject<P & B> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(base)) {
    if (key !== 'type' && key !== 'properties' && key !== 'required') options[key] = value;
  }
  let object = Type.Object({ ...fields, ...base.properties }, options);
  // Refinements are a hidden (non-enumerable) key: carry them over by hand.
  const refinements = (base as { '~refine'?: readonly TRefinement[] })['~refine'] ?? [];
  for (const { check, error } of refinements) object = Type.Refine(object, check, error);
  return object;
}

/** Object option for "exactly one of these fields" (a JSON Schema `oneOf` of `required`s). */
export function exactlyOneOf(...fields: string[]): { oneOf: { required: string[] }[] } {
  return { oneOf: fields.map((field) => ({ required: [field] })) };
}

// ---------------------------------------------------------------------------------------------
// Building blocks

/** Free text (message text, property values, names): at most 10,000 characters (SPEC 7 Bounds). */
export const MAX_TEXT_LENGTH = 10_000;
/** Ids (projects, cases, gateways, …) and other short names: 1 to 200 characters. */
export const MAX_ID_LENGTH = 200;

/** An id or a short name: non-empty, at most 200 characters. */
export const Id = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH });
export type Id = Static<typeof Id>;

/** Free text, possibly empty, at most 10,000 characters. */
export const FreeText = Type.String({ maxLength: MAX_TEXT_LENGTH });
export type FreeText = Static<typeof FreeText>;

const LOCAL_TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
/** A wall-clock time `HH:MM`, 24-hour. */
export const LocalTime = Type.String({
  pattern: LOCAL_TIME_PATTERN,
  description: 'a local time HH:MM (24-hour)',
  errorMessage: 'must be a time HH:MM',
});
export type LocalTime = Static<typeof LocalTime>;

/** Dates and instants in the API lie in the years 1900…2200 (SPEC 7 Bounds): wide enough for
 *  any birth date or schedule, narrow enough that date arithmetic and both databases hold them. */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 2200;
const YEARS = `years ${MIN_YEAR} to ${MAX_YEAR}`;

/** True when a calendar year lies in the API's range. */
export function inYearRange(year: number): boolean {
  return year >= MIN_YEAR && year <= MAX_YEAR;
}

const INSTANT_PATTERN =
  '^(\\d{4})-(\\d{2})-(\\d{2})T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):?[0-5]\\d)$';
const instantPattern = new RegExp(INSTANT_PATTERN);
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z';

/** True for an ISO 8601 instant with `Z` or an offset whose date exists in the calendar, in the
 *  years 1900…2200. */
export function isInstant(value: string): boolean {
  const match = instantPattern.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  // Date.parse rolls 2026-02-30 over to March: check the calendar date by hand.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (!inYearRange(year)) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO 8601 instant with `Z` or an offset (`2026-01-05T08:00:00Z`, `...+03:00`), 1900…2200. */
export const Instant = Type.Refine(
  Type.String({
    pattern: INSTANT_PATTERN,
    description: `an ISO 8601 instant with Z or an offset, in the ${YEARS}`,
    errorMessage: INSTANT_MESSAGE,
  }),
  isInstant,
  (value) =>
    instantPattern.test(value) && isInstant(value.replace(/^\d{4}/, '2000'))
      ? `must be in the ${YEARS}`
      : INSTANT_MESSAGE,
);
export type Instant = Static<typeof Instant>;

/** True when the runtime knows `zone` as an IANA time zone name. */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** An IANA time zone name that the runtime knows (`Africa/Nairobi`). */
export const TimeZone = Type.Refine(
  Type.String({
    minLength: 1,
    maxLength: MAX_ID_LENGTH,
    description: 'an IANA time zone name such as Africa/Nairobi',
  }),
  isTimeZone,
  () => 'must be an IANA time zone name such as Africa/Nairobi',
);

/** True when `pattern` compiles as a JavaScript regular expression (no flags). */
export function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** Why a pattern does not compile as a JavaScript regular expression. */
export function regexProblem(pattern: string): string {
  try {
    new RegExp(pattern);
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/**
 * The body of a PATCH: every field of `schema` optional, unknown fields still refused. Nested
 * schemas stay whole (a given `schedule` replaces the stored one); the merged object is then
 * checked against `schema` itself, refinements included.
 */
export function patchOf<P extends TProperties>(schema: TObject<P>, description: string) {
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, field]) => [name, Type.Optional(field)]),
  );
  return Type.Object(properties, { ...strict, description }) as unknown as ReturnType<
    typeof Type.Partial<TObject<P>>
  >;
}
