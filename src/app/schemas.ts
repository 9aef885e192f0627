// Input schemas: one TypeBox schema per input gives validation (validation.ts), the TypeScript
// type (Static) and the OpenAPI document. The HTTP API bodies and the conformance steps
// (shared/conformance/FORMAT.md) use the same field names, so the scenario parser composes its
// steps from these bodies. Every object rejects unknown fields.
//
// Constraints that plain JSON Schema cannot state (a real calendar date, a compiling regular
// expression, a known time zone) are TypeBox refinements: they are checked by the validator
// but are invisible in the OpenAPI document, where the `description` says them in words.
// `errorMessage` (the ajv-errors convention) is the operator-facing text for a value that
// breaks a pattern or type; validation.ts uses it.
import Type from 'typebox';
import type { Static, TObject, TProperties, TRefinement } from 'typebox';
import { parseLocalDate } from '../domain/schedule.ts';

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

/** Free text (message text, property values, names): at most 64 Ki characters. */
export const MAX_TEXT_LENGTH = 65_536;
/** Ids (projects, cases, gateways, …) and other short names: 1 to 200 characters. */
export const MAX_ID_LENGTH = 200;

/** An id or a short name: non-empty, at most 200 characters. */
export const Id = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH });
export type Id = Static<typeof Id>;

/** Free text, possibly empty, at most 64 Ki characters. */
export const FreeText = Type.String({ maxLength: MAX_TEXT_LENGTH });
export type FreeText = Static<typeof FreeText>;

/** A phone number as typed, in any form SPEC 2.1 accepts (normalised by the domain). */
export const PhoneNumber = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH });
export type PhoneNumber = Static<typeof PhoneNumber>;

/** A language code (`en`, `hin`, …); in translations `*` is the untranslated text. */
export const Language = Id;

/** Language → text. `*` is the untranslated text; blank texts count as missing (SPEC 2.4). */
export const Translations = Type.Record(Type.String(), FreeText, {
  propertyNames: { minLength: 1, maxLength: MAX_ID_LENGTH },
});
export type Translations = Static<typeof Translations>;

const LOCAL_TIME_PATTERN = '^([01]\\d|2[0-3]):[0-5]\\d$';
/** A wall-clock time `HH:MM`, 24-hour. */
export const LocalTime = Type.String({
  pattern: LOCAL_TIME_PATTERN,
  description: 'a local time HH:MM (24-hour)',
  errorMessage: 'must be a time HH:MM',
});
export type LocalTime = Static<typeof LocalTime>;

const INSTANT_PATTERN =
  '^(\\d{4})-(\\d{2})-(\\d{2})T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?(Z|[+-]([01]\\d|2[0-3]):?[0-5]\\d)$';
const instantPattern = new RegExp(INSTANT_PATTERN);
const INSTANT_MESSAGE = 'must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z';

/** True for an ISO 8601 instant with `Z` or an offset whose date exists in the calendar. */
export function isInstant(value: string): boolean {
  const match = instantPattern.exec(value);
  if (!match || Number.isNaN(Date.parse(value))) return false;
  // Date.parse rolls 2026-02-30 over to March: check the calendar date by hand.
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** An ISO 8601 instant with `Z` or an offset (`2026-01-05T08:00:00Z`, `...+03:00`). */
export const Instant = Type.Refine(
  Type.String({
    pattern: INSTANT_PATTERN,
    description: 'an ISO 8601 instant with Z or an offset',
    errorMessage: INSTANT_MESSAGE,
  }),
  isInstant,
  () => INSTANT_MESSAGE,
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

// ---------------------------------------------------------------------------------------------
// Projects

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
});
export type SystemTexts = Static<typeof SystemTexts>;

