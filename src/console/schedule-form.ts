// The alert and broadcast forms: their inputs are named by the API's field paths
// (`schedule.time`, `criteria[1].value`), so a validation error lands on its input. The common
// fields have inputs; everything else (start and stop properties, time windows, a survey, ...)
// goes in the "More (JSON)" textarea, merged into the body before the API's schema checks it.
import { InputError } from '../lib/input.ts';
import { field, fields, jsonField, optional, optionalInteger, type Form } from './forms.ts';

type Json = Record<string, unknown>;

/** Criteria rows the form always offers beyond the alert's own. */
const SPARE_CRITERIA = 2;
export const OPS = ['equals', 'not_equals', 'regex', 'has_value', 'has_no_value'] as const;
const COMPARING = new Set(['equals', 'not_equals', 'regex']);

const SCHEDULE_FIELDS = ['type', 'time', 'delay_minutes', 'every', 'occurrences', 'days'];
const CONTENT_FIELDS = ['channel', 'text', 'translations', 'subject'];
const ALERT_FIELDS = [
  'case_type',
  'criteria',
  'match',
  'recipients',
  'schedule',
  'content',
  'default_language',
  'active',
];
const BROADCAST_FIELDS = ['recipients', 'schedule', 'content', 'default_language'];

/** What the form's inputs show (strings, as typed). */
export interface ScheduleDraft {
  id: string;
  case_type: string;
  match: string;
  /** Alerts: `case`, `owner`. */
  recipientKinds: string[];
  /** Broadcasts: one `kind:id` a line. */
  recipientLines: string;
  criteria: { property: string; op: string; value: string }[];
  schedule: {
    type: string;
    time: string;
    delay_minutes: string;
    every: string;
    occurrences: string;
    days: string;
  };
  content: { channel: string; text: string; translations: string; subject: string };
  default_language: string;
  active: boolean;
  extra: string;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Whatever the form has no input for, as the "More (JSON)" text. */
function extraOf(definition: Json, covered: readonly string[]): string {
  const extra: Json = {};
  for (const [key, value] of Object.entries(definition)) if (!covered.includes(key)) extra[key] = value;
  for (const [key, own] of [
    ['schedule', SCHEDULE_FIELDS],
    ['content', CONTENT_FIELDS],
  ] as const) {
    const part = definition[key];
    if (!isObject(part)) continue;
    const rest = Object.fromEntries(Object.entries(part).filter(([name]) => !own.includes(name)));
    if (Object.keys(rest).length > 0) extra[key] = rest;
  }
  return Object.keys(extra).length === 0 ? '' : JSON.stringify(extra, null, 2);
}

/** The form's values for a stored definition (or a blank form). */
export function draftOf(
  kind: 'alert' | 'broadcast',
  id: string,
  definition: Json | null,
  active = true,
): ScheduleDraft {
  const d = definition ?? {};
  const schedule = isObject(d.schedule) ? d.schedule : { type: 'daily', time: '09:00' };
  const content = isObject(d.content) ? d.content : {};
  const criteria = Array.isArray(d.criteria)
    ? d.criteria
        .filter(isObject)
        .map((c) => ({ property: str(c.property), op: str(c.op), value: str(c.value) }))
    : [];
  for (let i = 0; i < SPARE_CRITERIA; i++) criteria.push({ property: '', op: 'equals', value: '' });
  const recipients = Array.isArray(d.recipients) ? d.recipients : [];
  const translations = isObject(content.translations)
    ? Object.entries(content.translations)
        .map(([lang, text]) => `${lang}: ${str(text)}`)
        .join('\n')
    : '';
  return {
    id,
    case_type: str(d.case_type),
    match: str(d.match) || 'all',
    recipientKinds: kind === 'alert' ? (recipients.length > 0 ? recipients.map(str) : ['case']) : [],
    recipientLines:
      kind === 'broadcast'
        ? recipients
            .filter(isObject)
            .map((r) =>
              Object.entries(r)
                .map(([k, v]) => `${k}:${str(v)}`)
                .join(''),
            )
            .join('\n')
        : '',
    criteria,
    schedule: {
      type: str(schedule.type),
      time: str(schedule.time),
      delay_minutes: str(schedule.delay_minutes),
      every: str(schedule.every),
      occurrences: str(schedule.occurrences),
      days: Array.isArray(schedule.days) ? schedule.days.map(str).join(', ') : '',
    },
    content: {
      channel: str(content.channel) || 'sms',
      text: str(content.text),
      translations,
      subject: str(content.subject),
    },
    default_language: str(d.default_language),
    active,
    extra: definition ? extraOf(d, kind === 'alert' ? ALERT_FIELDS : BROADCAST_FIELDS) : '',
  };
}

/** The draft a posted form holds, as typed. */
export function draftFrom(kind: 'alert' | 'broadcast', body: Form): ScheduleDraft {
  const rows = Number(field(body, 'criteria_rows')) || 0;
  const criteria = Array.from({ length: Math.min(rows, 100) }, (_, i) => ({
    property: field(body, `criteria[${i}].property`),
    op: field(body, `criteria[${i}].op`),
    value: field(body, `criteria[${i}].value`),
  }));
  return {
    id: field(body, 'id').trim(),
    case_type: field(body, 'case_type'),
    match: field(body, 'match'),
    recipientKinds: kind === 'alert' ? fields(body, 'recipients') : [],
    recipientLines: kind === 'broadcast' ? field(body, 'recipients') : '',
    criteria,
    schedule: {
      type: field(body, 'schedule.type'),
      time: field(body, 'schedule.time'),
      delay_minutes: field(body, 'schedule.delay_minutes'),
      every: field(body, 'schedule.every'),
      occurrences: field(body, 'schedule.occurrences'),
      days: field(body, 'schedule.days'),
    },
    content: {
      channel: field(body, 'content.channel'),
      text: field(body, 'content.text'),
      translations: field(body, 'content.translations'),
      subject: field(body, 'content.subject'),
    },
    default_language: field(body, 'default_language'),
    active: field(body, 'active') !== '',
    extra: field(body, 'extra'),
  };
}

/** `sw: Habari` lines as language → text; a line without a colon is kept whole so validation can say so. */
function translationsOf(text: string): Json | undefined {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines.length === 0) return undefined;
  return Object.fromEntries(
    lines.map((line) => {
      const colon = line.indexOf(':');
      return colon < 0 ? [line.trim(), ''] : [line.slice(0, colon).trim(), line.slice(colon + 1).trim()];
    }),
  );
}

