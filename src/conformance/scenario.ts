// Reading a conformance scenario (shared/conformance/FORMAT.md) into typed steps. The set-up
// steps are the API bodies (src/domain shapes, feature schemas) with their ids in front, so a scenario and the
// HTTP API accept exactly the same fields; the expectation steps have their own schemas here.
// Anything unknown — a top-level field, a step kind, a field of a step — is an error: a
// scenario is never run with a part of it silently ignored.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Duration } from 'luxon';
import { AlertBody, BroadcastBody, KeywordBody } from '../domain/definitions.ts';
import { CaseBody, GroupBody, MobileWorkerBody } from '../app/contacts/schemas.ts';
import { Channel } from '../domain/content.ts';
import { FreeText, Id, Instant, Strict, exactlyOneOf, withFields } from '../lib/schema.ts';
import { gatewayBody } from '../app/gateways/schemas.ts';
import { GATEWAY_TYPES } from '../gateways/registry.ts';
import { InboundBody } from '../app/inbound/schemas.ts';
import { PhoneNumber, Recipient } from '../domain/recipients.ts';
import { PhoneNumberSetting, VerifyBody } from '../app/registry/schemas.ts';
import { ProjectSettings } from '../domain/project-settings.ts';
import { SendBody } from '../app/sending/schemas.ts';
import { SurveyBody } from '../domain/survey-shape.ts';
import { InputError, parseInput } from '../lib/input.ts';

const GatewayBody = gatewayBody(GATEWAY_TYPES);

/** The virtual clock's first instant when a scenario gives no `start` (a Monday). */
export const DEFAULT_START = '2026-01-05T08:00:00Z';

// ---------------------------------------------------------------------------------------------
// Set-up steps

export const ProjectStep = withFields({ id: Id }, ProjectSettings);

// The API's gateway fields the runner has no use for: scenarios only have `test` gateways.
const {
  name: _name,
  config: _config,
  inbound_secret: _secret,
  type: _type,
  ...gatewayFields
} = GatewayBody.properties;
/** `id` is the gateway's name; reusing an id updates that gateway. */
export const GatewayStep = Strict({ id: Id, type: Type.Optional(Type.Literal('test')), ...gatewayFields });

/** The next `fail_next` send attempts through that test gateway fail with `kind`. */
export const GatewayFaultStep = Strict({
  gateway: Id,
  fail_next: Type.Integer({ minimum: 0 }),
  kind: Type.Enum(['temporary', 'permanent']),
  text: Type.Optional(FreeText),
});

export const CaseStep = withFields({ project: Id, id: Id }, CaseBody);
export const MobileWorkerStep = withFields({ project: Id, id: Id }, MobileWorkerBody);
/** A group of cases or of mobile workers; `members` replaces the members. */
export const GroupStep = withFields({ project: Id, id: Id }, GroupBody);

export const VerificationResult = Type.Enum([
  'WORKFLOW_STARTED',
  'ALREADY_IN_USE',
  'ALREADY_VERIFIED',
  'RESENT_PENDING',
]);
export type VerificationResult = Static<typeof VerificationResult>;
/** Starts verification; `expect` is the result code it must give. */
export const VerifyStep = withFields(
  { project: Id, mobile_worker: Id },
  Strict({ ...VerifyBody.properties, expect: Type.Optional(VerificationResult) }),
);

export const SendStep = withFields({ project: Id }, SendBody);
export const AlertStep = withFields({ project: Id, id: Id }, AlertBody);
export const BroadcastStep = withFields({ project: Id, id: Id }, BroadcastBody);
export const KeywordStep = withFields({ project: Id, keyword: Id }, KeywordBody);
export const SurveyStep = withFields({ project: Id, id: Id }, SurveyBody);
export const InboundStep = InboundBody;
export const PhoneNumberStep = PhoneNumberSetting;

// ---------------------------------------------------------------------------------------------
// Time

const DURATION_MESSAGE = 'must be an ISO 8601 duration such as PT5M, P1D or PT1H30M';
/** An ISO 8601 duration the clock moves forward by (`PT5M`, `P1D`, `PT1H30M`). */
export const AdvanceStep = Type.Refine(
  Type.Refine(
    Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'an ISO 8601 duration',
      errorMessage: DURATION_MESSAGE,
    }),
    // Luxon also takes a bare `P` or `PT`: ask for at least one number.
    (text) => /\d/.test(text) && Duration.fromISO(text).isValid,
    () => DURATION_MESSAGE,
  ),
  (text) => !text.includes('-'),
  () => 'must not be negative: the clock only moves forward',
);
/** The instant the clock moves forward to. */
export const AdvanceToStep = Instant;

