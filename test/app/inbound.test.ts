// The inbound pipeline beyond what scenarios can express (SPEC 5): SMS surveys started by a
// keyword (every question type, invalid answers, saving to the case, translations), keywords
// against an open survey, expiry with and without a partial save, reminders, one open session
// per contact, #STOP / #CURRENT, self-registration, notify_owner — on SQLite and PostgreSQL —
// and per-sender ordering with two workers sharing one PostgreSQL schema.
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import type { Deps } from '../../src/app/ports/deps.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { handleInbound, processSender } from '../../src/app/inbound/inbound.ts';
import { putKeyword } from '../../src/app/inbound/keywords.ts';
import type { Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import type { SurveyBody } from '../../src/domain/survey-shape.ts';
import { putSurvey } from '../../src/app/surveys/surveys.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import { VirtualClock } from '../../src/clock.ts';
import { createScenarioEngine, type ScenarioEngine } from '../../src/conformance/engine.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { dropSchema } from '../../src/db/postgres/connection.ts';
import { createStore } from '../../src/db/store.ts';
import type { Accepted } from '../../src/gateways/test/test.ts';

const START = Date.parse('2026-01-05T08:00:00Z');
const POSTGRES = 'postgres://postgres@127.0.0.1:5432/test';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Numbers of the contacts of the fixture. */
const N = {
  amina: '254712000201', // case c (English), owner w
  baraka: '254712000202', // case c-sw (Swahili)
  worker: '254712000203', // mobile worker w (one-way)
  orphan: '254712000204', // case c-orphan, no owner
};

/** The full survey: one question of each type, labels around them, translations. */
const VISIT: SurveyBody = {
  questions: [
    { id: 'intro', type: 'label', text: { '*': 'Visit survey.', sw: 'Utafiti wa ziara.' } },
    { id: 'name', type: 'text', text: { '*': 'Your name?', sw: 'Jina lako?' }, save_to: 'patient_name' },
    {
      id: 'children',
      type: 'int',
      text: { '*': 'How many children?', sw: 'Watoto wangapi?' },
      save_to: 'children',
    },
    { id: 'weight', type: 'decimal', text: { '*': 'Weight in kg?' }, save_to: 'weight' },
    { id: 'date', type: 'date', text: { '*': 'Visit date (YYYYMMDD)?' }, save_to: 'visit_date' },
    { id: 'time', type: 'time', text: { '*': 'Visit time (HHMM)?' }, save_to: 'visit_time' },
    {
      id: 'well',
      type: 'single',
      text: { '*': 'Feeling well?', sw: 'Unajisikia vizuri?' },
      choices: [
        { value: 'yes', text: { '*': 'Yes', sw: 'Ndiyo' } },
        { value: 'no', text: { '*': 'No', sw: 'Hapana' } },
      ],
      save_to: 'well',
    },
    {
      id: 'clinic',
      type: 'single',
      text: { '*': 'Which clinic?' },
      choices: [
        { value: 'north', text: { '*': 'North' } },
        { value: 'south', text: { '*': 'South' } },
      ],
      save_to: 'clinic',
    },
    {
      id: 'symptoms',
      type: 'multiple',
      text: { '*': 'Symptoms?' },
      choices: [
        { value: 'fever', text: { '*': 'Fever' } },
        { value: 'cough', text: { '*': 'Cough' } },
        { value: 'rash', text: { '*': 'Rash' } },
      ],
      save_to: 'symptoms',
    },
    { id: 'comments', type: 'text', text: { '*': 'Any comments?' }, required: false, save_to: 'comments' },
    { id: 'bye', type: 'label', text: { '*': 'Thank you!', sw: 'Asante!' } },
  ],
};

const SHORT: SurveyBody = {
  questions: [
    { id: 'news', type: 'text', text: { '*': 'Any news?' }, save_to: 'news' },
    { id: 'age', type: 'int', text: { '*': 'Age?' }, save_to: 'age' },
  ],
};

const OTHER: SurveyBody = {
  questions: [{ id: 'village', type: 'text', text: { '*': 'Your village?' }, save_to: 'village' }],
};

const EXPIRING = (partial: boolean): SurveyBody => ({
  expiry_hours: 2,
  partial_save: partial,
  questions: [
    { id: 'a', type: 'text', text: { '*': 'First?' }, save_to: partial ? 'first_p' : 'first_n' },
    { id: 'b', type: 'text', text: { '*': 'Second?' }, save_to: partial ? 'second_p' : 'second_n' },
  ],
});

const REMINDED: SurveyBody = {
  expiry_hours: 3,
  reminder_minutes: [30, 60],
  questions: [
    { id: 'q1', type: 'text', text: { '*': 'Question one?', sw: 'Swali la kwanza?' }, save_to: 'r1' },
    { id: 'q2', type: 'text', text: { '*': 'Question two?', sw: 'Swali la pili?' }, save_to: 'r2' },
  ],
};

/** An engine with the fixture, and helpers to text it and read what went out. */
class Harness {
  private seen = 0;
  constructor(readonly engine: ScenarioEngine) {}

  get deps(): Deps {
    return this.engine.deps;
  }

  now(): number {
    return this.engine.clock.now();
  }

  async inbound(from: string, text: string, gateway = 'GW') {
    const result = await handleInbound(this.deps, { gateway, from, text });
    await this.engine.settle(this.now());
    return result;
  }

  async advance(ms: number): Promise<void> {
    await this.engine.settle(this.now() + ms);
  }

  /** SMS accepted by gateways since the previous call, in order. */
  sent(): Accepted[] {
    const out = this.engine.gateway.accepted.slice(this.seen);
    this.seen = this.engine.gateway.accepted.length;
    return out;
  }

  /** The texts accepted since the previous call, all of which must go to `to`. */
  textsTo(to: string): string[] {
    const sent = this.sent();
    for (const sms of sent) assert.equal(sms.to, to, `unexpected SMS ${JSON.stringify(sms)}`);
    return sent.map((sms) => sms.text);
  }

  /**
   * What `to` was told since the previous call, as one text: a label and the question after it
   * may come as one SMS or as several (the SPEC leaves it open), so they are joined with ' '.
   */
  saidTo(to: string): string {
    return this.textsTo(to).join(' ');
  }

  async props(id: string, project = 'p'): Promise<Record<string, string>> {
    const record = await this.deps.store.cases.get(project, id);
    assert.ok(record, `no case ${project}/${id}`);
    return record.properties;
  }
}

/** `question` was sent again after an error text (and nothing else was). */
function assertRepeated(said: string, question: string): void {
  const at = said.indexOf(question);
  assert.ok(
    at > 0 && said.slice(0, at).trim() !== '',
    `expected an error, then "${question}"; got "${said}"`,
  );
  assert.equal(said.indexOf(question, at + 1), -1, `"${question}" once: "${said}"`);
}

/** `question` was asked (its choices may follow it), with no error before it. */
function assertAsked(said: string, question: string): void {
  assert.ok(said.startsWith(question), `expected "${question}"; got "${said}"`);
}

async function fixture(deps: Deps): Promise<void> {
  await putProject(deps, 'p', { default_reply: 'default' });
  await putGateway(deps, 'GW', { type: 'test', default: true });
  await putGateway(deps, 'GW2', { type: 'test' });
  await putSurvey(deps, 'p', 'visit', VISIT);
  await putSurvey(deps, 'p', 'short', SHORT);
  await putSurvey(deps, 'p', 'other', OTHER);
  await putSurvey(deps, 'p', 'exp-partial', EXPIRING(true));
  await putSurvey(deps, 'p', 'exp-none', EXPIRING(false));
  await putSurvey(deps, 'p', 'remind', REMINDED);
  await putKeyword(deps, 'p', 'VISIT', {
    action: 'survey',
    survey: 'visit',
    reply: { text: 'Starting the visit survey' },
  });
  await putKeyword(deps, 'p', 'news', { action: 'survey', survey: 'short' });
  await putKeyword(deps, 'p', 'OTHER', { action: 'survey', survey: 'other', override_open_survey: true });
  await putKeyword(deps, 'p', 'EXPP', { action: 'survey', survey: 'exp-partial' });
  await putKeyword(deps, 'p', 'EXPN', { action: 'survey', survey: 'exp-none' });
  await putKeyword(deps, 'p', 'REMIND', { action: 'survey', survey: 'remind' });
  await putKeyword(deps, 'p', 'INFO', { reply: { text: 'info text' } });
  await putKeyword(deps, 'p', 'HELP', { reply: { text: 'help text' }, override_open_survey: true });
  await putKeyword(deps, 'p', 'HELPME', {
    action: 'notify_owner',
    notify_text: { '*': '{case.name} needs help', sw: '{case.name} anahitaji msaada' },
    reply: { text: 'We will call you' },
  });
  await upsertMobileWorker(deps, { project: 'p', id: 'w', name: 'Juma', phone_numbers: [N.worker] });
  const verified = { contact_phone_number_is_verified: '1' };
  await upsertCase(deps, {
    project: 'p',
    id: 'c',
    name: 'Amina',
    owner: 'w',
    properties: { contact_phone_number: N.amina, ...verified, village: 'Kibera' },
  });
  await upsertCase(deps, {
    project: 'p',
    id: 'c-sw',
    name: 'Baraka',
    properties: { contact_phone_number: N.baraka, ...verified, language_code: 'sw' },
  });
  await upsertCase(deps, {
    project: 'p',
    id: 'c-orphan',
    name: 'Zawadi',
    properties: { contact_phone_number: N.orphan, ...verified },
  });
}

for (const name of ['sqlite', 'postgres'] as const) {
  describe(`inbound on ${name}`, () => {
    let h: Harness;

    beforeEach(async () => {
      const engine = await createScenarioEngine(START, name === 'postgres' ? POSTGRES : undefined);
      h = new Harness(engine);
      await fixture(h.deps);
      await engine.settle(engine.clock.now());
      h.sent();
    });
    afterEach(() => h.engine.close());

    test('a whole survey: every question type, invalid answers repeat the question, answers saved to the case at the end', async () => {
      await h.inbound(N.amina, 'visit', 'GW2');
      const first = h.sent();
      assert.ok(
        first.every((sms) => sms.to === N.amina && sms.gateway === 'GW2'),
        JSON.stringify(first),
      );
      assert.equal(
        first.map((sms) => sms.text).join(' '),
        'Starting the visit survey Visit survey. Your name?',
      );

      const step = async (answer: string) => {
        await h.inbound(N.amina, answer, 'GW2');
        const sent = h.sent();
        assert.ok(
          sent.every((sms) => sms.to === N.amina && sms.gateway === 'GW2'),
          JSON.stringify(sent),
        );
        return sent.map((sms) => sms.text).join(' ');
      };
      const invalid = async (answer: string, question: string) =>
        assertRepeated(await step(answer), question);

      await invalid('   ', 'Your name?'); // required
      assertAsked(await step('Amina Otieno'), 'How many children?');
      await invalid('three', 'How many children?');
      await invalid('2.5', 'How many children?');
      assertAsked(await step(' 3 '), 'Weight in kg?');
      await invalid('heavy', 'Weight in kg?');
      await invalid('6x', 'Weight in kg?');
      assertAsked(await step('61.5'), 'Visit date (YYYYMMDD)?');
      await invalid('20260230', 'Visit date (YYYYMMDD)?'); // no 30 February
      await invalid('20261301', 'Visit date (YYYYMMDD)?');
      await invalid('5 Jan', 'Visit date (YYYYMMDD)?');
      assertAsked(await step('20260105'), 'Visit time (HHMM)?');
      await invalid('2460', 'Visit time (HHMM)?');
      await invalid('1275', 'Visit time (HHMM)?');
      await invalid('noon', 'Visit time (HHMM)?');
      assertAsked(await step('1430'), 'Feeling well?');
      await invalid('maybe', 'Feeling well?');
      await invalid('3', 'Feeling well?'); // out of range
      // YES is also the pass-through opt-in word: it opts in silently and is the answer.
      assertAsked(await step('yes'), 'Which clinic?');
      await invalid('East', 'Which clinic?');
      await invalid('0', 'Which clinic?');
      assertAsked(await step('2'), 'Symptoms?'); // by number
      await invalid('1 4', 'Symptoms?');
      await invalid('fever headache', 'Symptoms?');
      assertAsked(await step('3 1'), 'Any comments?');
      // Nothing saved before the end.
      assert.equal((await h.props('c')).patient_name, undefined);
      assert.equal(await step('  '), 'Thank you!'); // an optional question skipped

      const props = await h.props('c');
      assert.equal(props.patient_name, 'Amina Otieno');
      assert.equal(props.children, '3');
      assert.equal(props.weight, '61.5');
      assert.match(props.visit_date ?? '', /^2026-?01-?05$/);
      assert.match(props.visit_time ?? '', /^14:?30$/);
      assert.equal(props.well, 'yes');
      assert.equal(props.clinic, 'south');
      assert.deepEqual((props.symptoms ?? '').split(/[\s,]+/).sort(), ['fever', 'rash']);
      assert.equal(props.comments, undefined);
      assert.equal(props.village, 'Kibera', 'other properties are kept');
      assert.equal(props.contact_phone_number, N.amina);

      // The session is closed: the next text is no answer.
      assert.equal(await step('hello'), 'default');
    });

    test('single choice by its text, in the contact language; questions and choices translated', async () => {
      await h.inbound(N.baraka, 'VISIT');
      assert.equal(h.saidTo(N.baraka), 'Starting the visit survey Utafiti wa ziara. Jina lako?');
      await h.inbound(N.baraka, 'Baraka');
      assertAsked(h.saidTo(N.baraka), 'Watoto wangapi?');
      await h.inbound(N.baraka, 'many');
      assertRepeated(h.saidTo(N.baraka), 'Watoto wangapi?');
      await h.inbound(N.baraka, '0');
      assertAsked(h.saidTo(N.baraka), 'Weight in kg?'); // no Swahili text: the untranslated one
      for (const answer of ['70', '20260104', '0905']) await h.inbound(N.baraka, answer);
      h.sent();
      await h.inbound(N.baraka, 'tatu');
      const again = h.saidTo(N.baraka);
      assertRepeated(again, 'Unajisikia vizuri?');
      assert.ok(again.includes('Ndiyo') && again.includes('Hapana'), `choices in Swahili: ${again}`);
      await h.inbound(N.baraka, 'hapana'); // by its (translated) text
      assertAsked(h.saidTo(N.baraka), 'Which clinic?');
      await h.inbound(N.baraka, 'NORTH'); // by its text, any case
      assertAsked(h.saidTo(N.baraka), 'Symptoms?');
      await h.inbound(N.baraka, 'fever');
      assertAsked(h.saidTo(N.baraka), 'Any comments?');
      await h.inbound(N.baraka, 'none');
      assert.equal(h.saidTo(N.baraka), 'Asante!');
      const props = await h.props('c-sw');
      assert.equal(props.patient_name, 'Baraka');
      assert.equal(props.children, '0');
      assert.equal(props.weight, '70');
      assert.equal(props.well, 'no');
      assert.equal(props.clinic, 'north');
      assert.equal(props.symptoms, 'fever');
      assert.equal(props.comments, 'none');
    });

    test('a keyword against an open survey is its answer, unless it overrides the survey; #CURRENT repeats, #STOP closes', async () => {
      await h.inbound(N.amina, 'NEWS');
      assert.equal(h.saidTo(N.amina), 'Any news?');
      await h.inbound(N.amina, 'INFO today');
      assert.equal(h.saidTo(N.amina), 'Age?', 'a plain keyword is taken as the answer');
      await h.inbound(N.amina, '#current');
      assert.equal(h.saidTo(N.amina), 'Age?');
      await h.inbound(N.amina, '40');
      assert.equal(h.saidTo(N.amina), '');
      const props = await h.props('c');
      assert.equal(props.news, 'INFO today');
      assert.equal(props.age, '40');

      await h.inbound(N.amina, 'news');
      assert.equal(h.saidTo(N.amina), 'Any news?');
      await h.inbound(N.amina, 'Help me');
      assert.equal(h.saidTo(N.amina), 'help text', 'an override_open_survey keyword runs, and is no answer');
      await h.inbound(N.amina, '#START info');
      assert.equal(h.saidTo(N.amina), 'info text', '#START runs a keyword over an open survey');
      assert.equal((await h.props('c')).news, 'INFO today');

      await h.inbound(N.amina, '#START news'); // whatever is open, a new session
      assert.equal(h.saidTo(N.amina), 'Any news?');
      await h.inbound(N.amina, '#STOP');
      assert.equal(h.saidTo(N.amina), '');
      await h.inbound(N.amina, 'INFO');
      await h.inbound(N.amina, 'nothing new');
      await h.inbound(N.amina, '#CURRENT');
      assert.deepEqual(h.textsTo(N.amina), ['info text', 'default']);
      assert.equal((await h.props('c')).news, 'INFO today', 'a closed session saves nothing');
      assert.equal((await h.props('c')).age, '40');
    });

    test('one open session per contact: a new survey closes the old one', async () => {
      await h.inbound(N.amina, 'news');
      await h.inbound(N.amina, 'old news');
      assert.equal(h.saidTo(N.amina), 'Any news? Age?');
      await h.inbound(N.amina, 'other'); // override_open_survey: starts another survey
      assert.deepEqual(h.textsTo(N.amina), ['Your village?']);
      await h.inbound(N.amina, 'Kisumu');
      assert.deepEqual(h.textsTo(N.amina), []);
      await h.inbound(N.amina, '33');
      assert.deepEqual(h.textsTo(N.amina), ['default'], 'the old session is closed, not resumed');
      const props = await h.props('c');
      assert.equal(props.village, 'Kisumu');
      assert.equal(props.news, undefined);
      assert.equal(props.age, undefined);

      // #START starts a survey over an open one too.
      await h.inbound(N.amina, 'other');
      await h.inbound(N.amina, '#START news');
      assert.deepEqual(h.textsTo(N.amina), ['Your village?', 'Any news?']);
      await h.inbound(N.amina, 'fresh');
      await h.inbound(N.amina, '5');
      assert.deepEqual(h.textsTo(N.amina), ['Age?']);
      const after = await h.props('c');
      assert.equal(after.news, 'fresh');
      assert.equal(after.age, '5');
      assert.equal(after.village, 'Kisumu');

      // Sessions are per contact: another contact's survey leaves this one open.
      await h.inbound(N.amina, 'news');
      await h.inbound(N.baraka, 'news');
      await h.inbound(N.amina, 'mine');
      await h.inbound(N.baraka, 'theirs');
      h.sent();
      assert.equal((await h.props('c')).news, 'fresh');
      await h.inbound(N.amina, '1');
      await h.inbound(N.baraka, '2');
      assert.equal((await h.props('c')).news, 'mine');
      assert.equal((await h.props('c-sw')).news, 'theirs');
    });

    test('expiry after expiry_hours: partial_save keeps the answers so far, without it nothing is saved', async () => {
      await h.inbound(N.amina, 'EXPP');
      await h.inbound(N.amina, 'alpha');
      await h.inbound(N.baraka, 'expn');
      await h.inbound(N.baraka, 'gamma');
      h.sent();
      await h.advance(2 * HOUR - MINUTE);
      assert.equal((await h.props('c')).first_p, undefined);
      await h.advance(MINUTE);
      assert.deepEqual(h.sent(), [], 'expiry sends nothing');
      const partial = await h.props('c');
      assert.equal(partial.first_p, 'alpha');
      assert.equal(partial.second_p, undefined);
      const none = await h.props('c-sw');
      assert.equal(none.first_n, undefined);
      assert.equal(none.second_n, undefined);
      await h.inbound(N.amina, 'beta');
      await h.inbound(N.baraka, 'delta');
      assert.deepEqual(
        h.sent().map((sms) => [sms.to, sms.text]),
        [
          [N.amina, 'default'],
          [N.baraka, 'default'],
        ],
      );
      assert.equal((await h.props('c')).second_p, undefined);
    });

    test('reminders resend the current question at reminder_minutes after the previous send, in the contact language', async () => {
      const t0 = h.now();
      await h.inbound(N.baraka, 'remind', 'GW2');
      assert.deepEqual(h.textsTo(N.baraka), ['Swali la kwanza?']);
      await h.advance(30 * MINUTE - 1);
      assert.deepEqual(h.sent(), []);
      await h.advance(1);
      const first = h.sent();
      assert.deepEqual(
        first.map((sms) => [sms.to, sms.gateway, sms.text, new Date(sms.at).toISOString()]),
        [[N.baraka, 'GW2', 'Swali la kwanza?', new Date(t0 + 30 * MINUTE).toISOString()]],
      );
      await h.advance(60 * MINUTE);
      const second = h.sent();
      assert.deepEqual(
        second.map((sms) => [sms.text, new Date(sms.at).toISOString()]),
        [['Swali la kwanza?', new Date(t0 + 90 * MINUTE).toISOString()]],
      );
      await h.advance(5 * HOUR);
      assert.deepEqual(h.sent(), [], 'no reminders are left, and expiry sends nothing');
      await h.inbound(N.baraka, 'late');
      assert.deepEqual(h.textsTo(N.baraka), ['default']);
    });

    test('reminders follow the question awaiting an answer and stop at completion', async () => {
      await h.inbound(N.amina, 'REMIND');
      assert.deepEqual(h.textsTo(N.amina), ['Question one?']);
      await h.advance(40 * MINUTE);
      assert.deepEqual(h.textsTo(N.amina), ['Question one?']);
      await h.inbound(N.amina, 'one');
      assert.deepEqual(h.textsTo(N.amina), ['Question two?']);
      await h.advance(2 * HOUR);
      const reminders = h.textsTo(N.amina);
      assert.ok(reminders.length >= 1, 'the current question is reminded');
      assert.ok(
        reminders.every((text) => text === 'Question two?'),
        JSON.stringify(reminders),
      );
      await h.inbound(N.amina, 'two');
      assert.deepEqual(h.textsTo(N.amina), []);
      await h.advance(3 * HOUR);
      assert.deepEqual(h.sent(), []);
      const props = await h.props('c');
      assert.equal(props.r1, 'one');
      assert.equal(props.r2, 'two');
    });

    test('JOIN registers a case (two-way, named after the number, registration_case_type) or a mobile worker', async () => {
      await putProject(h.deps, 'reg', {
        allow_case_registration: true,
        allow_worker_registration: true,
        registration_case_type: 'household',
      });
      await putProject(h.deps, 'plain', { allow_case_registration: true });
      await putProject(h.deps, 'closed', {});
      const store = h.deps.store;
      const contactOf = async (messageId: number) => (await store.messages.get(messageId))?.contact ?? null;

      const a = await h.inbound('+254 712 000 301', 'JOIN reg');
      assert.deepEqual(
        h.sent().map((sms) => [sms.to, sms.gateway, sms.text]),
        [['254712000301', 'GW', 'Welcome! This phone is now registered.']],
      );
      const ca = await contactOf(a.messageId);
      assert.equal(ca?.kind, 'case');
      const registered = await store.cases.get('reg', ca.id);
      assert.ok(registered);
      assert.equal(registered.type, 'household');
      assert.match(registered.name ?? '', /254712000301/);
      assert.equal(registered.closed, false);
      assert.equal(registered.properties.contact_phone_number?.replace('+', ''), '254712000301');
      assert.deepEqual(
        (await store.phones.forNumber('254712000301')).map((e) => [
          e.projectId,
          e.contactKind,
          e.contactId,
          e.state,
        ]),
        [['reg', 'case', ca.id, 'two_way']],
      );

      const b = await h.inbound('254712000302', 'join plain');
      const cb = await contactOf(b.messageId);
      assert.equal(cb?.kind, 'case');
      assert.equal((await store.cases.get('plain', cb.id))?.type, 'contact');
      assert.equal(h.sent().length, 1);

      await h.inbound('254712000303', 'JOIN reg WORKER juma');
      assert.deepEqual(
        h.sent().map((sms) => [sms.to, sms.text]),
        [['254712000303', 'Welcome! This phone is now registered.']],
      );
      const juma = await store.workers.get('reg', 'juma');
      assert.ok(juma);
      assert.equal(juma.active, true);
      assert.deepEqual(
        juma.phoneNumbers.map((n) => n.replace('+', '')),
        ['254712000303'],
      );
      assert.deepEqual(
        (await store.phones.forNumber('254712000303')).map((e) => [
          e.projectId,
          e.contactKind,
          e.contactId,
          e.state,
        ]),
        [['reg', 'mobile_worker', 'juma', 'two_way']],
      );

      const d = await h.inbound('254712000304', 'JOIN reg worker');
      const cd = await contactOf(d.messageId);
      assert.equal(cd?.kind, 'mobile_worker');
      assert.equal((await store.workers.get('reg', cd.id))?.active, true);
      assert.equal(h.sent().length, 1);

      // Not allowed, or no such project: unrecognised, no reply, nothing registered.
      await h.inbound('254712000305', 'JOIN closed');
      await h.inbound('254712000305', 'JOIN closed WORKER x');
      await h.inbound('254712000305', 'JOIN plain WORKER y');
      await h.inbound('254712000305', 'JOIN nowhere');
      assert.deepEqual(h.sent(), []);
      assert.deepEqual(await store.phones.forNumber('254712000305'), []);
      assert.equal(await store.workers.get('closed', 'x'), null);
      assert.equal(await store.workers.get('plain', 'y'), null);

      // The registered number is two-way: keywords of its project now reach it.
      await putKeyword(h.deps, 'reg', 'INFO', { reply: { text: 'reg info' } });
      await h.inbound('254712000301', 'info');
      await h.inbound('254712000303', 'INFO');
      assert.deepEqual(
        h.sent().map((sms) => [sms.to, sms.text]),
        [
          ['254712000301', 'reg info'],
          ['254712000303', 'reg info'],
        ],
      );
    });

    test("notify_owner sends the keyword's text to the case owner's number, and the reply to the sender", async () => {
      await h.inbound(N.amina, 'HELPME', 'GW2');
      const sent = h.sent().map((sms) => [sms.to, sms.gateway, sms.text]);
      assert.deepEqual(
        sent.sort(),
        [
          [N.amina, 'GW2', 'We will call you'],
          [N.worker, 'GW', 'Amina needs help'],
        ].sort(),
      );
      // In the owner's language.
      await upsertMobileWorker(h.deps, { project: 'p', id: 'w', language: 'sw' });
      await h.inbound(N.amina, 'helpme');
      assert.deepEqual(
        h
          .sent()
          .map((sms) => [sms.to, sms.text])
          .sort(),
        [
          [N.amina, 'We will call you'],
          [N.worker, 'Amina anahitaji msaada'],
        ].sort(),
      );
      // A case without an owner: only the reply.
      await h.inbound(N.orphan, 'helpme');
      assert.deepEqual(h.textsTo(N.orphan), ['We will call you']);
    });
  });
}

describe('per-sender order with two workers on one PostgreSQL schema', () => {
  const schema = `caseline_inbound_${randomBytes(6).toString('hex')}`;
  const dbs: Db[] = [];
  const workers: { store: Store; clock: VirtualClock }[] = [];
  const ORDER: SurveyBody = {
    questions: Array.from({ length: 6 }, (_, i) => ({
      id: `q${i + 1}`,
      type: 'text' as const,
      text: { '*': `Q${i + 1}?` },
      save_to: `p${i + 1}`,
    })),
  };

  before(async () => {
    for (let i = 0; i < 2; i++) {
      const db = await openDatabase(POSTGRES, { schema, max: 3 });
      if (i === 0) await db.migrate();
      dbs.push(db);
      workers.push({ store: createStore(db), clock: new VirtualClock(START) });
    }
    const deps = workers[0] as Deps;
    await putProject(deps, 'p', {});
    await putGateway(deps, 'GW', { type: 'test', default: true });
    await putSurvey(deps, 'p', 'order', ORDER);
    await putKeyword(deps, 'p', 'ORDER', { action: 'survey', survey: 'order' });
  });
  after(async () => {
    for (const db of dbs) await db.close();
    await dropSchema(POSTGRES, schema);
  });

  /** Stores an inbound SMS without running the pipeline (as a webhook does before a crash). */
  async function store(deps: Deps, from: string, text: string): Promise<number> {
    const now = deps.clock.now();
    const message = await deps.store.transaction((tx) =>
      tx.messages.insert(
        {
          projectId: null,
          eventId: null,
          subEventId: null,
          direction: 'in',
          channel: 'sms',
          contact: null,
          phone: from,
          email: null,
          gatewayId: 'GW',
          subject: null,
          text,
          segments: null,
          status: 'received',
          kind: 'inbound',
          replyTo: null,
          dueAt: now,
          outcome: null,
        },
        now,
      ),
    );
    return message.id;
  }

  const [w1, w2] = [() => workers[0] as Deps, () => workers[1] as Deps];

  for (let round = 0; round < 3; round++) {
    test(`stored answers are applied once each, in arrival order, by racing workers (round ${round + 1})`, async () => {
      const number = `25471200040${round}`;
      const id = `c${round}`;
      await upsertCase(w1(), {
        project: 'p',
        id,
        properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
      });
      await handleInbound(w1(), { gateway: 'GW', from: number, text: 'ORDER' });
      for (let i = 1; i <= 6; i++) await store(i % 2 === 0 ? w1() : w2(), number, `answer ${i}`);
      const counts = await Promise.all([
        processSender(w2(), number),
        processSender(w1(), number),
        processSender(w2(), number),
        processSender(w1(), number),
      ]);
      assert.equal(
        counts.reduce((a, b) => a + b, 0),
        6,
        `each message processed once: ${JSON.stringify(counts)}`,
      );
      const props = (await w2().store.cases.get('p', id))?.properties ?? {};
      for (let i = 1; i <= 6; i++) assert.equal(props[`p${i}`], `answer ${i}`);
    });
  }

  test('answers arriving concurrently through both workers are each applied exactly once', async () => {
    const number = '254712000410';
    await upsertCase(w1(), {
      project: 'p',
      id: 'cc',
      properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
    });
    await handleInbound(w2(), { gateway: 'GW', from: number, text: 'order' });
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        handleInbound(i % 2 === 0 ? w1() : w2(), { gateway: 'GW', from: number, text: `reply ${i + 1}` }),
      ),
    );
    assert.ok(
      results.every((r) => r.outcome === 'survey_answer'),
      JSON.stringify(results.map((r) => r.outcome)),
    );
    const props = (await w1().store.cases.get('p', 'cc'))?.properties ?? {};
    const saved = Array.from({ length: 6 }, (_, i) => props[`p${i + 1}`]);
    assert.deepEqual(
      [...saved].sort(),
      Array.from({ length: 6 }, (_, i) => `reply ${i + 1}`),
    );
  });
});
