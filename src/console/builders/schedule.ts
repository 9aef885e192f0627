// The schedule builder shared by alerts and broadcasts (SPEC 4.1): every shape through inputs —
// immediate after a delay; daily, weekly or monthly every N, at a time, a random time in a window
// or a time from a case property; start when created, on a date or from a case property with an
// offset; stop and restart properties; occurrences; custom daily and custom immediate events each
// with their own content (builders/content.ts). Inputs are named by the API's field paths
// (`schedule.time_window.start`), so a validation error lands on its input.
import { monthDayNumber, type MonthDay } from '../../domain/schedule.ts';
import { field, fields, type Form } from '../forms.ts';
import {
  blankContent,
  contentBody,
  contentFromForm,
  contentInput,
  contentState,
  type ContentState,
} from './content.ts';

export const SCHEDULE_TYPES = [
  { value: 'immediate', label: 'once, right away (or after a delay)' },
  { value: 'daily', label: 'daily' },
  { value: 'weekly', label: 'weekly' },
  { value: 'monthly', label: 'monthly' },
  { value: 'custom_daily', label: 'custom: a sequence of days' },
  { value: 'custom_immediate', label: 'custom: a sequence of delays' },
] as const;
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** Month days as the form offers them (SPEC 4.1): 1–28, then -1, -2, -3 (the last, second- and
 * third-last). */
export const MONTH_DAYS = [...Array.from({ length: 28 }, (_, i) => String(i + 1)), '-1', '-2', '-3'];

type Json = Record<string, unknown>;

export interface EventState {
  day: string;
  time: string;
  delayMinutes: string;
  content: ContentState;
}

