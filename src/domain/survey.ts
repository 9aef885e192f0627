// SMS surveys (SPEC 5): one question per SMS, each answer checked and the question repeated with
// the error, answers saved to case properties at the end. The original plays an app form over
// SMS (corehq/apps/smsforms, handlers/form_session.py); the answer formats and error texts here
// are its own. Times are epoch milliseconds.
import { chooseTranslation, type LanguageChain, type Translations } from './language.ts';

export type QuestionType = 'text' | 'int' | 'decimal' | 'date' | 'time' | 'single' | 'multiple' | 'label';

/** A text as given: one string (untranslated), or language → text; or `translations`. */
export interface Texted {
  text?: string | Translations;
  translations?: Translations;
}

/** The translations of a question's or choice's text ('*' for a plain string). */
export function translationsOf(item: Texted): Translations {
  if (item.translations !== undefined) return item.translations;
  if (typeof item.text === 'string') return { '*': item.text };
  return item.text ?? {};
}

export interface Choice extends Texted {
  /** What is stored; no whitespace (a multiple-choice answer stores values space-separated). */
  value: string;
}

/** A condition on an earlier question's stored values (SPEC 5.1 "Conditions"). */
export interface ShowIf {
  question: string;
  op: 'equals' | 'not_equals' | 'in';
  value: string | readonly string[];
}

export interface Question extends Texted {
  /** Unique within the survey; the key of its answer. */
  id: string;
  type: QuestionType;
  /** single and multiple only, at least one. */
  choices?: Choice[];
  /** Default true. A label is sent and never answered. */
  required?: boolean;
  /** Asked only when true; absent: always. */
  show_if?: ShowIf;
  /** The case property the answer is saved to at completion. */
  save_to?: string;
}

export interface SurveyDefinition {
  id: string;
  questions: Question[];
  /** Hours a session stays open; default 168 (CommCare's), at most 168 (7 days). */
  expiry_hours?: number;
  /** Minutes to wait before each reminder (the current question sent again), each counted
   * from the previous send of the question. */
  reminder_minutes?: number[];
  /** On expiry, save the answers given so far (default false). */
  partial_save?: boolean;
  /** The survey's own default language (the "message default" of the language chain). */
  default_language?: string;
}

export const DEFAULT_EXPIRY_HOURS = 168;
export const MAX_EXPIRY_HOURS = 168;

/** The original's texts (corehq/apps/sms/messages.py), by their system text key (SPEC 5). */
export const ANSWER_ERRORS = {
  answer_required: 'This field is required.',
  answer_int: 'Invalid integer entered.',
  answer_decimal: 'Invalid decimal number entered.',
  answer_date: 'Invalid date format: expected YYYYMMDD.',
  answer_time: 'Invalid time format: expected HHMM (24-hour).',
  answer_choice: 'Invalid choice.',
  answer_range: 'Answer is out of range.',
} as const;
export type AnswerErrorKey = keyof typeof ANSWER_ERRORS;

/** `error` is the system text key of the answer's error; its English text is ANSWER_ERRORS[error]. */
export type AnswerResult = { ok: true; value: string } | { ok: false; error: AnswerErrorKey };

/** The answer a skipped optional question gets: nothing is stored for it. */
export const SKIPPED = '';

/**
 * Checks `text` as the answer to `question` and returns the value to store.
 * - A blank answer, or the word `SKIP` (any case), skips an optional question (value '');
 *   a required question answers "This field is required." (**beyond**: `SKIP` — a phone cannot
 *   always send an empty SMS).
 * - text: any non-blank text, trimmed. int: optional sign and digits (`-3`; `1.5` is not).
 *   decimal: digits with a dot or a comma (`1,5` is stored `1.5`).
 * - date: `YYYYMMDD` (also `YYYY-MM-DD`), a real calendar date, stored `YYYY-MM-DD`.
 * - time: `HHMM` 24-hour (also `H:MM`, `HH:MM`), stored `HH:MM`.
 * - single: the choice's number (1-based), or its value or any of its texts (case-insensitive).
 * - multiple: numbers, values or texts separated by spaces or commas (or the whole answer as one
 *   choice's text); stored as the chosen values, space-separated in the survey's choice order,
 *   each once.
 * - label: never answered; any text gives ''.
 */
