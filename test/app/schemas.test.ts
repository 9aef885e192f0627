import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from 'typebox';
import { AlertBody, BroadcastBody, Criterion, KeywordBody } from '../../src/domain/definitions.ts';
import { CaseBody, MobileWorkerBody } from '../../src/app/contacts/schemas.ts';
import { Content } from '../../src/domain/content.ts';
import { gatewayBody } from '../../src/app/gateways/schemas.ts';
import { GATEWAY_TYPES } from '../../src/gateways/registry.ts';
import { InboundBody } from '../../src/app/inbound/schemas.ts';
import { PhoneNumberSetting, VerifyBody } from '../../src/app/registry/schemas.ts';
import { ProjectSettings } from '../../src/domain/project-settings.ts';
import { Recipient } from '../../src/domain/recipients.ts';
import { Schedule } from '../../src/domain/schedule-shape.ts';
import { SendBody } from '../../src/app/sending/schemas.ts';
import { isInstant } from '../../src/lib/schema.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';

const GatewayBody = gatewayBody(GATEWAY_TYPES);

/** The error parseInput throws for `value`, as `field: message`. */
function problem(schema: TSchema, value: unknown, prefix?: string): string {
  try {
    parseInput(schema, value, prefix);
  } catch (error) {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    return error.describe();
  }
  assert.fail(`expected ${JSON.stringify(value).slice(0, 200)} to be rejected`);
}

const alert = {
  case_type: 'patient',
  criteria: [{ property: 'reminders', op: 'equals', value: 'on' }],
  schedule: { type: 'daily', time: '09:00', occurrences: 2 },
  content: { text: 'Take your medicine' },
};

const valid: { label: string; schema: TSchema; value: unknown }[] = [
  { label: 'empty project settings', schema: ProjectSettings, value: {} },
  {
    label: 'all project settings',
    schema: ProjectSettings,
    value: {
      time_zone: 'Africa/Lagos',
      default_language: 'en',
      language_fallback: 'project',
      shared_numbers: 'one_way',
      restricted_times: [
        { day: -1, start: '09:00', end: '17:00' },
        { day: 6, start: '22:00', end: '02:00' },
      ],
      daily_sms_limit: 0,
      default_country: 'IN',
      verification_code: 'yes',
      default_reply: null,
      allow_case_registration: true,
      allow_worker_registration: false,
      registration_case_type: 'contact',
      normalize_text: false,
      texts: { opted_out: { en: 'Bye', '*': 'Bye' }, registration_welcome: {} },
    },
  },
  {
    label: 'gateway with API-only fields',
    schema: GatewayBody,
    value: {
      project: 'p',
      type: 'twilio',
      name: 'TW',
      config: { account_sid: 'AC1' },
      inbound_secret: 'sixteen-chars-at-least',
      prefixes: ['254'],
    },
  },
  {
    label: 'case with null property and offset instant',
    schema: CaseBody,
    value: { properties: { a: 'x', b: null }, server_modified_on: '2026-01-05T10:30:00+03:00' },
  },
  {
    label: 'worker clearing fields',
    schema: MobileWorkerBody,
    value: { email: null, language: null, time_zone: null },
  },
  { label: 'recipient phone', schema: Recipient, value: { phone: '+1 617 555 1234' } },
  {
    label: 'content with translations',
    schema: Content,
    value: { channel: 'email', subject: '', translations: { '*': 'x' } },
  },
  { label: 'send by text', schema: SendBody, value: { to: { mobile_worker: 'w' }, text: '' } },
  {
    label: 'weekly schedule',
    schema: Schedule,
    value: { type: 'weekly', days: ['mon', 'thu'], time: '00:00', occurrences: 3 },
  },
  {
    label: 'alert schedule with start property',
    schema: Schedule,
    value: {
      type: 'immediate',
      delay_minutes: 5,
      start_property: 'edd',
      start_offset_days: -3,
      stop_property: 'end',
    },
  },
  { label: 'has_value criterion', schema: Criterion, value: { property: 'x', op: 'has_value' } },
  { label: 'regex criterion', schema: Criterion, value: { property: 'x', op: 'regex', value: '^\\d{3}$' } },
  {
    label: 'alert',
    schema: AlertBody,
    value: { ...alert, match: 'any', recipients: ['case', 'owner'], active: false },
  },
  {
    label: 'broadcast',
    schema: BroadcastBody,
    value: { recipients: [{ case: 'c' }], schedule: { type: 'immediate' }, content: { text: 'x' } },
  },
  {
    label: 'keyword',
    schema: KeywordBody,
    value: { reply: { translations: { en: 'x' } }, allow: 'workers', override_open_survey: true },
  },
  { label: 'inbound', schema: InboundBody, value: { gateway: 'GW', from: '27821234567', text: 'STOP' } },
  { label: 'phone number setting', schema: PhoneNumberSetting, value: { number: '1555', can_opt_in: false } },
  { label: 'verify', schema: VerifyBody, value: { number: '255754000111' } },
];