export interface ScheduleState {
  type: string;
  delayMinutes: string;
  every: string;
  weekdays: string[];
  monthDays: string[];
  timeMode: 'time' | 'window' | 'property';
  time: string;
  windowStart: string;
  windowEnd: string;
  timeProperty: string;
  startMode: 'created' | 'date' | 'property';
  startDate: string;
  startProperty: string;
  startOffsetDays: string;
  stopProperty: string;
  restartProperty: string;
  occurrences: string;
  events: EventState[];
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const blankEvent = (): EventState => ({
  day: '1',
  time: '09:00',
  delayMinutes: '0',
  content: blankContent(),
});

/** A stored month day as its checkbox: `last`, `second_last`, `third_last` (aliases the API
 * still takes) are -1, -2, -3, so a saved form writes the SPEC's numbers. */
function monthDayOf(value: unknown): string {
  return typeof value === 'number' || typeof value === 'string'
    ? String(monthDayNumber(value as MonthDay))
    : '';
}

/** A blank schedule: daily at 09:00. */
export function blankSchedule(): ScheduleState {
  return scheduleState({ type: 'daily', time: '09:00' });
}

/** The form's values for a stored schedule. */
export function scheduleState(schedule: Json): ScheduleState {
  const window = isObject(schedule.time_window) ? schedule.time_window : {};
  const days = Array.isArray(schedule.days) ? schedule.days : [];
  const events = Array.isArray(schedule.events) ? schedule.events.filter(isObject) : [];
  return {
    type: str(schedule.type) || 'daily',
    delayMinutes: str(schedule.delay_minutes),
    every: str(schedule.every),
    weekdays: days
      .filter((d) => typeof d === 'string' && (WEEKDAYS as readonly string[]).includes(d))
      .map(str),
    monthDays: schedule.type === 'monthly' ? days.map(monthDayOf) : [],
    timeMode:
      schedule.time_window !== undefined
        ? 'window'
        : schedule.time_property !== undefined
          ? 'property'
          : 'time',
    time: str(schedule.time),
    windowStart: str(window.start),
    windowEnd: str(window.end),
    timeProperty: str(schedule.time_property),
    startMode:
      schedule.start_property !== undefined
        ? 'property'
        : schedule.start_date !== undefined
          ? 'date'
          : 'created',
    startDate: str(schedule.start_date),
    startProperty: str(schedule.start_property),
    startOffsetDays: str(schedule.start_offset_days),
    stopProperty: str(schedule.stop_property),
    restartProperty: str(schedule.restart_property),
    occurrences: str(schedule.occurrences),
    events: events.map((event) => ({
      day: str(event.day),
      time: str(event.time),
      delayMinutes: str(event.delay_minutes),
      content: contentState(event.content),
    })),
  };
}

const oneOf = <T extends string>(value: string, allowed: readonly T[], fallback: T): T =>
  (allowed as readonly string[]).includes(value) ? (value as T) : fallback;

/** The schedule a posted form holds, as typed. */
export function scheduleFromForm(body: Form): ScheduleState {
  const rows = Math.min(Number(field(body, 'schedule.event_rows')) || 0, 100);
  return {
    type: field(body, 'schedule.type'),
    delayMinutes: field(body, 'schedule.delay_minutes'),
    every: field(body, 'schedule.every'),
    weekdays: fields(body, 'schedule.days'),
    monthDays: fields(body, 'schedule.month_days'),
    timeMode: oneOf(field(body, 'schedule.time_mode'), ['time', 'window', 'property'] as const, 'time'),
    time: field(body, 'schedule.time'),
    windowStart: field(body, 'schedule.time_window.start'),
    windowEnd: field(body, 'schedule.time_window.end'),
    timeProperty: field(body, 'schedule.time_property'),
    startMode: oneOf(field(body, 'schedule.start_mode'), ['created', 'date', 'property'] as const, 'created'),
    startDate: field(body, 'schedule.start_date'),
    startProperty: field(body, 'schedule.start_property'),
    startOffsetDays: field(body, 'schedule.start_offset_days'),
    stopProperty: field(body, 'schedule.stop_property'),
    restartProperty: field(body, 'schedule.restart_property'),
    occurrences: field(body, 'schedule.occurrences'),
    events: Array.from({ length: rows }, (_, i) => ({
      day: field(body, `schedule.events[${i}].day`),
      time: field(body, `schedule.events[${i}].time`),
      delayMinutes: field(body, `schedule.events[${i}].delay_minutes`),
      content: contentFromForm(body, `schedule.events[${i}].content`),
    })),
  };
}

/** A whole number as typed; anything else stays text so the schema names the field. */
const whole = (text: string): number | string | undefined => {
  const value = text.trim();
  if (value === '') return undefined;
  return /^-?\d{1,15}$/.test(value) ? Number(value) : value;
};
const given = (text: string): string | undefined => (text.trim() === '' ? undefined : text.trim());

/** The schedule a form state stands for; `forAlert` adds the case-property fields. */
export function scheduleBody(s: ScheduleState, forAlert: boolean): Json {
  const custom = s.type === 'custom_daily' || s.type === 'custom_immediate';
  const body: Json = { type: s.type };
  if (s.type === 'immediate') body.delay_minutes = whole(s.delayMinutes);
  if (s.type === 'daily' || s.type === 'weekly' || s.type === 'monthly' || s.type === 'custom_daily')
    body.every = whole(s.every);
  if (s.type === 'weekly') body.days = s.weekdays;
  if (s.type === 'monthly') body.days = s.monthDays.map((day) => whole(day) ?? day);
  if (s.type === 'daily' || s.type === 'weekly' || s.type === 'monthly') {
    if (s.timeMode === 'window') body.time_window = { start: s.windowStart, end: s.windowEnd };
    else if (s.timeMode === 'property') body.time_property = given(s.timeProperty) ?? '';
    else body.time = s.time;
  }
  if (s.type !== 'immediate' && s.type !== 'custom_immediate') body.occurrences = whole(s.occurrences);
  if (custom) {
    body.events = s.events.map((e) => ({
      ...(s.type === 'custom_daily'
        ? { day: whole(e.day), time: e.time }
        : { delay_minutes: whole(e.delayMinutes) }),
      content: contentBody(e.content),
    }));
  }
  // A chain restarts when a case property changes; it takes no start or stop fields.
  if (s.type === 'custom_immediate' && forAlert) body.restart_property = given(s.restartProperty);
  if (s.type !== 'custom_immediate') {
    if (s.startMode === 'date') body.start_date = s.startDate;
    if (s.startMode === 'property' && forAlert) body.start_property = given(s.startProperty) ?? '';
    if (s.startMode !== 'created' || s.startOffsetDays.trim() !== '')
      body.start_offset_days = whole(s.startOffsetDays);
    if (forAlert) {
      body.stop_property = given(s.stopProperty);
      body.restart_property = given(s.restartProperty);
    }
  }
  return Object.fromEntries(Object.entries(body).filter(([, value]) => value !== undefined));
}

/** Adds an event at the end, or removes event `index`. */
export function withEvents(s: ScheduleState, op: { add: true } | { remove: number }): ScheduleState {
  if ('add' in op) return { ...s, events: [...s.events, blankEvent()] };
  return { ...s, events: s.events.filter((_, i) => i !== op.remove) };
}

/** The input a schedule error is about: `schedule.days[2]` is the weekday or month-day group. */
export function scheduleInput(path: string, s: ScheduleState): string | null {
  if (!path.startsWith('schedule')) return null;
  const event = /^schedule\.events\[(\d+)\](?:\.(day|time|delay_minutes))?(?:\.content(.*))?/.exec(path);
  if (event) {
    const [, i, own, rest = ''] = event;
    if (own) return `schedule.events[${i}].${own}`;
    return contentInput(`schedule.events[${i}].content`, rest);
  }
  if (path.startsWith('schedule.days')) return s.type === 'monthly' ? 'schedule.month_days' : 'schedule.days';
  if (path === 'schedule.events') return 'schedule.add_event';
  for (const name of [
    'time_window.start',
    'time_window.end',
    'delay_minutes',
    'every',
    'time_property',
    'time',
    'start_date',
    'start_property',
    'start_offset_days',
    'stop_property',
    'restart_property',
    'occurrences',
  ])
    if (path === `schedule.${name}` || path.startsWith(`schedule.${name}.`)) return `schedule.${name}`;
  if (path === 'schedule.time_window') return 'schedule.time_window.start';
  return 'schedule.type';
}

export const WEEKDAY_LABELS: Record<string, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};
const MONTH_END_NAMES: Record<string, string> = {
  '-1': 'last day',
  '-2': 'second-last day',
  '-3': 'third-last day',
};
/** A month day's name: `15`, `last day`; a stored alias (`second_last`) is named as its number. */
export const monthDayLabel = (day: string): string => {
  const number = monthDayOf(/^-?\d+$/.test(day) ? Number(day) : day);
  return MONTH_END_NAMES[number] ?? number;
};