/** The body a draft stands for, and where each criterion of the body came from in the form. */
export function bodyOf(
  kind: 'alert' | 'broadcast',
  draft: ScheduleDraft,
): { body: Json; criteriaRows: number[] } {
  const extra = jsonField({ extra: draft.extra }, 'extra');
  if (extra !== undefined && !isObject(extra))
    throw new InputError('extra', 'must be a JSON object such as {"schedule": {"start_property": "edd"}}');
  const s = draft.schedule;
  const text = (name: keyof ScheduleDraft['schedule']) => optional({ v: s[name] }, 'v');
  const number = (name: keyof ScheduleDraft['schedule']) => optionalInteger({ v: s[name] }, 'v');
  const days = text('days')
    ?.split(/[\s,]+/)
    .filter((d) => d !== '')
    .map((d) => (/^\d+$/.test(d) ? Number(d) : d));
  const schedule: Json = {
    type: s.type,
    time: text('time'),
    delay_minutes: number('delay_minutes'),
    every: number('every'),
    occurrences: number('occurrences'),
    days,
  };
  const c = draft.content;
  const translations = translationsOf(c.translations);
  const content: Json = {
    channel: c.channel || undefined,
    text: translations === undefined ? c.text : c.text === '' ? undefined : c.text,
    translations,
    subject: c.channel === 'email' && c.subject !== '' ? c.subject : undefined,
  };
  const criteriaRows: number[] = [];
  const criteria = draft.criteria.flatMap((row, i) => {
    if (row.property.trim() === '') return [];
    criteriaRows.push(i);
    const op = row.op || 'equals';
    return [
      COMPARING.has(op)
        ? { property: row.property.trim(), op, value: row.value }
        : { property: row.property.trim(), op },
    ];
  });
  const body: Json =
    kind === 'alert'
      ? {
          case_type: draft.case_type.trim(),
          criteria,
          match: draft.match || undefined,
          recipients: draft.recipientKinds,
          schedule,
          content,
          default_language: draft.default_language.trim() || undefined,
          active: draft.active,
        }
      : {
          recipients: recipientsOf(draft.recipientLines),
          schedule,
          content,
          default_language: draft.default_language.trim() || undefined,
        };
  for (const [key, value] of Object.entries((extra ?? {}) as Json)) {
    body[key] =
      (key === 'schedule' || key === 'content') && isObject(value) && isObject(body[key])
        ? { ...(body[key] as Json), ...value }
        : value;
  }
  return { body: dropUndefined(body), criteriaRows };
}

/** `case:c1` lines as recipients; an unknown kind stays as written, so validation names the line. */
function recipientsOf(text: string): Json[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const colon = line.indexOf(':');
      return colon < 0 ? { [line]: '' } : { [line.slice(0, colon).trim()]: line.slice(colon + 1).trim() };
    });
}

function dropUndefined(value: Json): Json {
  const out: Json = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined) continue;
    out[key] = isObject(item) ? dropUndefined(item) : item;
  }
  return out;
}

/** The form's input ids; an error elsewhere (from the JSON) is shown on the JSON textarea. */
export function scheduleInputFor(
  kind: 'alert' | 'broadcast',
  criteriaRows: readonly number[],
): (path: string) => string {
  return (path) => {
    const criterion = /^criteria\[(\d+)\](.*)$/.exec(path);
    if (criterion) {
      const row = criteriaRows[Number(criterion[1])] ?? 0;
      const rest = criterion[2] ?? '';
      return `criteria[${row}].${/^\.(op|value)/.exec(rest)?.[1] ?? 'property'}`;
    }
    if (path === 'criteria') return 'criteria[0].property';
    if (path === 'schedule') return 'schedule.type';
    if (path === 'content') return 'content.text';
    const own = [
      'id',
      'recipients',
      'default_language',
      ...(kind === 'alert' ? ['case_type', 'match', 'active'] : []),
    ];
    for (const name of own)
      if (path === name || path.startsWith(`${name}[`) || path.startsWith(`${name}.`)) return name;
    for (const name of SCHEDULE_FIELDS)
      if (path === `schedule.${name}` || path.startsWith(`schedule.${name}[`)) return `schedule.${name}`;
    for (const name of CONTENT_FIELDS)
      if (path === `content.${name}` || path.startsWith(`content.${name}.`)) return `content.${name}`;
    return 'extra';
  };
}
