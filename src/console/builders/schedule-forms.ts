// The alert and broadcast forms (issue 15): the criteria builder (rows of property, test and
// value), the recipients (an alert's case, owner, parent and children; a broadcast's rows of kind
// and id), the schedule builder (schedule.ts) and what is sent (content.ts). A posted
// form is read back into the same state, so a builder button (add or remove a row) re-shows the
// form as typed with the change, and a save turns the state into the API's body.
import { AlertRecipientKind } from '../../domain/definitions.ts';
import { field, fields, type Form } from '../forms.ts';
import { contentBody, contentFromForm, contentInput, contentState, type ContentState } from './content.ts';
import {
  blankSchedule,
  scheduleBody,
  scheduleFromForm,
  scheduleInput,
  scheduleState,
  withEvents,
  type ScheduleState,
} from './schedule.ts';

type Json = Record<string, unknown>;
export type ScheduleKind = 'alert' | 'broadcast';

export const OPS = ['equals', 'not_equals', 'has_value', 'has_no_value', 'regex'] as const;
export const OP_LABELS: Record<string, string> = {
  equals: 'equals',
  not_equals: 'does not equal',
  has_value: 'has a value',
  has_no_value: 'has no value',
  regex: 'matches the pattern',
};
const COMPARING = new Set(['equals', 'not_equals', 'regex']);
const ALERT_RECIPIENT_LABELS: Record<string, string> = {
  case: 'the case',
  owner: 'its owner (a mobile worker, or each member of a group)',
  parent: 'its parent case',
  children: 'its open child cases',
};
/** Whom an alert may send to, in the schema's order (SPEC 4.2). */
export const ALERT_RECIPIENTS = (AlertRecipientKind.enum as readonly string[]).map((value) => ({
  value,
  label: ALERT_RECIPIENT_LABELS[value] ?? value,
}));
export const RECIPIENT_KINDS = [
  { value: 'case', label: 'case' },
  { value: 'mobile_worker', label: 'mobile worker' },
  { value: 'group', label: 'group' },
  { value: 'phone', label: 'phone number' },
] as const;

