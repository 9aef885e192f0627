// Schedule maths (SPEC 4): when the events of a schedule instance fall, as pure functions of the
// schedule, the instance's start date, the recipient's time zone, the case's properties and the
// instant asked about. The caller stores the answers (next due instant, occurrences fired).
//
// Local times are wall-clock times in the recipient's zone through localInstant: a time inside a
// spring-forward gap is the first instant after the gap, an ambiguous one its first occurrence.
import { addDays, epochDay, isoDate, localDate, localInstant, weekday, type LocalDate } from './localtime.ts';
import { inYearRange, MAX_YEAR, MIN_YEAR } from '../lib/schema.ts';

export type WeekdayName = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
/** A day of the month: 1..28, or -1, -2, -3 counted from the month's end (-1 its last day);
 * the words `last`, `second_last` and `third_last` are accepted aliases of -1, -2, -3. */
export type MonthDay = number | 'last' | 'second_last' | 'third_last';

/** A random instant in [start, end) local time; an end at or before the start is on the next day. */
export interface TimeWindow {
  start: string;
  end: string;
}

/** Where a schedule starts and stops; every schedule type takes them. */
interface StartFields {
  /** A case property holding `YYYY-MM-DD`; blank or unparseable: the instance is removed. */
  start_property?: string;
  /** Days added to the start date (negative: before); default 0. */
  start_offset_days?: number;
  /** A fixed start date `YYYY-MM-DD`. */
  start_date?: string;
  /** A case property holding `YYYY-MM-DD`: no event at or after 00:00 of that date. */
  stop_property?: string;
  /** A case property whose change restarts the schedule (the caller watches it). */
  restart_property?: string;
}

/** The time of day of each event: exactly one is given (the input schema enforces it). */
interface TimeOfDay {
  /** `HH:MM`, recipient-local. */
  time?: string;
  time_window?: TimeWindow;
  /** A case property holding `HH:MM` (or `H:MM`); blank or invalid: no event on any day. */
  time_property?: string;
}

export interface ImmediateScheduleSpec extends StartFields {
  type: 'immediate';
  /** Minutes after the instance starts; default 0. */
  delay_minutes?: number;
}
export interface DailyScheduleSpec extends StartFields, TimeOfDay {
  type: 'daily';
  /** Days between events; default 1. */
  every?: number;
  /** Firings in all; absent: never stops. */
  occurrences?: number;
}
export interface WeeklyScheduleSpec extends StartFields, TimeOfDay {
  type: 'weekly';
  days: readonly WeekdayName[];
  /** Weeks between firing blocks: 7-day blocks from the start date, every N-th fires; default 1. */
  every?: number;
  occurrences?: number;
}
export interface MonthlyScheduleSpec extends StartFields, TimeOfDay {
  type: 'monthly';
  /** A date matching several entries (28 and -1 in February 2026) has one event. */
  days: readonly MonthDay[];
  /** Months between firing months, from the start date's month; default 1. */
  every?: number;
  occurrences?: number;
}
/** CommCare's custom daily schedule: events by day number (1 = the start date), each its own time. */
export interface CustomDailyScheduleSpec extends StartFields {
  type: 'custom_daily';
  /** Strictly increasing (day, time); `day` >= 1, `time` `HH:MM` recipient-local. */
  events: readonly { day: number; time: string }[];
  /** Days from the start of one repetition to the next (>= the last day); absent: runs once. */
  every?: number;
  /** Repetitions in all (not firings); absent: never stops. */
  occurrences?: number;
}
/** CommCare's custom immediate schedule: a chain of delays, each from the previous event's due instant. */
export interface CustomImmediateScheduleSpec {
  type: 'custom_immediate';
  events: readonly { delay_minutes: number }[];
  start_property?: undefined;
  start_offset_days?: undefined;
  start_date?: undefined;
  stop_property?: undefined;
  restart_property?: string;
}
/** A schedule as the API and scenarios give it (schedule-shape.ts `Schedule` is assignable to it). */
export type ScheduleSpec =
  | ImmediateScheduleSpec
  | DailyScheduleSpec
  | WeeklyScheduleSpec
  | MonthlyScheduleSpec
  | CustomDailyScheduleSpec
  | CustomImmediateScheduleSpec;

/** True for the schedules whose events each carry their own content (SPEC 4.1). */
export function isCustomSchedule(
  schedule: ScheduleSpec,
): schedule is CustomDailyScheduleSpec | CustomImmediateScheduleSpec {
  return schedule.type === 'custom_daily' || schedule.type === 'custom_immediate';
}

