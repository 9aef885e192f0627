// SPEC 5.1: conditions (show_if) on stored values, the walk that skips hidden questions and
// collects labels, texts as a string or translations, and what the survey shape refuses.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  answer,
  isShown,
  questionText,
  start,
  type Question,
  type SurveyDefinition,
} from '../../src/domain/survey.ts';
import { SurveyBody } from '../../src/domain/survey-shape.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';

const q = (id: string, over: Partial<Question> = {}): Question => ({
  id,
  type: 'text',
  text: `${id}?`,
  ...over,
});

test('isShown: equals, not_equals and in against every stored value; none when unanswered', () => {
  const answers = { sym: 'fever cough', one: 'yes' };
  const cases: [Question['show_if'], boolean][] = [
    [undefined, true],
    [{ question: 'one', op: 'equals', value: 'yes' }, true],
    [{ question: 'one', op: 'equals', value: 'YES' }, false],
    [{ question: 'sym', op: 'equals', value: 'cough' }, true],
    [{ question: 'sym', op: 'not_equals', value: 'cough' }, false],
    [{ question: 'sym', op: 'not_equals', value: 'rash' }, true],
    [{ question: 'sym', op: 'in', value: ['rash', 'fever'] }, true],
    [{ question: 'sym', op: 'in', value: ['rash'] }, false],
    [{ question: 'none', op: 'equals', value: 'x' }, false],
    [{ question: 'none', op: 'not_equals', value: 'x' }, true],
    [{ question: 'none', op: 'in', value: ['x'] }, false],
  ];
  for (const [show_if, expect] of cases)
    assert.equal(isShown(q('x', { show_if }), answers), expect, JSON.stringify(show_if));
});

test('the walk skips hidden questions and labels, and sends shown labels with the next question', () => {
  const def: SurveyDefinition = {
    id: 's',
    questions: [
      q('intro', { type: 'label' }),
      q('a', { type: 'single', choices: [{ value: 'y' }, { value: 'n', text: { '*': 'No' } }] }),
      q('why', { show_if: { question: 'a', op: 'equals', value: 'n' } }),
      q('hidden-label', { type: 'label', show_if: { question: 'a', op: 'equals', value: 'n' } }),
      q('shown-label', { type: 'label', show_if: { question: 'a', op: 'equals', value: 'y' } }),
      q('b'),
    ],
  };
  const started = start(def);
  assert.deepEqual(
    started.send.map((x) => x.id),
    ['intro', 'a'],
  );
  const yes = answer(def, started.state, '1');
  assert.deepEqual(
    yes.send.map((x) => x.id),
    ['shown-label', 'b'],
  );
  assert.deepEqual(yes.state, { index: 5, answers: { a: 'y' } });
  const no = answer(def, started.state, 'no');
  assert.deepEqual(
    no.send.map((x) => x.id),
    ['why'],
  );
  const chain = {
    contactLanguage: null,
    messageDefault: null,
    projectDefault: null,
    fallback: 'untranslated' as const,
  };
  assert.equal(questionText(def.questions[1] as Question, chain), 'a? 1:y 2:No');
});

test('SurveyBody refuses what SPEC 5.1 and the bounds refuse, naming the field', () => {
  const one = (over: Record<string, unknown>) => ({
    questions: [{ id: 'a', type: 'int', text: 'A?', ...over }],
  });
  const refused: [string, unknown, string][] = [
    ['text and translations', one({ translations: { en: 'A?' } }), "exactly one of 'text' or 'translations'"],
    ['no text', { questions: [{ id: 'a', type: 'int' }] }, "exactly one of 'text' or 'translations'"],
    [
      'a choice with both',
      {
        questions: [
          {
            id: 'a',
            type: 'single',
            text: 'A?',
            choices: [{ value: 'y', text: 'Y', translations: { en: 'Y' } }],
          },
        ],
      },
      'choices[0]: must not have both text and translations',
    ],
    [
      'a condition on a later question',
      {
        questions: [
          { id: 'a', type: 'int', text: 'A?', show_if: { question: 'b', op: 'equals', value: '1' } },
          { id: 'b', type: 'int', text: 'B?' },
        ],
      },
      "names 'b', which is not an earlier question",
    ],
    [
      'a condition on a label',
      {
        questions: [
          { id: 'l', type: 'label', text: 'Hi' },
          { id: 'a', type: 'int', text: 'A?', show_if: { question: 'l', op: 'equals', value: 'x' } },
        ],
      },
      'a label, which is never answered',
    ],
    [
      'in with a string',
      {
        questions: [
          { id: 'a', type: 'int', text: 'A?' },
          { id: 'b', type: 'int', text: 'B?', show_if: { question: 'a', op: 'in', value: '1' } },
        ],
      },
      'show_if',
    ],
    ['a text over 10,000 characters', one({ text: 'x'.repeat(10_001) }), 'questions[0]'],
    ['expiry 169 hours', { ...one({}), expiry_hours: 169 }, 'expiry_hours: must be between 1 and 168'],
    ['expiry 0 hours', { ...one({}), expiry_hours: 0 }, 'expiry_hours: must be between 1 and 168'],
    ['a reminder over a year', { ...one({}), reminder_minutes: [525_601] }, 'reminder_minutes[0]'],
  ];
  for (const [label, body, message] of refused)
    assert.throws(
      () => parseInput(SurveyBody, body),
      (error: unknown) => error instanceof InputError && error.describe().includes(message),
      label,
    );
  assert.doesNotThrow(() => parseInput(SurveyBody, one({ text: { fra: 'A ?' } })));
});
