// The shape of an SMS survey (SPEC 5.1) as the API and the scenarios give it; survey.ts runs it.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Id, MAX_ID_LENGTH, Strict } from '../lib/schema.ts';
import { Language, Translations } from './content.ts';

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