export interface ScheduleContext {
  /** The recipient's effective IANA time zone (SPEC 2.4). */
  zone: string;
  /** When the instance was created (or last restarted), epoch milliseconds. */
  createdAt: number;
  /** The case's properties (empty for a broadcast). */
  properties: Readonly<Record<string, string>>;
  /** Stable per instance (e.g. alert id + case + recipient): random window times derive from it. */
  seed: string;
}

/** The instance's start date, or why the instance must be removed. */
export type StartResult = { ok: true; start: LocalDate } | { ok: false; reason: string };

const MINUTE_MS = 60_000;
const WEEKDAYS: readonly WeekdayName[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A strict `YYYY-MM-DD` that exists in the calendar, else null. */
export function parseLocalDate(text: string): LocalDate | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/**
 * The start date: the start property's date, else `start_date`, else the local date of the
 * instance's creation in the recipient's zone; then `start_offset_days` added. A blank or
 * unparseable start property (surrounding spaces are ignored) gives `ok: false`.
 */
export function scheduleStart(schedule: ScheduleSpec, ctx: ScheduleContext): StartResult {
  let base: LocalDate;
  if (schedule.start_property !== undefined) {
    const name = schedule.start_property;
    const raw = (ctx.properties[name] ?? '').trim();
    if (raw === '') return { ok: false, reason: `the start property '${name}' is blank` };
    const parsed = parseLocalDate(raw);
    if (!parsed)
      return { ok: false, reason: `the start property '${name}' is not a date YYYY-MM-DD: '${raw}'` };
    // A case property is not checked by the API: a date far out of range removes the instance
    // with its reason rather than making date arithmetic fail in the worker.
    if (!inYearRange(parsed.year))
      return {
        ok: false,
        reason: `the start property '${name}' is outside the years ${MIN_YEAR} to ${MAX_YEAR}: '${raw}'`,
      };
    base = parsed;
  } else if (schedule.start_date !== undefined) {
    const parsed = parseLocalDate(schedule.start_date);
    if (!parsed)
      return { ok: false, reason: `start_date is not a date YYYY-MM-DD: '${schedule.start_date}'` };
    base = parsed;
  } else {
    base = localDate(ctx.createdAt, ctx.zone);
    const start = addDays(base, schedule.start_offset_days ?? 0);
    // CommCare: a custom daily sequence started automatically never loses its first message —
    // when its first event has passed at creation, day 1 is the next day.
    if (schedule.type === 'custom_daily') {
      const first = schedule.events[0];
      const time = first && parseTime(first.time);
      if (
        first &&
        time &&
        localInstant(addDays(start, first.day - 1), time.hour, time.minute, ctx.zone) < ctx.createdAt
      )
        return { ok: true, start: addDays(start, 1) };
    }
    return { ok: true, start };
  }
  return { ok: true, start: addDays(base, schedule.start_offset_days ?? 0) };
}

/**
 * The first event instant at or after `notBefore` (an event exactly at `notBefore` counts: a
 * local time equal to the current instant has not passed), or null when there is none: the
 * occurrences are used up (`fired` = firings so far), the stop date is reached, or the time
 * property is blank or invalid. Events before `notBefore` are skipped and do not count.
 *
 * An immediate schedule has one event, `delay_minutes` after the instance starts: its creation,
 * or 00:00 local of its start date when that is later.
 */
export function nextEventAt(
  schedule: ScheduleSpec,
  start: LocalDate,
  ctx: ScheduleContext,
  notBefore: number,
  fired: number,
): number | null {
  const stopAt = stopInstant(schedule, ctx);
  if (schedule.type === 'immediate') {
    if (fired >= 1) return null;
    const begins = Math.max(ctx.createdAt, localInstant(start, 0, 0, ctx.zone));
    const at = begins + (schedule.delay_minutes ?? 0) * MINUTE_MS;
    return at >= notBefore && at < stopAt ? at : null;
  }
  if (schedule.type === 'custom_immediate' || schedule.type === 'custom_daily') {
    const next = customEvents(schedule, start, ctx, notBefore).next().value;
    return next && next.at < stopAt ? next.at : null;
  }
  if (schedule.occurrences !== undefined && fired >= schedule.occurrences) return null;
  const eventOn = eventInstantOn(schedule, ctx);
  if (!eventOn) return null;
  // From the day before notBefore's local date: a window past midnight puts that day's event today.
  const yesterday = addDays(localDate(notBefore, ctx.zone), -1);
  let date = firstEventDate(schedule, start, later(start, yesterday));
  let at = eventOn(date);
  // Event instants rise with their dates, so this ends within a few dates of notBefore.
  while (at < notBefore) {
    date = firstEventDate(schedule, start, addDays(date, 1));
    at = eventOn(date);
  }
  return at < stopAt ? at : null;
}

/**
 * The events of a custom schedule falling exactly at `at`, as indexes into its `events` (several
 * when delays of 0 or a DST gap put them on one instant: they fire together); [] for any other
 * schedule, whose one content is sent.
 */
export function customEventsAt(
  schedule: ScheduleSpec,
  start: LocalDate,
  ctx: ScheduleContext,
  at: number,
): number[] {
  if (schedule.type !== 'custom_immediate' && schedule.type !== 'custom_daily') return [];
  const found: number[] = [];
  for (const event of customEvents(schedule, start, ctx, at)) {
    if (event.at !== at) break;
    found.push(event.index);
  }
  return found;
}

interface CustomEvent {
  at: number;
  index: number;
}

/** A custom schedule's events at or after `notBefore`, in time order (then list order). */
function* customEvents(
  schedule: CustomDailyScheduleSpec | CustomImmediateScheduleSpec,
  start: LocalDate,
  ctx: ScheduleContext,
  notBefore: number,
): Generator<CustomEvent> {
  if (schedule.type === 'custom_immediate') {
    let at = ctx.createdAt;
    for (const [index, event] of schedule.events.entries()) {
      at += event.delay_minutes * MINUTE_MS;
      if (at >= notBefore) yield { at, index };
    }
    return;
  }
  const times = schedule.events.map((event) => parseTime(event.time));
  const lastDay = schedule.events.at(-1)?.day ?? 1;
  const every = schedule.every;
  const repetitionEvents = (k: number): CustomEvent[] =>
    schedule.events
      .flatMap((event, index) => {
        const time = times[index];
        if (!time) return [];
        const date = addDays(start, (k - 1) * (every ?? 0) + event.day - 1);
        return [{ at: localInstant(date, time.hour, time.minute, ctx.zone), index }];
      })
      .sort((a, b) => a.at - b.at || a.index - b.index);
  // Repetitions are counted from the first not wholly past at creation (SPEC 4.1).
  let maxRepetition = 1;
  if (every !== undefined) {
    const firstCounted = firstRepetitionAtOrAfter(ctx.createdAt);
    maxRepetition = schedule.occurrences === undefined ? Infinity : firstCounted + schedule.occurrences - 1;
  }
  function firstRepetitionAtOrAfter(instant: number): number {
    if (every === undefined) return 1;
    const elapsed = daysBetween(start, localDate(instant, ctx.zone));
    // A repetition spans at most `every` days (every >= last day): start two before, to be safe.
    let k = Math.max(1, Math.floor((elapsed - lastDay) / every));
    while (k < 1_000_000) {
      const events = repetitionEvents(k);
      const last = events.at(-1);
      if (last === undefined || last.at >= instant) return k;
      k += 1;
    }
    return k;
  }
  for (let k = firstRepetitionAtOrAfter(notBefore); k <= maxRepetition; k++) {
    for (const event of repetitionEvents(k)) if (event.at >= notBefore) yield event;
    if (every === undefined) return;
  }
}

/** The events in [from, until), at most `limit`, for `caseline preview`. */
export function previewEvents(
  schedule: ScheduleSpec,
  start: LocalDate,
  ctx: ScheduleContext,
  from: number,
  until: number,
  fired: number,
  limit: number,
): number[] {
  const events: number[] = [];
  let at = nextEventAt(schedule, start, ctx, from, fired);
  while (at !== null && at < until && events.length < limit) {
    events.push(at);
    at = nextEventAt(schedule, start, ctx, at + 1, fired + events.length);
  }
  return events;
}

/** 00:00 local of the stop property's date; Infinity without a stop property or with a blank or invalid one. */
function stopInstant(schedule: ScheduleSpec, ctx: ScheduleContext): number {
  if (schedule.stop_property === undefined) return Infinity;
  const stop = parseLocalDate((ctx.properties[schedule.stop_property] ?? '').trim());
  return stop ? localInstant(stop, 0, 0, ctx.zone) : Infinity;
}

type Timed = DailyScheduleSpec | WeeklyScheduleSpec | MonthlyScheduleSpec;

/** The first date on or after `from` (itself on or after `start`) that has an event. */
function firstEventDate(schedule: Timed, start: LocalDate, from: LocalDate): LocalDate {
  switch (schedule.type) {
    case 'daily': {
      const every = schedule.every ?? 1;
      const steps = Math.ceil(Math.max(0, daysBetween(start, from)) / every);
      return addDays(start, steps * every);
    }
    case 'weekly': {
      const days = new Set(schedule.days.map((day) => WEEKDAYS.indexOf(day)));
      const every = schedule.every ?? 1;
      let date = from;
      // 7-day blocks from the start date; only every N-th block fires (SPEC 4.1).
      const firing = (d: LocalDate) =>
        days.has(weekday(d)) && Math.floor(daysBetween(start, d) / 7) % every === 0;
      // Within 7 × every dates a firing block's listed weekday comes; an empty list is refused.
      for (let i = 0; i < 7 * every && !firing(date); i++) date = addDays(date, 1);
      return date;
    }
    case 'monthly': {
      const every = schedule.every ?? 1;
      const monthsFromStart = (d: LocalDate) => (d.year - start.year) * 12 + d.month - start.month;
      let date = from;
      // A month that does not fire is skipped whole; a firing month holds a listed day (1..28 or
      // counted from its end), so this ends within `every` months and 31 days.
      for (let i = 0; i < 400; i++) {
        const behind = monthsFromStart(date) % every;
        if (behind === 0 && isMonthDay(date, schedule.days)) break;
        date = behind === 0 ? addDays(date, 1) : firstOfMonthAfter(date, every - behind);
      }
      return date;
    }
  }
}

/** A month day as a number: 1..28, or -1, -2, -3 from the month's end (the words are aliases). */
export function monthDayNumber(day: MonthDay): number {
  if (day === 'last') return -1;
  if (day === 'second_last') return -2;
  if (day === 'third_last') return -3;
  return day;
}

function isMonthDay(date: LocalDate, days: readonly MonthDay[]): boolean {
  const last = daysInMonth(date.year, date.month);
  return days.some((entry) => {
    const day = monthDayNumber(entry);
    return day > 0 ? day === date.day : date.day === last + 1 + day;
  });
}

/** The event instant of an event date, or null when no date has one (blank or invalid time property). */
function eventInstantOn(schedule: Timed, ctx: ScheduleContext): ((date: LocalDate) => number) | null {
  const { zone } = ctx;
  if (schedule.time !== undefined) {
    const time = parseTime(schedule.time);
    return time && ((date) => localInstant(date, time.hour, time.minute, zone));
  }
  if (schedule.time_property !== undefined) {
    const time = parseTime((ctx.properties[schedule.time_property] ?? '').trim());
    return time && ((date) => localInstant(date, time.hour, time.minute, zone));
  }
  const window = schedule.time_window;
  const open = window && parseTime(window.start);
  const close = window && parseTime(window.end);
  if (!open || !close) return null;
  const wraps = close.hour * 60 + close.minute <= open.hour * 60 + open.minute;
  return (date) => {
    const opens = localInstant(date, open.hour, open.minute, zone);
    const closes = localInstant(wraps ? addDays(date, 1) : date, close.hour, close.minute, zone);
    // Whole minutes of real time in the window (a DST change makes it longer or shorter).
    const minutes = Math.max(1, Math.floor((closes - opens) / MINUTE_MS));
    return opens + (hash32(`${ctx.seed}|${isoDate(date)}`) % minutes) * MINUTE_MS;
  };
}

/** `HH:MM` or `H:MM`, 24-hour, else null. */
export function parseTime(text: string): { hour: number; minute: number } | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  return match ? { hour: Number(match[1]), minute: Number(match[2]) } : null;
}

/** FNV-1a over the UTF-16 units, then murmur3's finaliser to spread nearby inputs: 0 .. 2^32-1. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 1st of the month `months` after the date's month. */
function firstOfMonthAfter(date: LocalDate, months: number): LocalDate {
  const index = date.month - 1 + months;
  return { year: date.year + Math.floor(index / 12), month: (index % 12) + 1, day: 1 };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function daysBetween(from: LocalDate, to: LocalDate): number {
  return epochDay(to) - epochDay(from);
}

function later(a: LocalDate, b: LocalDate): LocalDate {
  return epochDay(a) >= epochDay(b) ? a : b;
}