// ---------------------------------------------------------------------------------------------
// Expectations

/** One message accepted by a gateway or the mailer; absent fields match anything. */
export const ExpectedMessage = Strict({
  /** The normalised number (digits, no `+`) or the e-mail address. */
  to: Type.String({ minLength: 1, maxLength: 320 }),
  /** The text as handed over, after cleaning. */
  text: Type.Optional(FreeText),
  text_contains: Type.Optional(FreeText),
  /** The gateway's id. */
  gateway: Type.Optional(Id),
  channel: Type.Optional(Channel),
  subject: Type.Optional(FreeText),
  /** The instant of the accepted attempt. */
  at: Type.Optional(Instant),
});
export type ExpectedMessage = Static<typeof ExpectedMessage>;
/** Exactly these messages since the previous `expect_sent`, in any order. */
export const ExpectSentStep = Type.Array(ExpectedMessage);

/** One registry entry: exactly one of `case` or `mobile_worker`; `pending` absent: false. */
export const ExpectedPhoneEntry = Strict(
  {
    project: Id,
    case: Type.Optional(Id),
    mobile_worker: Type.Optional(Id),
    two_way: Type.Boolean(),
    pending: Type.Optional(Type.Boolean()),
  },
  exactlyOneOf('case', 'mobile_worker'),
);
export type ExpectedPhoneEntry = Static<typeof ExpectedPhoneEntry>;
/** The complete set of registry entries for `number`, in any order. */
export const ExpectPhoneStep = Strict({ number: PhoneNumber, entries: Type.Array(ExpectedPhoneEntry) });

export const PhoneStatus = Type.Enum([
  'INACTIVE',
  'NO_PHONE_NUMBER',
  'INVALID_PHONE_NUMBER',
  'TWO_WAY',
  'PENDING_VERIFICATION',
  'PHONE_NUMBER_IN_USE',
  'ONE_WAY',
]);
export type PhoneStatus = Static<typeof PhoneStatus>;
/** A contact (exactly one of `case` or `mobile_worker`) and what it must show; `null`: has none. */
export const ExpectContactStep = Strict(
  {
    project: Id,
    case: Type.Optional(Id),
    mobile_worker: Type.Optional(Id),
    /** For the default number (SPEC 2.4). */
    phone_status: Type.Optional(PhoneStatus),
    /** Normalised. */
    phone_number: Type.Optional(Type.Union([PhoneNumber, Type.Null()])),
    /** The effective zone. */
    time_zone: Type.Optional(Id),
    /** The contact's own. */
    language: Type.Optional(Type.Union([Id, Type.Null()])),
  },
  exactlyOneOf('case', 'mobile_worker'),
);

/** Sub-events to `recipient` that ended with `error` since the start: `count`, or at least one. */
export const ExpectErrorStep = Strict({
  project: Id,
  recipient: Recipient,
  error: Type.String({
    pattern: '^[A-Z][A-Z0-9_]*$',
    errorMessage: 'must be an error code such as PHONE_NUMBER_IN_USE',
  }),
  count: Type.Optional(Type.Integer({ minimum: 0 })),
});
export const ExpectOptOutStep = Strict({ number: PhoneNumber, opted_out: Type.Boolean() });
/** The project's outbound messages not yet final. */
export const ExpectQueueStep = Strict({ project: Id, waiting: Type.Integer({ minimum: 0 }) });
/** Each named property has that value; `null`: the case does not have it. */
export const ExpectCaseStep = Strict({
  project: Id,
  case: Id,
  properties: Type.Record(Type.String(), Type.Union([FreeText, Type.Null()])),
});
/** The contact's most recently started session of the survey: its status (`null`: none) and,
 * when given, exactly these answers. */
export const ExpectSurveyStep = Strict(
  {
    project: Id,
    case: Type.Optional(Id),
    mobile_worker: Type.Optional(Id),
    survey: Id,
    status: Type.Union([Type.Enum(['open', 'completed', 'expired', 'closed']), Type.Null()]),
    answers: Type.Optional(Type.Record(Type.String(), FreeText)),
  },
  exactlyOneOf('case', 'mobile_worker'),
);

// ---------------------------------------------------------------------------------------------
// Steps and scenarios

