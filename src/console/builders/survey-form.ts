// The survey question builder (issue 15, SPEC 5.1): each question's id, type, text per language,
// choices (value and text per language), required, show_if {question, op, value} on an earlier
// question, and save_to; questions and choices added, removed and moved with buttons. A posted
// form is read back into the same state, so a button re-shows the form as typed with the change.
// Texts are written as SPEC 5.1 says: one untranslated text is `text`, anything else
// `translations`; a choice without a text has neither (it shows its value).
import { field, optionalInteger, type Form } from '../forms.ts';
import { inputId, readTranslations, textOrTranslations, textsOf } from './translations.ts';

type Json = Record<string, unknown>;

export const QUESTION_TYPES = [
  { value: 'text', label: 'text' },
  { value: 'int', label: 'whole number' },
  { value: 'decimal', label: 'decimal number' },
  { value: 'date', label: 'date (YYYYMMDD)' },
  { value: 'time', label: 'time (HHMM)' },
  { value: 'single', label: 'one choice' },
  { value: 'multiple', label: 'several choices' },
  { value: 'label', label: 'a label (no answer)' },
] as const;
export const SHOW_IF_OPS = [
  { value: 'equals', label: 'is' },
  { value: 'not_equals', label: 'is not' },
  { value: 'in', label: 'is one of (comma-separated)' },
] as const;

export interface ChoiceState {
  value: string;
  texts: Record<string, string>;
}

export interface QuestionState {
  id: string;
  type: string;
  texts: Record<string, string>;
  required: boolean;
  saveTo: string;
  choices: ChoiceState[];
  showIf: { question: string; op: string; value: string };
}