export function validateAnswer(
  question: Pick<Question, 'type' | 'required' | 'choices'>,
  text: string,
): AnswerResult {
  const answer = text.trim();
  if (question.type === 'label') return { ok: true, value: SKIPPED };
  if (answer === '' || (answer.toUpperCase() === 'SKIP' && question.required === false)) {
    return question.required === false ? { ok: true, value: SKIPPED } : fail('answer_required');
  }
  switch (question.type) {
    case 'text':
      return { ok: true, value: answer };
    case 'int':
      return /^[+-]?\d+$/.test(answer) ? { ok: true, value: BigInt(answer).toString() } : fail('answer_int');
    case 'decimal':
      return parseDecimal(answer);
    case 'date':
      return parseDate(answer);
    case 'time':
      return parseTime(answer);
    case 'single': {
      const found = findChoice(question.choices ?? [], answer);
      return typeof found === 'string' ? fail(found) : { ok: true, value: found.value };
    }
    case 'multiple':
      return parseMultiple(question.choices ?? [], answer);
  }
}

function fail(error: AnswerErrorKey): { ok: false; error: AnswerErrorKey } {
  return { ok: false, error };
}

function parseDecimal(answer: string): AnswerResult {
  const match = /^([+-]?)(\d*)(?:[.,](\d*))?$/.exec(answer);
  const [, sign = '', whole = '', fraction = ''] = match ?? [];
  if (!match || (whole === '' && fraction === '')) return fail('answer_decimal');
  const value = `${sign === '-' ? '-' : ''}${whole === '' ? '0' : whole}${fraction === '' ? '' : `.${fraction}`}`;
  return { ok: true, value };
}