for (const { label, schema, value } of valid) {
  test(`accepts ${label}`, () => {
    assert.equal(parseInput(schema, value), value);
  });
}

const invalid: { label: string; schema: TSchema; value: unknown; error: string }[] = [
  { label: 'unknown field', schema: CaseBody, value: { colour: 'red' }, error: "unknown field 'colour'" },
  {
    label: 'unknown nested field',
    schema: ProjectSettings,
    value: { texts: { hello: {} } },
    error: "texts: unknown field 'hello'",
  },
  {
    label: 'non-string property',
    schema: CaseBody,
    value: { properties: { age: 5 } },
    error: 'properties.age: must be a string or null',
  },
  {
    label: '1 MB property value',
    schema: CaseBody,
    value: { properties: { contact_phone_number: '1'.repeat(1024 * 1024) } },
    error: 'properties.contact_phone_number: must be at most 10000 characters (it has 1048576)',
  },
  {
    label: 'restricted time 25:00',
    schema: ProjectSettings,
    value: { restricted_times: [{ day: 0, start: '25:00', end: '17:00' }] },
    error: 'restricted_times[0].start: must be a time HH:MM',
  },
  {
    label: 'restricted day 7',
    schema: ProjectSettings,
    value: { restricted_times: [{ day: 7, start: '09:00', end: '17:00' }] },
    error: 'restricted_times[0].day: must be between -1 and 6',
  },
  {
    label: 'negative daily limit',
    schema: ProjectSettings,
    value: { daily_sms_limit: -1 },
    error: 'daily_sms_limit: must be between 0 and 1000000',
  },
  {
    label: 'fractional daily limit',
    schema: ProjectSettings,
    value: { daily_sms_limit: 1.5 },
    error: 'daily_sms_limit: must be a whole number',
  },
  {
    label: 'three-letter country',
    schema: ProjectSettings,
    value: { default_country: 'IND' },
    error: 'default_country: must be a two-letter country code such as KE',
  },
  {
    label: 'long verification code',
    schema: ProjectSettings,
    value: { verification_code: 'x'.repeat(21) },
    error: 'verification_code: must be at most 20 characters (it has 21)',
  },
  {
    label: 'empty verification code',
    schema: ProjectSettings,
    value: { verification_code: '' },
    error: 'verification_code: must not be empty',
  },
  {
    label: 'unknown time zone',
    schema: ProjectSettings,
    value: { time_zone: 'Mars/Olympus' },
    error: 'time_zone: must be an IANA time zone name such as Africa/Nairobi',
  },
  {
    label: 'bad language fallback',
    schema: ProjectSettings,
    value: { language_fallback: 'all' },
    error: "language_fallback: must be 'none', 'message', 'project' or 'untranslated'",
  },
  {
    label: 'boolean as string',
    schema: ProjectSettings,
    value: { normalize_text: 'false' },
    error: 'normalize_text: must be true or false',
  },
  {
    label: 'prefix with plus',
    schema: GatewayBody,
    value: { prefixes: ['+1'] },
    error: 'prefixes[0]: must be a prefix of 1 to 15 digits',
  },
  {
    label: 'zero rate limit',
    schema: GatewayBody,
    value: { rate_limit_per_minute: 0 },
    error: 'rate_limit_per_minute: must be between 1 and 1000000',
  },
  {
    label: '21 attempts',
    schema: GatewayBody,
    value: { max_attempts: 21 },
    error: 'max_attempts: must be between 1 and 20',
  },
  {
    label: 'zero retry minutes',
    schema: GatewayBody,
    value: { retry_minutes: 0 },
    error: 'retry_minutes: must be greater than 0',
  },
  {
    label: 'empty opt-out keyword',
    schema: GatewayBody,
    value: { opt_out_keywords: ['STOP', ''] },
    error: 'opt_out_keywords[1]: must not be empty',
  },
  {
    label: 'bad gateway type',
    schema: GatewayBody,
    value: { type: 'carrier_pigeon' },
    error:
      "type: must be 'test', 'http', 'twilio', 'kannel', 'africastalking', 'infobip', 'telerivet' or 'smpp'",
  },
  {
    label: 'instant without zone',
    schema: CaseBody,
    value: { server_modified_on: '2026-01-05T08:00:00' },
    error:
      'server_modified_on: must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'instant on 30 February',
    schema: CaseBody,
    value: { server_modified_on: '2026-02-30T08:00:00Z' },
    error:
      'server_modified_on: must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'empty owner id is allowed but not a number',
    schema: CaseBody,
    value: { owner: 7 },
    error: 'owner: must be a string',
  },
  {
    label: 'empty property name',
    schema: CaseBody,
    value: { properties: { '': 'x' } },
    error: "properties: field name '' must not be empty",
  },
  {
    label: 'odd property name in the path',
    schema: CaseBody,
    value: { properties: { 'my prop': [] } },
    error: 'properties["my prop"]: must be a string or null',
  },
  {
    label: 'worker numbers not a list',
    schema: MobileWorkerBody,
    value: { phone_numbers: '1555' },
    error: 'phone_numbers: must be a list',
  },
  {
    label: 'recipient with two keys',
    schema: Recipient,
    value: { case: 'c', phone: '1' },
    error: "must have exactly one of 'case', 'mobile_worker' or 'phone'",
  },
  {
    label: 'recipient with no key',
    schema: Recipient,
    value: {},
    error: "must have exactly one of 'case', 'mobile_worker' or 'phone'",
  },
  {
    label: 'recipient with an unknown key',
    schema: Recipient,
    value: { phone: '1', name: 'x' },
    error: "unknown field 'name'",
  },
  { label: 'recipient as a string', schema: Recipient, value: 'c1', error: 'must be an object' },
  { label: 'empty recipient id', schema: Recipient, value: { case: '' }, error: 'case: must not be empty' },
  {
    label: 'send with text and translations',
    schema: SendBody,
    value: { to: { case: 'c' }, text: 'a', translations: { en: 'a' } },
    error: "must have exactly one of 'text' or 'translations'",
  },
  {
    label: 'send without text',
    schema: SendBody,
    value: { to: { case: 'c' } },
    error: "must have exactly one of 'text' or 'translations'",
  },
  { label: 'send without to', schema: SendBody, value: { text: 'x' }, error: 'to: is required' },
  {
    label: 'translation not a string',
    schema: SendBody,
    value: { to: { case: 'c' }, translations: { en: 1 } },
    error: 'translations.en: must be a string',
  },
  {
    label: 'bad channel',
    schema: SendBody,
    value: { to: { case: 'c' }, text: 'x', channel: 'fax' },
    error: "channel: must be 'sms' or 'email'",
  },
  {
    label: 'has_value with a value',
    schema: Criterion,
    value: { property: 'x', op: 'has_value', value: 'y' },
    error: "value: not allowed when op is 'has_value'",
  },
  {
    label: 'equals without a value',
    schema: Criterion,
    value: { property: 'x', op: 'equals' },
    error: 'value: is required',
  },
  {
    label: 'unknown op',
    schema: Criterion,
    value: { property: 'x', op: 'like', value: 'y' },
    error: "op: must be 'equals', 'not_equals', 'regex', 'has_value' or 'has_no_value'",
  },
  { label: 'missing op', schema: Criterion, value: { property: 'x' }, error: 'op: is required' },
  {
    label: 'bad regex',
    schema: Criterion,
    value: { property: 'x', op: 'regex', value: '[a-' },
    error:
      'value: must be a valid regular expression (Invalid regular expression: /[a-/: Unterminated character class)',
  },
  {
    label: 'daily time 9:00',
    schema: Schedule,
    value: { type: 'daily', time: '9:00' },
    error: 'time: must be a time HH:MM',
  },
  {
    label: 'daily without a time of day',
    schema: Schedule,
    value: { type: 'daily' },
    error: "must have exactly one of 'time', 'time_window' or 'time_property'",
  },
  {
    label: 'immediate with a time',
    schema: Schedule,
    value: { type: 'immediate', time: '09:00' },
    error: "time: not allowed when type is 'immediate'",
  },
  {
    label: 'monthly schedule without days',
    schema: Schedule,
    value: { type: 'monthly' },
    error: 'days: is required',
  },
  {
    label: 'weekly without days',
    schema: Schedule,
    value: { type: 'weekly', days: [], time: '09:00' },
    error: 'days: must not be empty',
  },
  {
    label: 'weekly with a day twice',
    schema: Schedule,
    value: { type: 'weekly', days: ['mon', 'mon'], time: '09:00' },
    error: "days: must not list 'mon' twice",
  },
  {
    label: 'weekly with a bad day',
    schema: Schedule,
    value: { type: 'weekly', days: ['monday'], time: '09:00' },
    error: "days[0]: must be 'mon', 'tue', 'wed', 'thu', 'fri', 'sat' or 'sun'",
  },
  {
    label: 'zero occurrences',
    schema: Schedule,
    value: { type: 'daily', time: '09:00', occurrences: 0 },
    error: 'occurrences: must be between 1 and 10000',
  },
  {
    label: 'alert criterion path',
    schema: AlertBody,
    value: { ...alert, criteria: [alert.criteria[0], { property: 'x', op: 'regex', value: '(' }] },
    error:
      'criteria[1].value: must be a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
  },
  {
    label: 'alert recipients',
    schema: AlertBody,
    value: { ...alert, recipients: ['group'] },
    error: "recipients[0]: must be 'case', 'owner', 'parent' or 'children'",
  },
  {
    label: 'alert content with both',
    schema: AlertBody,
    value: { ...alert, content: { text: 'x', translations: {} } },
    error: "content: must have exactly one of 'text', 'translations' or 'survey'",
  },
  {
    label: 'alert without schedule',
    schema: AlertBody,
    value: { ...alert, schedule: undefined },
    error: 'schedule: is required',
  },
  {
    label: 'broadcast to nobody',
    schema: BroadcastBody,
    value: { recipients: [], schedule: { type: 'immediate' }, content: { text: 'x' } },
    error: 'recipients: must not be empty',
  },
  {
    label: 'keyword reply with a subject',
    schema: KeywordBody,
    value: { reply: { text: 'x', subject: 'y' } },
    error: "reply: unknown field 'subject'",
  },
  {
    label: 'inbound number as a number',
    schema: InboundBody,
    value: { gateway: 'GW', from: 27821234567, text: 'x' },
    error: 'from: must be a string',
  },
  {
    label: 'phone setting without can_opt_in',
    schema: PhoneNumberSetting,
    value: { number: '1' },
    error: 'can_opt_in: is required',
  },
  { label: 'not an object', schema: VerifyBody, value: null, error: 'must be an object' },
];

