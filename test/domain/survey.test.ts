import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ANSWER_ERRORS,
  answer,
  caseUpdates,
  currentQuestion,
  expiresAt,
  nextReminderAt,
  questionText,
  start,
  validateAnswer,
} from '../../src/domain/survey.ts';
import type { AnswerResult, Question, QuestionType, SurveyDefinition } from '../../src/domain/survey.ts';
import type { LanguageChain } from '../../src/domain/language.ts';
// The API schema of a survey and a keyword, checked here beside the rules they feed.
import { KeywordBody } from '../../src/domain/definitions.ts';
import { SurveyBody } from '../../src/domain/survey-shape.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';
import type { TSchema } from 'typebox';

const q = (type: QuestionType, extra: Partial<Question> = {}): Question => ({
  id: type,
  type,
  text: { en: `${type}?` },
  ...extra,
});
const yesNo = q('single', {
  choices: [
    { value: 'yes', text: { en: 'Yes', fra: 'Oui' } },
    { value: 'no', text: { en: 'No', fra: 'Non' } },
  ],
});
const symptoms = q('multiple', {
  choices: [
    { value: 'fever', text: { en: 'Fever' } },
    { value: 'cough', text: { en: 'Cough' } },
    { value: 'rash', text: { en: 'Skin rash' } },
  ],
});

const ok = (value: string): AnswerResult => ({ ok: true, value });
/** The error's system text key (SPEC 5.1); its English text is ANSWER_ERRORS[key]. */
const error = (key: string): AnswerResult => {
  const full = `answer_${key}` as keyof typeof ANSWER_ERRORS;
  assert.ok(ANSWER_ERRORS[full], `no answer error ${full}`);
  return { ok: false, error: full };
};

