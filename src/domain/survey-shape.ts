// The shape of an SMS survey (SPEC 5.1) as the API and the scenarios give it; survey.ts runs it.
import Type from 'typebox';
import type { Static } from 'typebox';
import { exactlyOneOf, Id, MAX_ID_LENGTH, Strict } from '../lib/schema.ts';

import { Language, MAX_MESSAGE_TEXT, Translations } from './content.ts';

/** Translations with at least one non-blank text. */
const SurveyTranslations = Type.Refine(
  Translations,
  (text) => Object.values(text).some((value) => value.trim() !== ''),
  () => 'must have at least one non-blank text',
);
/** A question's or choice's text: one string (untranslated), or language → text. */
const SurveyText = Type.Union(
  [Type.String({ minLength: 1, maxLength: MAX_MESSAGE_TEXT }), SurveyTranslations],
  {
    errorMessage: 'must be a text, or an object of language → text',
  },
);

/** One choice of a single or multiple choice question; without a text it shows its value. */
export const SurveyChoice = Type.Refine(
  Strict({
    /** Stored as the answer: one word (multiple choice answers store values space-separated). */
    value: Type.String({
      pattern: '^\\S+$',
      maxLength: MAX_ID_LENGTH,
      errorMessage: 'must be one word (no spaces)',
    }),
    text: Type.Optional(SurveyText),
    translations: Type.Optional(SurveyTranslations),
  }),
  (choice) => choice.text === undefined || choice.translations === undefined,
  () => 'must not have both text and translations',
);
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

/** Asked only when true: `equals`/`not_equals` with a string, `in` with a list (SPEC 5.1). */
export const ShowIf = Type.Union([
  Strict({
    question: Id,
    op: Type.Enum(['equals', 'not_equals']),
    value: Type.String({ maxLength: MAX_ID_LENGTH }),
  }),
  Strict({
    question: Id,
    op: Type.Literal('in'),
    value: Type.Array(Type.String({ maxLength: MAX_ID_LENGTH }), { minItems: 1, maxItems: 100 }),
  }),
]);
export type ShowIf = Static<typeof ShowIf>;

const texted = {
  /** A text, or language → text; exactly one of `text` and `translations`. */
  text: Type.Optional(SurveyText),
  translations: Type.Optional(SurveyTranslations),
};
const oneText = exactlyOneOf('text', 'translations');

const answered = {
  id: Id,
  ...texted,
  /** Default true; an optional question is skipped by a blank answer or SKIP. */
  required: Type.Optional(Type.Boolean()),
  /** Asked only when this condition on an earlier question holds. */
  show_if: Type.Optional(ShowIf),
  /** The case property the answer is saved to. */
  save_to: Type.Optional(Id),
};

/** A question; `type` chooses its fields: `choices` only for single and multiple, a label is
 * never answered (no `required`, no `save_to`). */
export const SurveyQuestion = Type.Union([
  Strict({ ...answered, type: Type.Enum(['text', 'int', 'decimal', 'date', 'time']) }, oneText),
  Strict(
    {
      ...answered,
      type: Type.Enum(['single', 'multiple']),
      /** Values are unique, case-insensitively (answers match them so). */
      choices: Type.Refine(
        Type.Array(SurveyChoice, { minItems: 1, maxItems: 100 }),
        (choices) => duplicate(choices.map((choice) => choice.value)) === undefined,
        (choices) =>
          `choice values must be unique: '${duplicate(choices.map((choice) => choice.value)) ?? ''}' is used twice`,
      ),
    },
    oneText,
  ),
  Strict({ id: Id, type: Type.Literal('label'), ...texted, show_if: Type.Optional(ShowIf) }, oneText),
]);
export type SurveyQuestion = Static<typeof SurveyQuestion>;

/** The first problem with the questions' ids and conditions, or undefined. */
function questionsProblem(questions: readonly SurveyQuestion[]): string | undefined {
  const twice = duplicate(questions.map((question) => question.id));
  if (twice !== undefined) return `question ids must be unique: '${twice}' is used twice`;
  for (const [index, question] of questions.entries()) {
    const on = question.show_if?.question;
    if (on === undefined) continue;
    const earlier = questions.slice(0, index).find((other) => other.id === on);
    if (!earlier)
      return `the show_if of question '${question.id}' names '${on}', which is not an earlier question of this survey`;
    if (earlier.type === 'label')
      return `the show_if of question '${question.id}' names '${on}', a label, which is never answered`;
  }
  return undefined;
}

/** An SMS survey (the body of PUT .../surveys/{id}); its id is in the path. */
export const SurveyBody = Strict({
  /** Asked in order; ids are unique; a condition looks at an earlier question. */
  questions: Type.Refine(
    Type.Array(SurveyQuestion, { minItems: 1, maxItems: 200 }),
    (questions) => questionsProblem(questions) === undefined,
    (questions) => questionsProblem(questions) ?? 'are not valid',
  ),
  /** Hours a session stays open; default 168 (CommCare's default), at most 168 (7 days). */
  expiry_hours: Type.Optional(Type.Integer({ minimum: 1, maximum: 168 })),
  /** Minutes before each reminder, each after the previous send of the current question. */
  reminder_minutes: Type.Optional(
    Type.Array(Type.Integer({ minimum: 1, maximum: 525_600 }), { maxItems: 20 }),
  ),
  /** On expiry, save the answers given so far to the case. Default false. */
  partial_save: Type.Optional(Type.Boolean()),
  /** The language tried after the contact's (SPEC 2.4 "message default"). */
  default_language: Type.Optional(Language),
});
export type SurveyBody = Static<typeof SurveyBody>;