function parseDate(answer: string): AnswerResult {
  const match = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(answer);
  if (!match) return fail('answer_date');
  const [, y = '', m = '', d = ''] = match;
  // Both forms, not a mix of them (`2026-0105`).
  if (answer.length !== 8 && answer.length !== 10) return fail('answer_date');
  const [year, month, day] = [Number(y), Number(m), Number(d)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return fail('answer_date');
  return { ok: true, value: `${y}-${m}-${d}` };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseTime(answer: string): AnswerResult {
  const match = /^(\d{2})(\d{2})$/.exec(answer) ?? /^(\d{1,2}):(\d{2})$/.exec(answer);
  if (!match) return fail('answer_time');
  const [hour, minute] = [Number(match[1]), Number(match[2])];
  if (hour > 23 || minute > 59) return fail('answer_time');
  return { ok: true, value: `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}` };
}

/** The choice `answer` names, or the error key. A number is always read as a position. */
function findChoice(choices: readonly Choice[], answer: string): Choice | 'answer_range' | 'answer_choice' {
  if (/^\d+$/.test(answer)) return choices[Number(answer) - 1] ?? 'answer_range';
  const wanted = answer.toLowerCase();
  const found = choices.find(
    (choice) =>
      choice.value.toLowerCase() === wanted ||
      Object.values(translationsOf(choice)).some((text) => text.trim().toLowerCase() === wanted),
  );
  return found ?? 'answer_choice';
}

function parseMultiple(choices: readonly Choice[], answer: string): AnswerResult {
  const whole = /^\d+$/.test(answer) ? 'answer_choice' : findChoice(choices, answer);
  const picked = new Set<Choice>();
  if (typeof whole !== 'string') picked.add(whole);
  else {
    for (const token of answer.split(/[\s,]+/).filter((word) => word !== '')) {
      const found = findChoice(choices, token);
      if (typeof found === 'string') return fail(found);
      picked.add(found);
    }
  }
  if (picked.size === 0) return fail('answer_choice');
  const value = choices
    .filter((choice) => picked.has(choice))
    .map((choice) => choice.value)
    .join(' ');
  return { ok: true, value };
}

/**
 * The SMS text of `question` in the first language of `chain` it has (SPEC 2.4), with single and
 * multiple choices numbered after it: "Which? 1:Yes 2:No". A choice without a text in that
 * chain shows its value. Null when the question has no text in the chain (NO_MESSAGE).
 */
export function questionText(question: Question, chain: LanguageChain): string | null {
  const found = chooseTranslation(translationsOf(question), chain);
  if (!found) return null;
  const text = found.text.trim();
  if (question.type !== 'single' && question.type !== 'multiple') return text;
  const choices = (question.choices ?? []).map(
    (choice, index) =>
      `${index + 1}:${chooseTranslation(translationsOf(choice), chain)?.text.trim() ?? choice.value}`,
  );
  return [text, ...choices].join(' ');
}

// ---------------------------------------------------------------------------------------------
// A session

export interface SessionState {
  /** The position of the question awaiting an answer; `questions.length` once complete. */
  index: number;
  /** Question id → stored value; skipped optional questions have no entry. */
  answers: Record<string, string>;
}

export interface Started {
  state: SessionState;
  /** What to send now, in order: the labels up to the first question, and that question. */
  send: Question[];
  /** True for a survey of labels only: nothing to wait for. */
  complete: boolean;
}

export interface Answered {
  state: SessionState;
  /** `invalid`: the state is unchanged and the question is sent again after `error`. */
  outcome: 'next' | 'invalid' | 'complete';
  error?: AnswerErrorKey;
  /** What to send now, as one SMS: the labels after the answered question and the next question;
   * the same question after an error; the closing labels at completion. */
  send: Question[];
}

export function start(def: SurveyDefinition): Started {
  const { index, send } = advance(def, 0, {});
  return { state: { index, answers: {} }, send, complete: index >= def.questions.length };
}

/** Takes `text` as the answer to the current question. A complete session stays complete. */
export function answer(def: SurveyDefinition, state: SessionState, text: string): Answered {
  const question = def.questions[state.index];
  if (!question) return { state, outcome: 'complete', send: [] };
  const result = validateAnswer(question, text);
  if (!result.ok) return { state, outcome: 'invalid', error: result.error, send: [question] };
  const answers = { ...state.answers };
  if (result.value === SKIPPED) delete answers[question.id];
  else answers[question.id] = result.value;
  const { index, send } = advance(def, state.index + 1, answers);
  return { state: { index, answers }, outcome: index >= def.questions.length ? 'complete' : 'next', send };
}

/** The question awaiting an answer (for `#CURRENT` and reminders), or null once complete. */
export function currentQuestion(def: SurveyDefinition, state: SessionState): Question | null {
  return def.questions[state.index] ?? null;
}

/**
 * SPEC 5.1 "Conditions": the stored values of the condition's question (each chosen value of a
 * multiple-choice answer; none when it was not answered, skipped or hidden) against `value`.
 */
export function isShown(question: Question, answers: Readonly<Record<string, string>>): boolean {
  const condition = question.show_if;
  if (!condition) return true;
  const stored = answers[condition.question];
  const values = stored === undefined ? [] : stored.split(' ').filter((value) => value !== '');
  const wanted = condition.value;
  switch (condition.op) {
    case 'equals':
      return typeof wanted === 'string' && values.includes(wanted);
    case 'not_equals':
      return typeof wanted === 'string' && !values.includes(wanted);
    case 'in':
      return Array.isArray(wanted) && values.some((value) => wanted.includes(value));
  }
}

/**
 * From `from`, the questions to send as one SMS: the shown labels up to the first shown
 * question needing an answer, and that question; hidden questions are skipped (no answer).
 */
function advance(
  def: SurveyDefinition,
  from: number,
  answers: Readonly<Record<string, string>>,
): { index: number; send: Question[] } {
  const send: Question[] = [];
  let index = from;
  for (let question = def.questions[index]; question !== undefined; question = def.questions[index]) {
    if (isShown(question, answers)) {
      send.push(question);
      if (question.type !== 'label') break;
    }
    index += 1;
  }
  return { index, send };
}

/**
 * Case property → value for the answered questions that have `save_to` (a later question saving
 * to the same property wins). Used at completion, and on expiry with `partial_save`.
 */
export function caseUpdates(def: SurveyDefinition, answers: Record<string, string>): Record<string, string> {
  const updates: Record<string, string> = {};
  for (const question of def.questions) {
    const value = answers[question.id];
    if (question.save_to !== undefined && value !== undefined) updates[question.save_to] = value;
  }
  return updates;
}

/** When a session started at `startedAt` closes unanswered. */
export function expiresAt(def: SurveyDefinition, startedAt: number): number {
  const hours = Math.min(def.expiry_hours ?? DEFAULT_EXPIRY_HOURS, MAX_EXPIRY_HOURS);
  return startedAt + hours * 3_600_000;
}

/**
 * When to send the current question again: `reminder_minutes[n]` after the previous send,
 * counting from `lastPromptAt` (when the question was sent after the last answer, or again
 * after an invalid one) with `remindersSent` reminders sent since. Null when no reminder is left,
 * or when the next one would fall at or after `closesAt` (the session's expiry), if given.
 */
export function nextReminderAt(
  def: SurveyDefinition,
  lastPromptAt: number,
  remindersSent: number,
  closesAt?: number,
): number | null {
  const intervals = def.reminder_minutes ?? [];
  if (remindersSent < 0 || remindersSent >= intervals.length) return null;
  const minutes = intervals.slice(0, remindersSent + 1).reduce((sum, interval) => sum + interval, 0);
  const at = lastPromptAt + minutes * 60_000;
  return closesAt !== undefined && at >= closesAt ? null : at;
}