export interface ScheduleFormState {
  kind: ScheduleKind;
  id: string;
  isNew: boolean;
  caseType: string;
  match: string;
  criteria: { property: string; op: string; value: string }[];
  /** Alerts: `case`, `owner`, `parent`, `children`. */
  recipientKinds: string[];
  /** Broadcasts: rows of kind and id. */
  recipients: { kind: string; id: string }[];
  schedule: ScheduleState;
  content: ContentState;
  defaultLanguage: string;
  active: boolean;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The form for a stored definition, or a blank one. */
export function formState(
  kind: ScheduleKind,
  id: string,
  definition: Json | null,
  active = true,
): ScheduleFormState {
  const d = definition ?? {};
  const recipients = Array.isArray(d.recipients) ? d.recipients : [];
  return {
    kind,
    id,
    isNew: definition === null,
    caseType: str(d.case_type),
    match: str(d.match) || 'all',
    criteria: Array.isArray(d.criteria)
      ? d.criteria
          .filter(isObject)
          .map((c) => ({ property: str(c.property), op: str(c.op), value: str(c.value) }))
      : [],
    recipientKinds: kind === 'alert' ? (recipients.length > 0 ? recipients.map(str) : ['case']) : [],
    recipients:
      kind === 'broadcast'
        ? recipients
            .filter(isObject)
            .flatMap((r) => Object.entries(r).map(([k, v]) => ({ kind: k, id: str(v) })))
        : [],
    schedule: isObject(d.schedule) ? scheduleState(d.schedule) : blankSchedule(),
    content: contentState(d.content),
    defaultLanguage: str(d.default_language),
    active,
  };
}

/** The form a post holds, as typed. */
export function formFromPost(kind: ScheduleKind, body: Form): ScheduleFormState {
  const rows = (name: string) => Math.min(Number(field(body, name)) || 0, 200);
  return {
    kind,
    id: field(body, 'id').trim(),
    isNew: field(body, 'is_new') === '1',
    caseType: field(body, 'case_type'),
    match: field(body, 'match'),
    criteria: Array.from({ length: rows('criteria_rows') }, (_, i) => ({
      property: field(body, `criteria[${i}].property`),
      op: field(body, `criteria[${i}].op`),
      value: field(body, `criteria[${i}].value`),
    })),
    recipientKinds: kind === 'alert' ? fields(body, 'recipients') : [],
    recipients:
      kind === 'broadcast'
        ? Array.from({ length: rows('recipient_rows') }, (_, i) => ({
            kind: field(body, `recipients[${i}].kind`),
            id: field(body, `recipients[${i}].id`),
          }))
        : [],
    schedule: scheduleFromForm(body),
    content: contentFromForm(body, 'content'),
    defaultLanguage: field(body, 'default_language'),
    active: field(body, 'active') !== '',
  };
}

/** A builder button: `add-criterion`, `remove-criterion:2`, `add-recipient`, `remove-event:0`, … */
export function applyOp(state: ScheduleFormState, op: string): ScheduleFormState {
  const [action = '', at = ''] = op.split(':');
  const index = Number(at);
  switch (action) {
    case 'add-criterion':
      return { ...state, criteria: [...state.criteria, { property: '', op: 'equals', value: '' }] };
    case 'remove-criterion':
      return { ...state, criteria: state.criteria.filter((_, i) => i !== index) };
    case 'add-recipient':
      return { ...state, recipients: [...state.recipients, { kind: 'case', id: '' }] };
    case 'remove-recipient':
      return { ...state, recipients: state.recipients.filter((_, i) => i !== index) };
    case 'add-event':
      return { ...state, schedule: withEvents(state.schedule, { add: true }) };
    case 'remove-event':
      return { ...state, schedule: withEvents(state.schedule, { remove: index }) };
    default:
      return state;
  }
}

/** The id of the input a builder button should leave the keyboard on. */
export function focusAfter(state: ScheduleFormState, op: string): string | null {
  const [action = ''] = op.split(':');
  if (action === 'add-criterion') return `criteria[${state.criteria.length - 1}].property`;
  if (action === 'add-recipient') return `recipients[${state.recipients.length - 1}].kind`;
  if (action === 'add-event') {
    const i = state.schedule.events.length - 1;
    return state.schedule.type === 'custom_immediate'
      ? `schedule.events[${i}].delay_minutes`
      : `schedule.events[${i}].day`;
  }
  if (action.startsWith('remove-')) return action.replace('remove-', 'add-');
  return null;
}

/** The API body the form stands for, and the form row of each criterion it kept. */
export function bodyOf(state: ScheduleFormState): {
  body: Json;
  criteriaRows: number[];
  recipientRows: number[];
} {
  const custom = state.schedule.type === 'custom_daily' || state.schedule.type === 'custom_immediate';
  const criteriaRows: number[] = [];
  const criteria = state.criteria.flatMap((row, i) => {
    if (row.property.trim() === '') return [];
    criteriaRows.push(i);
    const op = row.op || 'equals';
    const rule = { property: row.property.trim(), op };
    return [COMPARING.has(op) ? { ...rule, value: row.value } : rule];
  });
  const recipientRows: number[] = [];
  const recipients = state.recipients.flatMap((row, i) => {
    if (row.id.trim() === '') return [];
    recipientRows.push(i);
    return [{ [row.kind || 'case']: row.id.trim() }];
  });
  const common: Json = {
    schedule: scheduleBody(state.schedule, state.kind === 'alert'),
    ...(custom ? {} : { content: contentBody(state.content) }),
    ...(state.defaultLanguage.trim() !== '' ? { default_language: state.defaultLanguage.trim() } : {}),
    active: state.active,
  };
  const body: Json =
    state.kind === 'alert'
      ? {
          case_type: state.caseType.trim(),
          criteria,
          match: state.match || 'all',
          recipients: state.recipientKinds,
          ...common,
        }
      : { recipients, ...common };
  return { body, criteriaRows, recipientRows };
}

/** The input an API error path is about (or the form's first input). */
export function inputFor(
  state: ScheduleFormState,
  criteriaRows: readonly number[],
  recipientRows: readonly number[],
): (path: string) => string {
  return (path) => {
    const criterion = /^criteria\[(\d+)\](?:\.(op|value))?/.exec(path);
    if (criterion)
      return `criteria[${criteriaRows[Number(criterion[1])] ?? 0}].${criterion[2] ?? 'property'}`;
    const recipient = /^recipients\[(\d+)\]/.exec(path);
    if (recipient && state.kind === 'broadcast')
      return `recipients[${recipientRows[Number(recipient[1])] ?? 0}].id`;
    if (path === 'recipients') return state.kind === 'alert' ? 'recipients-case' : 'add-recipient';
    if (path === 'criteria') return 'add-criterion';
    const schedule = scheduleInput(path, state.schedule);
    if (schedule !== null) return schedule;
    if (path === 'content' || path.startsWith('content.')) return contentInput('content', path.slice(7));
    for (const name of ['id', 'case_type', 'match', 'default_language', 'active'])
      if (path === name || path.startsWith(`${name}.`)) return name;
    return state.kind === 'alert' ? 'case_type' : 'add-recipient';
  };
}