test('validateAnswer: each type, valid and invalid', () => {
  const cases: { question: Question; text: string; expect: AnswerResult }[] = [
    { question: q('text'), text: '  Amina Said ', expect: ok('Amina Said') },
    { question: q('text'), text: '   ', expect: error('required') },
    { question: q('text'), text: 'skip', expect: ok('skip') },

    { question: q('int'), text: '12', expect: ok('12') },
    { question: q('int'), text: ' -3 ', expect: ok('-3') },
    { question: q('int'), text: '+7', expect: ok('7') },
    { question: q('int'), text: '007', expect: ok('7') },
    { question: q('int'), text: '1.5', expect: error('int') },
    { question: q('int'), text: '12a', expect: error('int') },
    { question: q('int'), text: '1 2', expect: error('int') },
    { question: q('int'), text: '-', expect: error('int') },
    { question: q('int'), text: '', expect: error('required') },

    { question: q('decimal'), text: '1,5', expect: ok('1.5') },
    { question: q('decimal'), text: '1.5', expect: ok('1.5') },
    { question: q('decimal'), text: '-0.25', expect: ok('-0.25') },
    { question: q('decimal'), text: '.5', expect: ok('0.5') },
    { question: q('decimal'), text: '36', expect: ok('36') },
    { question: q('decimal'), text: '2.', expect: ok('2') },
    { question: q('decimal'), text: '1.000,5', expect: error('decimal') },
    { question: q('decimal'), text: '1e5', expect: error('decimal') },
    { question: q('decimal'), text: '.', expect: error('decimal') },
    { question: q('decimal'), text: 'abc', expect: error('decimal') },

    { question: q('date'), text: '20260105', expect: ok('2026-01-05') },
    { question: q('date'), text: '2026-01-05', expect: ok('2026-01-05') },
    { question: q('date'), text: '20240229', expect: ok('2024-02-29') },
    { question: q('date'), text: '20260230', expect: error('date') },
    { question: q('date'), text: '20250229', expect: error('date') },
    { question: q('date'), text: '21000229', expect: error('date') },
    { question: q('date'), text: '20261301', expect: error('date') },
    { question: q('date'), text: '20260100', expect: error('date') },
    { question: q('date'), text: '2026-0105', expect: error('date') },
    { question: q('date'), text: '05012026', expect: error('date') },
    { question: q('date'), text: '2026015', expect: error('date') },
    { question: q('date'), text: '05/01/2026', expect: error('date') },

    { question: q('time'), text: '0930', expect: ok('09:30') },
    { question: q('time'), text: '2359', expect: ok('23:59') },
    { question: q('time'), text: '0000', expect: ok('00:00') },
    { question: q('time'), text: '9:05', expect: ok('09:05') },
    { question: q('time'), text: '2460', expect: error('time') },
    { question: q('time'), text: '2400', expect: error('time') },
    { question: q('time'), text: '1260', expect: error('time') },
    { question: q('time'), text: '930', expect: error('time') },
    { question: q('time'), text: 'noon', expect: error('time') },

    { question: yesNo, text: '2', expect: ok('no') },
    { question: yesNo, text: ' 1 ', expect: ok('yes') },
    { question: yesNo, text: 'no', expect: ok('no') },
    { question: yesNo, text: 'YES', expect: ok('yes') },
    { question: yesNo, text: 'oui', expect: ok('yes') },
    { question: yesNo, text: '9', expect: error('range') },
    { question: yesNo, text: '0', expect: error('range') },
    { question: yesNo, text: 'maybe', expect: error('choice') },
    { question: yesNo, text: '1 2', expect: error('choice') },

    { question: symptoms, text: '1 3', expect: ok('fever rash') },
    { question: symptoms, text: '1,3', expect: ok('fever rash') },
    { question: symptoms, text: '3, 1', expect: ok('fever rash') },
    { question: symptoms, text: '2 2 cough', expect: ok('cough') },
    { question: symptoms, text: 'Cough fever', expect: ok('fever cough') },
    { question: symptoms, text: 'skin rash', expect: ok('rash') },
    { question: symptoms, text: '2', expect: ok('cough') },
    { question: symptoms, text: '1 4', expect: error('range') },
    { question: symptoms, text: '13', expect: error('range') },
    { question: symptoms, text: '1 headache', expect: error('choice') },
    { question: symptoms, text: ' , ', expect: error('choice') },
    { question: symptoms, text: '', expect: error('required') },

    { question: q('int', { required: false }), text: '  ', expect: ok('') },
    { question: q('int', { required: false }), text: 'Skip', expect: ok('') },
    { question: q('int', { required: false }), text: '4', expect: ok('4') },
    { question: q('int', { required: false }), text: 'four', expect: error('int') },
    { question: q('int', { required: true }), text: 'skip', expect: error('int') },
    { question: q('label'), text: 'anything', expect: ok('') },
  ];
  for (const { question, text, expect } of cases) {
    assert.deepEqual(validateAnswer(question, text), expect, `${question.type} ${JSON.stringify(text)}`);
  }
});

test('questionText: language chain and numbered choices', () => {
  const chain = (contactLanguage: string | null): LanguageChain => ({
    contactLanguage,
    messageDefault: 'en',
    fallback: 'untranslated',
  });
  const question: Question = {
    ...yesNo,
    text: { en: 'Did you take it? ', fra: 'Vous l’avez pris ?' },
  };
  assert.equal(questionText(question, chain('en')), 'Did you take it? 1:Yes 2:No');
  assert.equal(questionText(question, chain('fra')), 'Vous l’avez pris ? 1:Oui 2:Non');
  // A choice without a text in the chain shows its value.
  const partly: Question = {
    ...question,
    choices: [
      { value: 'yes', text: { fra: 'Oui' } },
      { value: 'no', text: { en: 'No' } },
    ],
  };
  assert.equal(questionText(partly, chain('en')), 'Did you take it? 1:yes 2:No');
  assert.equal(questionText(symptoms, chain('en')), 'multiple? 1:Fever 2:Cough 3:Skin rash');
  assert.equal(questionText(q('int'), chain('hin')), 'int?');
  assert.equal(questionText(q('label', { text: { '*': 'Thanks' } }), chain(null)), 'Thanks');
  assert.equal(questionText(q('text'), { contactLanguage: 'fra', fallback: 'none' }), null);
});

