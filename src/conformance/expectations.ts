// The expectation steps: each reads the engine's state through the same functions the API
// and the console use, and throws a Mismatch naming expected against actual.
import { contactStatus } from '../app/contacts/contacts.ts';
import type { RecipientKind } from '../app/ports/records.ts';
import { phoneKey } from '../domain/phone.ts';
import { effectiveSettings } from '../app/projects/settings.ts';
import type { ScenarioEngine } from './engine.ts';
import type { ExpectedMessage, Step, StepBody } from './scenario.ts';
import { Mismatch } from './steps.ts';
import { expectCase, expectSurvey } from './expect-records.ts';

export interface SentItem {
  to: string;
  text: string;
  gateway: string | null;
  channel: 'sms' | 'email';
  subject: string | null;
  at: number;
}

/** Tracks what gateways and the mailer accepted since the previous expect_sent. */
export class SentLog {
  private smsSeen = 0;
  private emailSeen = 0;

  constructor(private readonly engine: ScenarioEngine) {}

  takeNew(): SentItem[] {
    const sms = this.engine.gateway.accepted.slice(this.smsSeen).map((a): SentItem => ({
      to: a.to,
      text: a.text,
      gateway: a.gateway,
      channel: 'sms',
      subject: null,
      at: a.at,
    }));
    const email = this.engine.mailer.accepted.slice(this.emailSeen).map((a): SentItem => ({
      to: a.to,
      text: a.text,
      gateway: null,
      channel: 'email',
      subject: a.subject,
      at: a.at,
    }));
    this.smsSeen = this.engine.gateway.accepted.length;
    this.emailSeen = this.engine.mailer.accepted.length;
    return [...sms, ...email].sort((a, b) => a.at - b.at);
  }
}

const normalised = (number: string): string => phoneKey(number);

function matches(expected: ExpectedMessage, actual: SentItem): boolean {
  if (expected.channel !== undefined && expected.channel !== actual.channel) return false;
  const to = actual.channel === 'sms' ? normalised(expected.to) : expected.to.trim().toLowerCase();
  if (to !== (actual.channel === 'sms' ? actual.to : actual.to.toLowerCase())) return false;
  if (expected.text !== undefined && expected.text !== actual.text) return false;
  if (expected.text_contains !== undefined && !actual.text.includes(expected.text_contains)) return false;
  if (expected.gateway !== undefined && expected.gateway !== actual.gateway) return false;
  if (expected.subject !== undefined && expected.subject !== actual.subject) return false;
  if (expected.at !== undefined && Date.parse(expected.at) !== actual.at) return false;
  return true;
}

/** A multiset match: every expected item to a distinct actual one (augmenting paths), all actual used. */
function matchAll(expected: readonly ExpectedMessage[], actual: readonly SentItem[]): boolean {
  if (expected.length !== actual.length) return false;
  const owner: (number | null)[] = actual.map(() => null);
  const tryAssign = (e: number, seen: boolean[]): boolean => {
    for (let a = 0; a < actual.length; a++) {
      const item = actual[a];
      const want = expected[e];
      if (seen[a] || !item || !want || !matches(want, item)) continue;
      seen[a] = true;
      const current = owner[a];
      if (current === null || current === undefined || tryAssign(current, seen)) {
        owner[a] = e;
        return true;
      }
    }
    return false;
  };
  return expected.every((_, e) =>
    tryAssign(
      e,
      actual.map(() => false),
    ),
  );
}

const show = (value: unknown): string => JSON.stringify(value);
const showSent = (items: readonly SentItem[]) =>
  show(
    items.map((i) => ({
      to: i.to,
      text: i.text,
      ...(i.gateway ? { gateway: i.gateway } : {}),
      channel: i.channel,
      ...(i.subject !== null ? { subject: i.subject } : {}),
      at: new Date(i.at).toISOString(),
    })),
  );