/** The settings of a project (everything but its id); absent fields keep their value. */
export const ProjectSettings = Strict({
  time_zone: Type.Optional(TimeZone),
  default_language: Type.Optional(Language),
  /** Default `untranslated`. */
  language_fallback: Type.Optional(Type.Enum(['none', 'message', 'project', 'untranslated'])),
  /** Default `block`. */
  shared_numbers: Type.Optional(Type.Enum(['block', 'one_way'])),
  /** An empty list means no restriction. */
  restricted_times: Type.Optional(Type.Array(RestrictedTime)),
  /** SMS per project-local day; default 50,000. */
  daily_sms_limit: Type.Optional(Type.Integer({ minimum: 0 })),
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

// ---------------------------------------------------------------------------------------------
// Gateways

/** A gateway (SPEC 3.2, 3.6); absent fields keep their value. */
export const GatewayBody = Strict({
  /** The owning project; absent: a global gateway. */
  project: Type.Optional(Id),
  /** Default `test`. */
  type: Type.Optional(Type.Enum(['test', 'http', 'twilio'])),
  name: Type.Optional(Id),
  default: Type.Optional(Type.Boolean()),
  prefixes: Type.Optional(
    Type.Array(Type.String({ pattern: '^\\d{1,15}$', errorMessage: 'must be a prefix of 1 to 15 digits' }), {
      uniqueItems: true,
    }),
  ),
  /** Projects that may name this gateway. */
  shared_with: Type.Optional(Type.Array(Id, { uniqueItems: true })),
  rate_limit_per_minute: Type.Optional(Type.Integer({ minimum: 1 })),
  /** Replace the default opt-out words (STOP, …). */
  opt_out_keywords: Type.Optional(Type.Array(Id)),
  /** Replace the default opt-in words (START, UNSTOP). */
  opt_in_keywords: Type.Optional(Type.Array(Id)),
  /** Attempts in all; default 3. */
  max_attempts: Type.Optional(Type.Integer({ minimum: 1, maximum: 20 })),
  /** Minutes between attempts; default 5. */
  retry_minutes: Type.Optional(Type.Number({ exclusiveMinimum: 0 })),
  /** The gateway type's own settings (validated by the gateway's config schema). */
  config: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  /** The secret inbound webhooks must carry. */
  inbound_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 1000 })),
});
export type GatewayBody = Static<typeof GatewayBody>;

// ---------------------------------------------------------------------------------------------
// Contacts

/** Case properties: strings; `null` removes a property. */
export const CaseProperties = Type.Record(Type.String(), Type.Union([FreeText, Type.Null()]), {
  propertyNames: { minLength: 1, maxLength: MAX_ID_LENGTH },
});
export type CaseProperties = Static<typeof CaseProperties>;

/** A case upsert: given properties are merged into the case. */
export const CaseBody = Strict({
  /** Default `patient`. */
  type: Type.Optional(Id),
  name: Type.Optional(FreeText),
  /** The owner's id (a mobile worker); empty: no owner. */
  owner: Type.Optional(Type.String({ maxLength: MAX_ID_LENGTH })),
  closed: Type.Optional(Type.Boolean()),
  deleted: Type.Optional(Type.Boolean()),
  properties: Type.Optional(CaseProperties),
  /** Default: now. An update older than the last one applied is ignored. */
  server_modified_on: Type.Optional(Instant),
});
export type CaseBody = Static<typeof CaseBody>;

/** A mobile worker upsert; `null` clears email, language or time_zone. */
export const MobileWorkerBody = Strict({
  username: Type.Optional(Id),
  name: Type.Optional(FreeText),
  /** The first is the default number. Kept as typed; invalid ones show in the status. */
  phone_numbers: Type.Optional(Type.Array(Type.String({ maxLength: MAX_ID_LENGTH }))),
  email: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  language: Type.Optional(Type.Union([Language, Type.Null()])),
  /** An invalid zone is a warning on the worker, not an input error (SPEC 2.4). */
  time_zone: Type.Optional(Type.Union([Type.String({ maxLength: MAX_ID_LENGTH }), Type.Null()])),
  active: Type.Optional(Type.Boolean()),
});
export type MobileWorkerBody = Static<typeof MobileWorkerBody>;

/** Whom a message goes to: exactly one of a case, a mobile worker or a bare number. */
export const Recipient = Type.Union([
  Strict({ case: Id }),
  Strict({ mobile_worker: Id }),
  Strict({ phone: PhoneNumber }),
]);
export type Recipient = Static<typeof Recipient>;

/** A broadcast may also name a group: every member of a group of cases or of mobile workers. */
export const BroadcastRecipient = Type.Union([...Recipient.anyOf, Strict({ group: Id })]);
export type BroadcastRecipient = Static<typeof BroadcastRecipient>;

// ---------------------------------------------------------------------------------------------
// Content and sending

/** Default `sms`. */
export const Channel = Type.Enum(['sms', 'email']);
export type Channel = Static<typeof Channel>;

/** Exactly one of `text` or `translations` (the schema's `oneOf` enforces it). */
export const Reply = Strict(
  {
    text: Type.Optional(FreeText),
    translations: Type.Optional(Translations),
  },
  exactlyOneOf('text', 'translations'),
);
export type Reply = Static<typeof Reply>;