for (const { label, schema, value, error } of invalid) {
  test(`rejects ${label}`, () => {
    // JSON has no undefined: drop such fields as JSON.parse would never produce them.
    const input: unknown = JSON.parse(JSON.stringify(value) ?? 'null');
    assert.equal(problem(schema, input), error);
  });
}

test('an unknown field is reported before a missing one (a typo names its cause)', () => {
  assert.equal(problem(InboundBody, { gateway: 'GW', form: '1', text: 'x' }), "unknown field 'form'");
});

test('the InputError carries the field path and the plain message apart', () => {
  try {
    parseInput(CaseBody, { properties: { age: 5 } });
    assert.fail('expected an error');
  } catch (error) {
    assert.ok(error instanceof InputError);
    assert.equal(error.field, 'properties.age');
    assert.equal(error.message, 'must be a string or null');
    assert.equal(error.name, 'InputError');
  }
});

test('fieldPrefix is put in front of the field', () => {
  assert.equal(
    problem(CaseBody, { properties: { age: 5 } }, 'cases[3]'),
    'cases[3].properties.age: must be a string or null',
  );
  assert.equal(problem(CaseBody, { colour: 1 }, 'cases[3]'), "cases[3]: unknown field 'colour'");
  assert.equal(problem(Recipient, { case: 5 }, 'to'), 'to.case: must be a string');
});

test('a value of 10,000 characters is accepted, one more is not (SPEC 7 Bounds)', () => {
  assert.doesNotThrow(() => parseInput(CaseBody, { properties: { note: 'é'.repeat(10_000) } }));
  assert.equal(
    problem(CaseBody, { properties: { note: '😀'.repeat(10_001) } }),
    'properties.note: must be at most 10000 characters (it has 10001)',
  );
});

test('isInstant accepts Z and offsets and refuses dates that do not exist', () => {
  for (const instant of [
    '2026-01-05T08:00:00Z',
    '2026-01-05T08:00Z',
    '2026-01-05T08:00:00.250+05:30',
    '2024-02-29T00:00:00-08:00',
  ]) {
    assert.equal(isInstant(instant), true, instant);
  }
  for (const bad of [
    '2026-01-05',
    '2026-01-05T08:00:00',
    '2025-02-29T00:00:00Z',
    '2026-01-05T24:00:00Z',
    '2026-13-01T00:00:00Z',
    'yesterday',
  ]) {
    assert.equal(isInstant(bad), false, bad);
  }
});