/** The schema of each step kind's value. */
export const stepSchemas = {
  project: ProjectStep,
  gateway: GatewayStep,
  gateway_fault: GatewayFaultStep,
  case: CaseStep,
  mobile_worker: MobileWorkerStep,
  group: GroupStep,
  verify: VerifyStep,
  send: SendStep,
  alert: AlertStep,
  broadcast: BroadcastStep,
  keyword: KeywordStep,
  survey: SurveyStep,
  inbound: InboundStep,
  phone_number: PhoneNumberStep,
  advance: AdvanceStep,
  advance_to: AdvanceToStep,
  expect_sent: ExpectSentStep,
  expect_phone: ExpectPhoneStep,
  expect_contact: ExpectContactStep,
  expect_error: ExpectErrorStep,
  expect_opt_out: ExpectOptOutStep,
  expect_queue: ExpectQueueStep,
  expect_case: ExpectCaseStep,
  expect_survey: ExpectSurveyStep,
};
export type StepKind = keyof typeof stepSchemas;
export type StepBody<K extends StepKind> = Static<(typeof stepSchemas)[K]>;
/** One step: its kind and the value under that key, e.g. `{kind: 'advance', body: 'PT5M'}`. */
export type Step = { [K in StepKind]: { kind: K; body: StepBody<K> } }[StepKind];

export interface Scenario {
  title: string | null;
  /** The SPEC sections it exercises, e.g. `2.2 3.2`. */
  spec: string | null;
  /** ISO instant of the virtual clock's start; DEFAULT_START when the file gives none. */
  start: string;
  steps: Step[];
}

const ScenarioFile = Strict({
  title: Type.Optional(FreeText),
  spec: Type.Optional(FreeText),
  start: Type.Optional(Instant),
  steps: Type.Array(Type.Unknown()),
});

const stepKinds = Object.keys(stepSchemas) as StepKind[];

function isStepKind(kind: string): kind is StepKind {
  return Object.hasOwn(stepSchemas, kind);
}

/** Reads a scenario file; the error names the step (counted from 1) and the field. */
export function parseScenario(text: string): { ok: true; scenario: Scenario } | { ok: false; error: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, error: `not valid JSON: ${jsonProblem(error, text)}` };
  }
  let file: Static<typeof ScenarioFile>;
  try {
    file = parseInput(ScenarioFile, json);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return { ok: false, error: error.field === '' ? `scenario: ${error.message}` : error.describe() };
  }
  const steps: Step[] = [];
  for (const [index, raw] of file.steps.entries()) {
    const step = parseStep(raw);
    if (typeof step === 'string') return { ok: false, error: `step ${index + 1}${step}` };
    steps.push(step);
  }
  return {
    ok: true,
    scenario: {
      title: file.title ?? null,
      spec: file.spec ?? null,
      start: file.start ?? DEFAULT_START,
      steps,
    },
  };
}

/** The step, or the error text to put after `step <n>`. */
function parseStep(raw: unknown): Step | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return ": must be an object with one key, the step's kind";
  }
  const keys = Object.keys(raw);
  const kind = keys[0];
  if (kind === undefined || keys.length > 1) {
    const found = keys.length === 0 ? 'it has none' : `it has ${keys.map((key) => `'${key}'`).join(', ')}`;
    return `: must have exactly one key, the step's kind (${found})`;
  }
  if (!isStepKind(kind)) return `: unknown step kind '${kind}'${suggestion(kind)}`;
  try {
    const body: unknown = parseInput(stepSchemas[kind], (raw as Record<string, unknown>)[kind]);
    // parseInput checked `body` against the schema of `kind`.
    return { kind, body } as Step;
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    return ` (${kind}): ${error.describe()}`;
  }
}

/** ` (did you mean 'expect_sent'?)` for a near miss, else ''. */
function suggestion(kind: string): string {
  const near = stepKinds.find((known) => editDistance(kind.toLowerCase(), known) <= 2);
  return near === undefined ? '' : ` (did you mean '${near}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (const [i, charA] of [...a].entries()) {
    const current = [i + 1];
    for (const [j, charB] of [...b].entries()) {
      current.push(
        Math.min(
          (previous[j + 1] ?? 0) + 1,
          (current[j] ?? 0) + 1,
          (previous[j] ?? 0) + (charA === charB ? 0 : 1),
        ),
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The parser's message, with the line and column when it gives only a position. */
function jsonProblem(error: unknown, text: string): string {
  const message = error instanceof Error ? error.message : String(error);
  const position = /at position (\d+)/.exec(message);
  if (!position || /line \d+/.test(message)) return message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split('\n').length;
  const column = before.length - before.lastIndexOf('\n');
  return `${message} (line ${line}, column ${column})`;
}