/** What an alert or broadcast sends: exactly one of `text`, `translations` or `survey`. */
export const Content = Strict(
  {
    channel: Type.Optional(Channel),
    text: Type.Optional(FreeText),
    translations: Type.Optional(Translations),
    /** E-mail only; blank becomes `(No Subject)`. */
    subject: Type.Optional(FreeText),
    /** Starts this SMS survey with each recipient (it needs a two-way number). */
    survey: Type.Optional(Id),
  },
  exactlyOneOf('text', 'translations', 'survey'),
);
export type Content = Static<typeof Content>;

/** One message, queued now: exactly one of `text` or `translations`. */
export const SendBody = Strict(
  {
    to: Recipient,
    channel: Type.Optional(Channel),
    text: Type.Optional(FreeText),
    translations: Type.Optional(Translations),
    subject: Type.Optional(FreeText),
    default_language: Type.Optional(Language),
  },
  exactlyOneOf('text', 'translations'),
);
export type SendBody = Static<typeof SendBody>;

// ---------------------------------------------------------------------------------------------
// Schedules, alerts, broadcasts

const CALENDAR_DATE_MESSAGE = 'must be a date YYYY-MM-DD';
/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const CalendarDate = Type.Refine(
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'a calendar date YYYY-MM-DD',
    errorMessage: CALENDAR_DATE_MESSAGE,
  }),
  (value) => parseLocalDate(value) !== null,
  (value) => `must be a date that exists in the calendar ('${value}' does not)`,
);
export type CalendarDate = Static<typeof CalendarDate>;

/** A random instant in [start, end), recipient-local; an end before the start is on the next day. */
export const TimeWindow = Type.Refine(
  Strict(
    { start: LocalTime, end: LocalTime },
    { description: 'a random instant from start to end; an end before the start is on the next day' },
  ),
  (window) => window.start !== window.end,
  () => 'end must differ from start',
);
export type TimeWindow = Static<typeof TimeWindow>;

/** Where every schedule type starts and stops (the case properties are for alerts). */
const scheduleStart = {
  /** A case property holding `YYYY-MM-DD`: the schedule starts that day; blank or not a date: the instance is removed. */
  start_property: Type.Optional(Id),
  /** Days after the start date (negative: before); default 0. */
  start_offset_days: Type.Optional(Type.Integer()),
  /** A fixed start date; not together with `start_property`. */
  start_date: Type.Optional(CalendarDate),
  /** A case property holding `YYYY-MM-DD`: no event at or after 00:00 of that date. */
  stop_property: Type.Optional(Id),
  /** A case property: whenever its value changes the schedule restarts. */
  restart_property: Type.Optional(Id),
};

/** The time of day of a daily, weekly or monthly event: exactly one of the three. */
const timeOfDay = {
  /** `HH:MM`, recipient-local. */
  time: Type.Optional(LocalTime),
  /** A random time in a window, the same each time it is computed for that date. */
  time_window: Type.Optional(TimeWindow),
  /** A case property holding `HH:MM`; blank or invalid: no event. */
  time_property: Type.Optional(Id),
};
const oneTimeOfDay = exactlyOneOf('time', 'time_window', 'time_property');

/** A schedule object that refuses `start_property` together with `start_date`. */
function oneStart<T extends TObject>(schema: T) {
  return Type.Refine(
    schema,
    (value) =>
      !(Object.hasOwn(value as object, 'start_property') && Object.hasOwn(value as object, 'start_date')),
    () => 'must not have both start_property and start_date',
  );
}