export interface SurveyFormState {
  id: string;
  isNew: boolean;
  questions: QuestionState[];
  expiryHours: string;
  reminderMinutes: string;
  partialSave: boolean;
  defaultLanguage: string;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const hasChoices = (type: string) => type === 'single' || type === 'multiple';

/** The texts of a stored question or choice: `text` a string, `translations`, or `text` as
 * language → text (which the schema also takes). */
function storedTexts(value: Json): Record<string, string> {
  if (isObject(value.text)) return textsOf({ translations: value.text });
  return textsOf(value);
}

const blankChoice = (n: number): ChoiceState => ({ value: String(n), texts: {} });
const blankQuestion = (n: number): QuestionState => ({
  id: `q${n}`,
  type: 'text',
  texts: {},
  required: true,
  saveTo: '',
  choices: [],
  showIf: { question: '', op: 'equals', value: '' },
});

export function surveyState(id: string, definition: Json | null): SurveyFormState {
  const d = definition ?? {};
  const questions = Array.isArray(d.questions) ? d.questions.filter(isObject) : [];
  return {
    id,
    isNew: definition === null,
    questions:
      definition === null
        ? [blankQuestion(1)]
        : questions.map((q) => {
            const showIf = isObject(q.show_if) ? q.show_if : {};
            return {
              id: str(q.id),
              type: str(q.type) || 'text',
              texts: storedTexts(q),
              required: q.required !== false,
              saveTo: str(q.save_to),
              choices: Array.isArray(q.choices)
                ? q.choices.filter(isObject).map((c) => ({ value: str(c.value), texts: storedTexts(c) }))
                : [],
              showIf: {
                question: str(showIf.question),
                op: str(showIf.op) || 'equals',
                value: Array.isArray(showIf.value) ? showIf.value.map(str).join(', ') : str(showIf.value),
              },
            };
          }),
    expiryHours: str(d.expiry_hours),
    reminderMinutes: Array.isArray(d.reminder_minutes) ? d.reminder_minutes.map(str).join(', ') : '',
    partialSave: d.partial_save === true,
    defaultLanguage: str(d.default_language),
  };
}

export function surveyFromPost(body: Form): SurveyFormState {
  const count = (name: string) => Math.min(Number(field(body, name)) || 0, 200);
  return {
    id: field(body, 'id').trim(),
    isNew: field(body, 'is_new') === '1',
    questions: Array.from({ length: count('question_rows') }, (_, i) => {
      const q = `questions[${i}]`;
      return {
        id: field(body, `${q}.id`).trim(),
        type: field(body, `${q}.type`) || 'text',
        texts: readTranslations(body, `${q}.text`),
        required: field(body, `${q}.required`) !== '',
        saveTo: field(body, `${q}.save_to`),
        choices: Array.from({ length: count(`${q}.choice_rows`) }, (_, j) => ({
          value: field(body, `${q}.choices[${j}].value`),
          texts: readTranslations(body, `${q}.choices[${j}].text`),
        })),
        showIf: {
          question: field(body, `${q}.show_if.question`),
          op: field(body, `${q}.show_if.op`) || 'equals',
          value: field(body, `${q}.show_if.value`),
        },
      };
    }),
    expiryHours: field(body, 'expiry_hours'),
    reminderMinutes: field(body, 'reminder_minutes'),
    partialSave: field(body, 'partial_save') !== '',
    defaultLanguage: field(body, 'default_language'),
  };
}

const move = <T>(list: readonly T[], from: number, to: number): T[] => {
  if (to < 0 || to >= list.length) return [...list];
  const copy = [...list];
  const [item] = copy.splice(from, 1);
  if (item !== undefined) copy.splice(to, 0, item);
  return copy;
};

/** A builder button: add-question, remove-question:i, up:i, down:i, add-choice:i, remove-choice:i.j */
export function applySurveyOp(state: SurveyFormState, op: string): SurveyFormState {
  const [action = '', at = ''] = op.split(':');
  const [i = NaN, j = NaN] = at.split('.').map(Number);
  const questions = state.questions;
  const withQuestion = (change: (q: QuestionState) => QuestionState) => ({
    ...state,
    questions: questions.map((q, n) => (n === i ? change(q) : q)),
  });
  switch (action) {
    case 'add-question':
      return { ...state, questions: [...questions, blankQuestion(questions.length + 1)] };
    case 'remove-question':
      return { ...state, questions: questions.filter((_, n) => n !== i) };
    case 'up':
      return { ...state, questions: move(questions, i, i - 1) };
    case 'down':
      return { ...state, questions: move(questions, i, i + 1) };
    case 'add-choice':
      return withQuestion((q) => ({ ...q, choices: [...q.choices, blankChoice(q.choices.length + 1)] }));
    case 'remove-choice':
      return withQuestion((q) => ({ ...q, choices: q.choices.filter((_, n) => n !== j) }));
    default:
      return state;
  }
}

/** Where the keyboard goes after a button: the new row, or the moved question. */
export function surveyFocus(state: SurveyFormState, op: string): string | null {
  const [action = '', at = ''] = op.split(':');
  const [i = 0] = at.split('.').map(Number);
  if (action === 'add-question') return `questions[${state.questions.length - 1}].id`;
  if (action === 'add-choice')
    return `questions[${i}].choices[${(state.questions[i]?.choices.length ?? 1) - 1}].value`;
  if (action === 'up') return `questions[${Math.max(i - 1, 0)}].up`;
  if (action === 'down') return `questions[${Math.min(i + 1, state.questions.length - 1)}].down`;
  if (action === 'remove-question') return 'add-question';
  if (action === 'remove-choice') return `questions[${i}].add_choice`;
  return null;
}

export function surveyBody(state: SurveyFormState): Json {
  const reminders = state.reminderMinutes
    .split(/[\s,]+/)
    .filter((m) => m !== '')
    .map((m) => (/^\d{1,9}$/.test(m) ? Number(m) : m));
  const questions = state.questions.map((q) => {
    const body: Json = { id: q.id, type: q.type, ...textOrTranslations(q.texts) };
    if (hasChoices(q.type))
      body.choices = q.choices.map((c) => ({ value: c.value.trim(), ...textOrTranslations(c.texts) }));
    if (q.type !== 'label') {
      if (!q.required) body.required = false;
      if (q.saveTo.trim() !== '') body.save_to = q.saveTo.trim();
    }
    if (q.showIf.question !== '') {
      const value =
        q.showIf.op === 'in'
          ? q.showIf.value
              .split(',')
              .map((v) => v.trim())
              .filter((v) => v !== '')
          : q.showIf.value.trim();
      body.show_if = { question: q.showIf.question, op: q.showIf.op, value };
    }
    return body;
  });
  return {
    questions,
    ...(state.expiryHours.trim() !== ''
      ? { expiry_hours: optionalInteger({ v: state.expiryHours }, 'v') }
      : {}),
    ...(reminders.length > 0 ? { reminder_minutes: reminders } : {}),
    ...(state.partialSave ? { partial_save: true } : {}),
    ...(state.defaultLanguage.trim() !== '' ? { default_language: state.defaultLanguage.trim() } : {}),
  };
}

/** The input an API error path is about. */
export function surveyInput(path: string): string {
  const q = /^questions\[(\d+)\](?:\.(.*))?$/.exec(path);
  if (!q) {
    for (const name of ['id', 'expiry_hours', 'reminder_minutes', 'partial_save', 'default_language'])
      if (path === name || path.startsWith(`${name}[`)) return name;
    return path === 'questions' ? 'add-question' : 'id';
  }
  const [, i, rest = ''] = q;
  const base = `questions[${i}]`;
  const choice = /^choices\[(\d+)\](?:\.(value|text|translations)(?:\.(.+))?)?/.exec(rest);
  if (choice) {
    const [, j, part, lang] = choice;
    if (part === 'value' || part === undefined) return `${base}.choices[${j}].value`;
    return inputId(`${base}.choices[${j}].text.${lang ?? '*'}`);
  }
  if (rest === 'choices') return `${base}.add_choice`;
  const text = /^(text|translations)(?:\.(.+))?$/.exec(rest);
  if (text) return inputId(`${base}.text.${text[2] ?? '*'}`);
  if (rest.startsWith('show_if'))
    return `${base}.show_if.${/\.(question|op|value)/.exec(rest)?.[1] ?? 'question'}`;
  for (const name of ['id', 'type', 'required', 'save_to']) if (rest === name) return `${base}.${name}`;
  return `${base}.id`;
}