export async function checkExpectation(engine: ScenarioEngine, step: Step, sent: SentLog): Promise<void> {
  switch (step.kind) {
    case 'expect_sent': {
      const actual = sent.takeNew();
      if (!matchAll(step.body, actual))
        throw new Mismatch(`expected ${show(step.body)}, sent ${showSent(actual)}`);
      return;
    }
    case 'expect_phone':
      return expectPhone(engine, step.body);
    case 'expect_contact':
      return expectContact(engine, step.body);
    case 'expect_error':
      return expectError(engine, step.body);
    case 'expect_opt_out': {
      const record = await engine.deps.store.optOuts.get(normalised(step.body.number));
      const optedOut = record?.optedOut ?? false;
      if (optedOut !== step.body.opted_out)
        throw new Mismatch(`expected opted_out ${step.body.opted_out}, found ${optedOut}`);
      return;
    }
    case 'expect_queue': {
      const waiting = await engine.deps.store.messages.countWaiting(step.body.project);
      if (waiting !== step.body.waiting)
        throw new Mismatch(`expected ${step.body.waiting} waiting, found ${waiting}`);
      return;
    }
    case 'expect_case':
      return expectCase(engine, step.body);
    case 'expect_survey':
      return expectSurvey(engine, step.body);
    default:
      throw new Error(`step kind '${step.kind}' is not an expectation`);
  }
}

async function expectPhone(engine: ScenarioEngine, body: StepBody<'expect_phone'>): Promise<void> {
  const entries = await engine.deps.store.phones.forNumber(normalised(body.number));
  const key = (e: { project: string; kind: string; id: string; two_way: boolean; pending: boolean }) =>
    `${e.project}/${e.kind}/${e.id}/two_way=${e.two_way}/pending=${e.pending}`;
  const actual = entries
    .map((e) =>
      key({
        project: e.projectId,
        kind: e.contactKind,
        id: e.contactId,
        two_way: e.state === 'two_way',
        pending: e.state === 'pending',
      }),
    )
    .sort();
  const expected = body.entries
    .map((e) =>
      key({
        project: e.project,
        kind: 'case' in e && e.case !== undefined ? 'case' : 'mobile_worker',
        id: ('case' in e ? e.case : e.mobile_worker) ?? '',
        two_way: e.two_way,
        pending: e.pending ?? false,
      }),
    )
    .sort();
  if (show(actual) !== show(expected))
    throw new Mismatch(`expected entries ${show(expected)}, found ${show(actual)}`);
}

async function expectContact(engine: ScenarioEngine, body: StepBody<'expect_contact'>): Promise<void> {
  const { store } = engine.deps;
  const project = await store.projects.get(body.project);
  if (!project) throw new Mismatch(`no project '${body.project}'`);
  const [kind, id] =
    'case' in body && body.case !== undefined
      ? (['case', body.case] as const)
      : (['mobile_worker', body.mobile_worker ?? ''] as const);
  const status = await contactStatus(store, project, kind, id);
  const differences: string[] = [];
  if (body.phone_status !== undefined && body.phone_status !== status.phone_status)
    differences.push(
      `phone_status: expected ${body.phone_status}, got ${status.phone_status} (${status.reason})`,
    );
  if (
    body.phone_number !== undefined &&
    (body.phone_number === null ? null : normalised(body.phone_number)) !== status.phone_number
  )
    differences.push(`phone_number: expected ${body.phone_number}, got ${status.phone_number}`);
  if (body.time_zone !== undefined && body.time_zone !== status.time_zone)
    differences.push(`time_zone: expected ${body.time_zone}, got ${status.time_zone}`);
  if (body.language !== undefined && body.language !== status.language)
    differences.push(`language: expected ${body.language}, got ${status.language}`);
  if (differences.length > 0) throw new Mismatch(differences.join('; '));
}

async function expectError(engine: ScenarioEngine, body: StepBody<'expect_error'>): Promise<void> {
  const to = body.recipient;
  const project = await engine.deps.store.projects.get(body.project);
  const country = project ? effectiveSettings(project.settings).defaultCountry : null;
  const [kind, id]: [RecipientKind, string] =
    'case' in to
      ? ['case', to.case]
      : 'mobile_worker' in to
        ? ['mobile_worker', to.mobile_worker]
        : ['phone', phoneKey(to.phone, country)];
  const count = await engine.deps.store.events.countSubEventErrors(body.project, kind, id, body.error);
  const ok = body.count === undefined ? count >= 1 : count === body.count;
  if (!ok)
    throw new Mismatch(
      `expected ${body.count ?? 'at least 1'} ${body.error} for ${kind} ${id}, found ${count}`,
    );
}