/** Fires once, `delay_minutes` (default 0) after the instance starts. */
export const ImmediateSchedule = oneStart(
  Strict({
    type: Type.Literal('immediate'),
    delay_minutes: Type.Optional(Type.Integer({ minimum: 0 })),
    ...scheduleStart,
  }),
);
/** Every `every` (default 1) days from the start date, recipient-local; `occurrences` absent: never stops. */
export const DailySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('daily'),
      ...timeOfDay,
      every: Type.Optional(Type.Integer({ minimum: 1 })),
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
export const Weekday = Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = Static<typeof Weekday>;
/** On the given days on or after the start date, recipient-local; each firing is one occurrence. */
export const WeeklySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('weekly'),
      days: Type.Array(Weekday, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
/** A day of the month: 1..28, `last` or `second_last`. */
export const MonthDay = Type.Union([
  Type.Integer({ minimum: 1, maximum: 28 }),
  Type.Enum(['last', 'second_last']),
]);
export type MonthDay = Static<typeof MonthDay>;
/** On the given days of each month; a date named twice (28 and `last` in February) fires once. */
export const MonthlySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('monthly'),
      days: Type.Array(MonthDay, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
export const Schedule = Type.Union([ImmediateSchedule, DailySchedule, WeeklySchedule, MonthlySchedule]);
export type Schedule = Static<typeof Schedule>;

/** True when `pattern` compiles as a JavaScript regular expression (no flags). */
export function isRegex(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

/** A rule on one case property; `value` only with the ops that compare (a `regex` must compile). */
export const Criterion = Type.Union([
  Strict({ property: Id, op: Type.Enum(['equals', 'not_equals']), value: FreeText }),
  Strict({
    property: Id,
    op: Type.Literal('regex'),
    value: Type.Refine(
      Type.String({ maxLength: 1000, description: 'a JavaScript regular expression' }),
      isRegex,
      (pattern) => `must be a valid regular expression (${regexProblem(pattern)})`,
    ),
  }),
  Strict({ property: Id, op: Type.Enum(['has_value', 'has_no_value']) }),
]);
export type Criterion = Static<typeof Criterion>;

function regexProblem(pattern: string): string {
  try {
    new RegExp(pattern);
    return 'no error';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** A conditional alert on one case type (SPEC 4). */
export const AlertBody = Strict({
  case_type: Id,
  criteria: Type.Array(Criterion),
  /** Default `all`. */
  match: Type.Optional(Type.Enum(['all', 'any'])),
  /** Default `["case"]`. */
  recipients: Type.Optional(Type.Array(Type.Enum(['case', 'owner']), { minItems: 1, uniqueItems: true })),
  schedule: Schedule,
  content: Content,
  default_language: Type.Optional(Language),
  /** Default true. */
  active: Type.Optional(Type.Boolean()),
});
export type AlertBody = Static<typeof AlertBody>;

/** A group of cases or of mobile workers (PUT .../groups/{id}). */
export const GroupBody = Strict({
  kind: Type.Enum(['case', 'mobile_worker']),
  name: Type.Optional(Type.Union([FreeText, Type.Null()])),
  members: Type.Array(Id, { maxItems: 100_000 }),
});
export type GroupBody = Static<typeof GroupBody>;

/** A broadcast to a list of recipients. */
export const BroadcastBody = Strict({
  recipients: Type.Array(BroadcastRecipient, { minItems: 1 }),
  schedule: Schedule,
  content: Content,
  default_language: Type.Optional(Language),
});
export type BroadcastBody = Static<typeof BroadcastBody>;

/** What a keyword does; default `reply`. */
export const KeywordAction = Type.Enum(['reply', 'survey', 'notify_owner']);
export type KeywordAction = Static<typeof KeywordAction>;

/** The problem with a keyword's action and its fields, or undefined when they agree. */
function keywordProblem(keyword: {
  action?: KeywordAction;
  reply?: unknown;
  survey?: string;
  notify_text?: unknown;
}): string | undefined {
  const action = keyword.action ?? 'reply';
  if (action === 'reply' && keyword.reply === undefined) return "'reply' is required when action is 'reply'";
  if (action === 'survey' && keyword.survey === undefined)
    return "'survey' is required when action is 'survey'";
  if (action !== 'survey' && keyword.survey !== undefined) return "'survey' is only for action 'survey'";
  if (action === 'notify_owner' && keyword.notify_text === undefined) {
    return "'notify_text' is required when action is 'notify_owner'";
  }
  if (action !== 'notify_owner' && keyword.notify_text !== undefined) {
    return "'notify_text' is only for action 'notify_owner'";
  }
  return undefined;
}

/**
 * A project keyword (the first word of an inbound SMS, case-insensitive; SPEC 5 step 4).
 * `action` `reply` (the default) needs `reply`; `survey` needs `survey` and starts it for the
 * sender; `notify_owner` needs `notify_text`, sent to the owner of the sending case. With
 * `survey` or `notify_owner`, a `reply` is also sent to the sender (before the survey's first
 * question).
 */
export const KeywordBody = Type.Refine(
  Strict(
    {
      /** Default `reply`. */
      action: Type.Optional(KeywordAction),
      /** The answer to the sender. */
      reply: Type.Optional(Reply),
      /** The id of the survey to start (action `survey`). */
      survey: Type.Optional(Id),
      /** What the case's owner receives (action `notify_owner`): text or language → text. */
      notify_text: Type.Optional(
        Type.Union([Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH }), Translations]),
      ),
      /** Who may use it; default `all`. */
      allow: Type.Optional(Type.Enum(['all', 'cases', 'workers'])),
      /** The keyword wins over an open survey instead of being taken as its answer. */
      override_open_survey: Type.Optional(Type.Boolean()),
    },
    {
      description:
        'action reply (default) needs reply; survey needs survey; notify_owner needs notify_text; survey and notify_text only with their action',
    },
  ),
  (keyword) => keywordProblem(keyword) === undefined,
  (keyword) => keywordProblem(keyword) ?? 'is not valid',
);
export type KeywordBody = Static<typeof KeywordBody>;

// ---------------------------------------------------------------------------------------------
// Surveys (SPEC 5)

/** Translations with at least one non-blank text. */
const SurveyText = Type.Refine(
  Translations,
  (text) => Object.values(text).some((value) => value.trim() !== ''),
  () => 'must have at least one non-blank text',
);

/** One choice of a single or multiple choice question. */
export const SurveyChoice = Strict({
  /** Stored as the answer: one word (multiple choice answers store values space-separated). */
  value: Type.String({
    pattern: '^\\S+$',
    maxLength: MAX_ID_LENGTH,
    errorMessage: 'must be one word (no spaces)',
  }),
  text: SurveyText,
});
export type SurveyChoice = Static<typeof SurveyChoice>;

function duplicate(values: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const value of values) {
    const key = value.toLowerCase();
    if (seen.has(key)) return value;
    seen.add(key);
  }
  return undefined;
}

const answered = {
  id: Id,
  text: SurveyText,
  /** Default true; an optional question is skipped by a blank answer or SKIP. */
  required: Type.Optional(Type.Boolean()),
  /** The case property the answer is saved to. */
  save_to: Type.Optional(Id),
};

/** A question; `type` chooses its fields: `choices` only for single and multiple, a label has
 * only `id` and `text`. */
export const SurveyQuestion = Type.Union([
  Strict({ ...answered, type: Type.Enum(['text', 'int', 'decimal', 'date', 'time']) }),
  Strict({
    ...answered,
    type: Type.Enum(['single', 'multiple']),
    /** Values are unique, case-insensitively (answers match them so). */
    choices: Type.Refine(
      Type.Array(SurveyChoice, { minItems: 1, maxItems: 100 }),
      (choices) => duplicate(choices.map((choice) => choice.value)) === undefined,
      (choices) =>
        `choice values must be unique: '${duplicate(choices.map((choice) => choice.value)) ?? ''}' is used twice`,
    ),
  }),
  Strict({ id: Id, type: Type.Literal('label'), text: SurveyText }),
]);
export type SurveyQuestion = Static<typeof SurveyQuestion>;

/** An SMS survey (the body of PUT .../surveys/{id}); its id is in the path. */
export const SurveyBody = Strict({
  /** Asked in order; ids are unique. */
  questions: Type.Refine(
    Type.Array(SurveyQuestion, { minItems: 1, maxItems: 200 }),
    (questions) => duplicate(questions.map((question) => question.id)) === undefined,
    (questions) =>
      `question ids must be unique: '${duplicate(questions.map((question) => question.id)) ?? ''}' is used twice`,
  ),
  /** Hours a session stays open; default 24, at most 168 (7 days). */
  expiry_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
  /** Minutes before each reminder, each after the previous send of the current question. */
  reminder_minutes: Type.Optional(Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 20 })),
  /** On expiry, save the answers given so far to the case. Default false. */
  partial_save: Type.Optional(Type.Boolean()),
  /** The language tried after the contact's (SPEC 2.4 "message default"). */
  default_language: Type.Optional(Language),
});
export type SurveyBody = Static<typeof SurveyBody>;

// ---------------------------------------------------------------------------------------------
// Inbound, numbers, verification

/** An SMS arriving now through `gateway` (its id). */
export const InboundBody = Strict({
  gateway: Id,
  from: PhoneNumber,
  text: FreeText,
});
export type InboundBody = Static<typeof InboundBody>;

/** An administrator's setting for one number. */
export const PhoneNumberSetting = Strict({
  number: PhoneNumber,
  /** false: the number never changes opt-in/opt-out state. */
  can_opt_in: Type.Boolean(),
});
export type PhoneNumberSetting = Static<typeof PhoneNumberSetting>;

/** Start verification of one of a mobile worker's numbers. */
export const VerifyBody = Strict({
  number: PhoneNumber,
});
export type VerifyBody = Static<typeof VerifyBody>;