const intake: SurveyDefinition = {
  id: 'intake',
  questions: [
    { id: 'hello', type: 'label', text: { en: 'Welcome to the clinic survey.' } },
    { id: 'age', type: 'int', text: { en: 'Age?' }, save_to: 'age' },
    { id: 'note1', type: 'label', text: { en: 'Now about today.' } },
    { id: 'note2', type: 'label', text: { en: 'Two more questions.' } },
    { ...yesNo, id: 'took', save_to: 'took_medicine' },
    { id: 'remark', type: 'text', text: { en: 'Anything else?' }, required: false, save_to: 'remark' },
    { id: 'bye', type: 'label', text: { en: 'Thank you!' } },
  ],
};
const ids = (questions: Question[]): string[] => questions.map((question) => question.id);

test('a whole survey: labels skipped, an invalid answer repeats the question, closing labels', () => {
  const started = start(intake);
  assert.deepEqual(ids(started.send), ['hello', 'age']);
  assert.deepEqual(started.state, { index: 1, answers: {} });
  assert.equal(started.complete, false);
  assert.equal(currentQuestion(intake, started.state)?.id, 'age');

  const invalid = answer(intake, started.state, 'twelve');
  assert.equal(invalid.outcome, 'invalid');
  assert.equal(invalid.error, 'answer_int');
  assert.deepEqual(ids(invalid.send), ['age']);
  assert.deepEqual(invalid.state, started.state);

  const age = answer(intake, invalid.state, ' 34 ');
  assert.equal(age.outcome, 'next');
  assert.equal(age.error, undefined);
  assert.deepEqual(ids(age.send), ['note1', 'note2', 'took']);
  assert.deepEqual(age.state, { index: 4, answers: { age: '34' } });

  const took = answer(intake, age.state, 'yes');
  assert.equal(took.outcome, 'next');
  assert.deepEqual(ids(took.send), ['remark']);

  const remark = answer(intake, took.state, 'skip');
  assert.equal(remark.outcome, 'complete');
  assert.deepEqual(ids(remark.send), ['bye']);
  assert.deepEqual(remark.state, { index: 7, answers: { age: '34', took: 'yes' } });
  assert.equal(currentQuestion(intake, remark.state), null);
  assert.deepEqual(caseUpdates(intake, remark.state.answers), { age: '34', took_medicine: 'yes' });

  // Nothing more happens to a complete session.
  const after = answer(intake, remark.state, 'hello?');
  assert.equal(after.outcome, 'complete');
  assert.deepEqual(after.send, []);
  assert.equal(after.state, remark.state);
});

test('answers do not change the state they are given', () => {
  const { state } = start(intake);
  const next = answer(intake, state, '40');
  assert.deepEqual(state, { index: 1, answers: {} });
  assert.notEqual(next.state.answers, state.answers);
});

test('a last question answered completes with nothing more to send', () => {
  const def: SurveyDefinition = { id: 's', questions: [q('int', { save_to: 'n' })] };
  const started = start(def);
  assert.deepEqual(ids(started.send), ['int']);
  const done = answer(def, started.state, '5');
  assert.equal(done.outcome, 'complete');
  assert.deepEqual(done.send, []);
  assert.deepEqual(caseUpdates(def, done.state.answers), { n: '5' });
});

test('a survey of labels only completes at once', () => {
  const def: SurveyDefinition = { id: 's', questions: [q('label', { id: 'a' }), q('label', { id: 'b' })] };
  const started = start(def);
  assert.equal(started.complete, true);
  assert.deepEqual(ids(started.send), ['a', 'b']);
  assert.equal(started.state.index, 2);
});

test('caseUpdates: only answered questions with save_to; a later one wins', () => {
  const def: SurveyDefinition = {
    id: 's',
    questions: [
      { id: 'a', type: 'text', text: { en: 'a' }, save_to: 'p' },
      { id: 'b', type: 'text', text: { en: 'b' } },
      { id: 'c', type: 'text', text: { en: 'c' }, save_to: 'p' },
      { id: 'd', type: 'text', text: { en: 'd' }, save_to: 'q' },
    ],
  };
  assert.deepEqual(caseUpdates(def, { a: '1', b: '2' }), { p: '1' });
  assert.deepEqual(caseUpdates(def, { a: '1', b: '2', c: '3', d: '4' }), { p: '3', q: '4' });
  assert.deepEqual(caseUpdates(def, {}), {});
});

