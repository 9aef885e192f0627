// The settings of a project (SPEC 2.4, 3.3, 5; the `project` conformance step): its time zone,
// languages, sending windows and limits, registration and system texts.
import Type from 'typebox';
import type { Static } from 'typebox';
import { FreeText, Id, LocalTime, Strict, TimeZone } from '../lib/schema.ts';
import { Language, Translations } from './content.ts';

/** A sending window (SPEC 3.3): `day` 0..6 with Monday = 0, or -1 for every day. */
export const RestrictedTime = Strict({
  day: Type.Integer({ minimum: -1, maximum: 6, description: '0..6, Monday = 0; -1: every day' }),
  start: LocalTime,
  end: LocalTime,
});
export type RestrictedTime = Static<typeof RestrictedTime>;

/** Project system texts (SPEC 5), each language → text. */
export const SystemTexts = Strict({
  verification_request: Type.Optional(Translations),
  verification_done: Type.Optional(Translations),
  opted_out: Type.Optional(Translations),
  opted_in: Type.Optional(Translations),
  unknown_command: Type.Optional(Translations),
  registration_welcome: Type.Optional(Translations),
  answer_required: Type.Optional(Translations),
  answer_int: Type.Optional(Translations),
  answer_decimal: Type.Optional(Translations),
  answer_date: Type.Optional(Translations),
  answer_time: Type.Optional(Translations),
  answer_choice: Type.Optional(Translations),
  answer_range: Type.Optional(Translations),
  /** A structured keyword's field error: `{field}` the property, `{error}` the answer error. */
  field_error: Type.Optional(Translations),
});
export type SystemTexts = Static<typeof SystemTexts>;

/** The settings of a project (everything but its id); absent fields keep their value. */
export const ProjectSettings = Strict({
  time_zone: Type.Optional(TimeZone),
  default_language: Type.Optional(Language),
  /** The languages the project writes in: the console offers a text field for each. */
  languages: Type.Optional(Type.Array(Language, { maxItems: 50, uniqueItems: true })),
  /** Default `untranslated`. */
  language_fallback: Type.Optional(Type.Enum(['none', 'message', 'project', 'untranslated'])),
  /** Default `block`. */
  shared_numbers: Type.Optional(Type.Enum(['block', 'one_way'])),
  /** An empty list means no restriction. */
  restricted_times: Type.Optional(Type.Array(RestrictedTime)),
  /** SMS per project-local day; default 50,000. */
  daily_sms_limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  /** ISO 3166 alpha-2. */
  default_country: Type.Optional(
    Type.String({ pattern: '^[A-Za-z]{2}$', errorMessage: 'must be a two-letter country code such as KE' }),
  ),
  /** Default `123`. */
  verification_code: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  /** `null` removes it. */
  default_reply: Type.Optional(Type.Union([FreeText, Type.Null()])),
  allow_case_registration: Type.Optional(Type.Boolean()),
  allow_worker_registration: Type.Optional(Type.Boolean()),
  /** Default `contact`. */
  registration_case_type: Type.Optional(Id),
  /** Default true. */
  normalize_text: Type.Optional(Type.Boolean()),
  texts: Type.Optional(SystemTexts),
  /** The sender of the project's e-mail (`Clinic <clinic@example.org>`); default SMTP_FROM. */
  email_from: Type.Optional(Type.Union([Type.String({ minLength: 3, maxLength: 320 }), Type.Null()])),
});
export type ProjectSettings = Static<typeof ProjectSettings>;