const HOUR = 3_600_000;
const MINUTE = 60_000;
const t0 = Date.UTC(2026, 0, 5, 8);

test('expiresAt: default 168 hours (CommCare), at most 7 days', () => {
  const cases: { expiry_hours?: number; expect: number }[] = [
    { expect: t0 + 168 * HOUR },
    { expiry_hours: 2, expect: t0 + 2 * HOUR },
    { expiry_hours: 168, expect: t0 + 168 * HOUR },
    { expiry_hours: 500, expect: t0 + 168 * HOUR },
  ];
  for (const { expiry_hours, expect } of cases) {
    const def: SurveyDefinition = {
      id: 's',
      questions: [],
      ...(expiry_hours === undefined ? {} : { expiry_hours }),
    };
    assert.equal(expiresAt(def, t0), expect, String(expiry_hours));
  }
});

test('nextReminderAt: each interval after the previous send', () => {
  const def: SurveyDefinition = { id: 's', questions: [], reminder_minutes: [30, 60, 120] };
  const cases: { sent: number; closesAt?: number; expect: number | null }[] = [
    { sent: 0, expect: t0 + 30 * MINUTE },
    { sent: 1, expect: t0 + 90 * MINUTE },
    { sent: 2, expect: t0 + 210 * MINUTE },
    { sent: 3, expect: null },
    { sent: 2, closesAt: t0 + 210 * MINUTE, expect: null },
    { sent: 1, closesAt: t0 + 210 * MINUTE, expect: t0 + 90 * MINUTE },
  ];
  for (const { sent, closesAt, expect } of cases) {
    assert.equal(nextReminderAt(def, t0, sent, closesAt), expect, `${sent} sent`);
  }
  assert.equal(nextReminderAt({ id: 's', questions: [] }, t0, 0), null);
});

// ---------------------------------------------------------------------------------------------
// The API bodies

function problem(schema: TSchema, value: unknown): string | null {
  try {
    parseInput(schema, value);
    return null;
  } catch (caught) {
    assert.ok(caught instanceof InputError, String(caught));
    return caught.describe();
  }
}

const body = (questions: unknown[], extra: Record<string, unknown> = {}): unknown => ({
  questions,
  ...extra,
});
const question = (extra: Record<string, unknown>): Record<string, unknown> => ({
  id: 'q',
  text: { en: 'Q?' },
  ...extra,
});
const choice = (value: string): unknown => ({ value, text: { en: value } });

test('SurveyBody: valid and invalid', () => {
  const cases: { label: string; value: unknown; expect: string | null }[] = [
    {
      label: 'every field',
      value: body(
        [
          question({ id: 'l', type: 'label' }),
          question({ id: 'a', type: 'date', required: false, save_to: 'dob' }),
          question({ id: 'b', type: 'multiple', choices: [choice('x'), choice('y')] }),
        ],
        { expiry_hours: 168, reminder_minutes: [30, 60], partial_save: true, default_language: 'en' },
      ),
      expect: null,
    },
    { label: 'no question', value: body([]), expect: 'questions: must not be empty' },
    {
      label: 'choices missing',
      value: body([question({ type: 'single' })]),
      expect: 'questions[0].choices: is required',
    },
    {
      label: 'empty choices',
      value: body([question({ type: 'multiple', choices: [] })]),
      expect: 'questions[0].choices: must not be empty',
    },
    {
      label: 'choices on an int',
      value: body([question({ type: 'int', choices: [choice('x')] })]),
      expect: "questions[0].choices: not allowed when type is 'int'",
    },
    {
      label: 'save_to on a label',
      value: body([question({ type: 'label', save_to: 'p' })]),
      expect: "questions[0].save_to: not allowed when type is 'label'",
    },
    {
      label: 'unknown type',
      value: body([question({ type: 'gps' })]),
      expect:
        "questions[0].type: must be 'text', 'int', 'decimal', 'date', 'time', 'single', 'multiple' or 'label'",
    },
    {
      label: 'ids unique',
      value: body([question({ type: 'int' }), question({ type: 'text' })]),
      expect: "questions: question ids must be unique: 'q' is used twice",
    },
    {
      label: 'choice values unique',
      value: body([question({ type: 'single', choices: [choice('x'), choice('X')] })]),
      expect: "questions[0].choices: choice values must be unique: 'X' is used twice",
    },
    {
      label: 'choice value with a space',
      value: body([question({ type: 'single', choices: [choice('a b')] })]),
      expect: 'questions[0].choices[0].value: must be one word (no spaces)',
    },
    {
      label: 'blank question text',
      value: body([question({ type: 'text', text: { en: ' ' } })]),
      expect: 'questions[0].text: must have at least one non-blank text',
    },
    {
      label: 'expiry too long',
      value: body([question({ type: 'text' })], { expiry_hours: 169 }),
      expect: 'expiry_hours: must be between 1 and 168',
    },
    {
      label: 'expiry zero',
      value: body([question({ type: 'text' })], { expiry_hours: 0 }),
      expect: 'expiry_hours: must be between 1 and 168',
    },
    {
      label: 'reminder zero',
      value: body([question({ type: 'text' })], { reminder_minutes: [0] }),
      expect: 'reminder_minutes[0]: must be between 1 and 525600',
    },
    {
      label: 'id in the body',
      value: body([question({ type: 'text' })], { id: 's' }),
      expect: "unknown field 'id'",
    },
  ];
  for (const { label, value, expect } of cases) {
    assert.equal(problem(SurveyBody, value), expect, label);
  }
});

test('KeywordBody: actions and their fields', () => {
  const cases: { label: string; value: unknown; expect: string | null }[] = [
    {
      label: 'reply, as before',
      value: { reply: { text: 'hi' }, allow: 'cases', override_open_survey: true },
      expect: null,
    },
    {
      label: 'reply with translations',
      value: { action: 'reply', reply: { translations: { en: 'hi' } } },
      expect: null,
    },
    { label: 'survey', value: { action: 'survey', survey: 'intake' }, expect: null },
    {
      label: 'survey with a reply first',
      value: { action: 'survey', survey: 'intake', reply: { text: 'hi' } },
      expect: null,
    },
    {
      label: 'notify owner, text',
      value: { action: 'notify_owner', notify_text: 'Help needed' },
      expect: null,
    },
    {
      label: 'notify owner, translations',
      value: { action: 'notify_owner', notify_text: { en: 'Help' } },
      expect: null,
    },
    { label: 'nothing', value: {}, expect: "'reply' is required when action is 'reply'" },
    {
      label: 'survey without id',
      value: { action: 'survey' },
      expect: "'survey' is required when action is 'survey'",
    },
    {
      label: 'survey id without action',
      value: { reply: { text: 'x' }, survey: 's' },
      expect: "'survey' is only for action 'survey'",
    },
    {
      label: 'notify without text',
      value: { action: 'notify_owner' },
      expect: "'notify_text' is required when action is 'notify_owner'",
    },
    {
      label: 'notify text with another action',
      value: { action: 'survey', survey: 's', notify_text: 'x' },
      expect: "'notify_text' is only for action 'notify_owner'",
    },
    {
      label: 'empty notify text',
      value: { action: 'notify_owner', notify_text: '' },
      expect: 'notify_text: must not be empty',
    },
    {
      label: 'unknown action',
      value: { action: 'call', reply: { text: 'x' } },
      expect: "action: must be 'reply', 'survey', 'notify_owner' or 'structured'",
    },
    {
      label: 'reply with a subject',
      value: { reply: { text: 'x', subject: 'y' } },
      expect: "reply: unknown field 'subject'",
    },
  ];
  for (const { label, value, expect } of cases) {
    assert.equal(problem(KeywordBody, value), expect, label);
  }
});
