// The shapes of schedules (SPEC 4.1) as the API and the scenarios give them; schedule.ts
// computes their events.
import Type from 'typebox';
import type { Static, TObject } from 'typebox';
import { exactlyOneOf, Id, inYearRange, LocalTime, MAX_YEAR, MIN_YEAR, Strict } from '../lib/schema.ts';
import { Content } from './content.ts';
import { parseLocalDate } from './schedule.ts';

// SPEC 7 "Bounds": every number has a range; outside it the API answers 400 naming the field.
/** Days: offsets, `every` of a daily schedule, a custom daily event's day. */
const Days = (minimum: number) => Type.Integer({ minimum, maximum: 3650 });
/** Minutes of a delay. */
const Minutes = Type.Integer({ minimum: 0, maximum: 525_600 });
/** Firings (or custom daily repetitions) in all. */
const Occurrences = Type.Integer({ minimum: 1, maximum: 10_000 });

const CALENDAR_DATE_MESSAGE = 'must be a date YYYY-MM-DD';
/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not), in the years 1900…2200. */
export const CalendarDate = Type.Refine(
  Type.Refine(
    Type.String({
      pattern: '^\\d{4}-\\d{2}-\\d{2}$',
      description: `a calendar date YYYY-MM-DD in the years ${MIN_YEAR} to ${MAX_YEAR}`,
      errorMessage: CALENDAR_DATE_MESSAGE,
    }),
    (value) => parseLocalDate(value) !== null,
    (value) => `must be a date that exists in the calendar ('${value}' does not)`,
  ),
  (value) => inYearRange(Number(value.slice(0, 4))),
  () => `must be a date in the years ${MIN_YEAR} to ${MAX_YEAR}`,
);
export type CalendarDate = Static<typeof CalendarDate>;

/** A random instant in [start, end), recipient-local; an end before the start is on the next day. */
export const TimeWindow = Type.Refine(
  Strict(
    { start: LocalTime, end: LocalTime },
    { description: 'a random instant from start to end; an end before the start is on the next day' },
  ),
  (window) => window.start !== window.end,
  () => 'end must differ from start',
);
export type TimeWindow = Static<typeof TimeWindow>;

/** Where every schedule type starts and stops (the case properties are for alerts). */
const scheduleStart = {
  /** A case property holding `YYYY-MM-DD`: the schedule starts that day; blank or not a date: the instance is removed. */
  start_property: Type.Optional(Id),
  /** Days after the start date (negative: before); default 0. */
  start_offset_days: Type.Optional(Type.Integer({ minimum: -3650, maximum: 3650 })),
  /** A fixed start date; not together with `start_property`. */
  start_date: Type.Optional(CalendarDate),
  /** A case property holding `YYYY-MM-DD`: no event at or after 00:00 of that date. */
  stop_property: Type.Optional(Id),
  /** A case property: whenever its value changes the schedule restarts. */
  restart_property: Type.Optional(Id),
};

/** The time of day of a daily, weekly or monthly event: exactly one of the three. */
const timeOfDay = {
  /** `HH:MM`, recipient-local. */
  time: Type.Optional(LocalTime),
  /** A random time in a window, the same each time it is computed for that date. */
  time_window: Type.Optional(TimeWindow),
  /** A case property holding `HH:MM`; blank or invalid: no event. */
  time_property: Type.Optional(Id),
};
const oneTimeOfDay = exactlyOneOf('time', 'time_window', 'time_property');

/** A schedule object that refuses `start_property` together with `start_date`. */
function oneStart<T extends TObject>(schema: T) {
  return Type.Refine(
    schema,
    (value) =>
      !(Object.hasOwn(value as object, 'start_property') && Object.hasOwn(value as object, 'start_date')),
    () => 'must not have both start_property and start_date',
  );
}

/** Fires once, `delay_minutes` (default 0) after the instance starts. */
export const ImmediateSchedule = oneStart(
  Strict({
    type: Type.Literal('immediate'),
    delay_minutes: Type.Optional(Minutes),
    ...scheduleStart,
  }),
);
/** Every `every` (default 1) days from the start date, recipient-local; `occurrences` absent: never stops. */
export const DailySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('daily'),
      ...timeOfDay,
      every: Type.Optional(Days(1)),
      occurrences: Type.Optional(Occurrences),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
export const Weekday = Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = Static<typeof Weekday>;
/** On the given weekdays of every `every`-th 7-day block from the start date (default 1),
 * recipient-local; each firing is one occurrence. */
export const WeeklySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('weekly'),
      days: Type.Array(Weekday, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      every: Type.Optional(Type.Integer({ minimum: 1, maximum: 520 })),
      occurrences: Type.Optional(Occurrences),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
const MONTH_DAY_MESSAGE = 'must be a day 1 to 28, or -1, -2, -3 counted from the end of the month';
/** A day of the month: 1..28, or -1 (the last day), -2, -3; `last`, `second_last` and
 * `third_last` are kept as aliases of -1, -2, -3. */
export const MonthDay = Type.Union(
  [
    Type.Refine(
      Type.Integer({ minimum: -3, maximum: 28, errorMessage: MONTH_DAY_MESSAGE }),
      (day) => day !== 0,
      () => MONTH_DAY_MESSAGE,
    ),
    Type.Enum(['last', 'second_last', 'third_last']),
  ],
  { errorMessage: MONTH_DAY_MESSAGE },
);
export type MonthDay = Static<typeof MonthDay>;
/** On the given days of the start date's month and every `every`-th month after it (default
 * 1), from the start date on; a date named twice (28 and -1 in February) fires once. */
export const MonthlySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('monthly'),
      days: Type.Array(MonthDay, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      every: Type.Optional(Type.Integer({ minimum: 1, maximum: 120 })),
      occurrences: Type.Optional(Occurrences),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
/** One event of a custom daily schedule: its day (1 = the start date), local time and content. */
export const CustomDailyEvent = Strict({ day: Days(1), time: LocalTime, content: Content });

/** The problem with a custom daily schedule's events, `every` and `occurrences`, if any. */
function customDailyProblem(schedule: {
  events: readonly { day: number; time: string }[];
  every?: number;
  occurrences?: number;
}): string | undefined {
  for (let i = 1; i < schedule.events.length; i++) {
    const [before, event] = [schedule.events[i - 1], schedule.events[i]];
    if (
      before &&
      event &&
      (event.day < before.day || (event.day === before.day && event.time <= before.time))
    )
      return `events must be in strictly increasing (day, time) order: event ${i + 1} is not after event ${i}`;
  }
  const lastDay = schedule.events.at(-1)?.day ?? 1;
  if (schedule.every !== undefined && schedule.every < lastDay)
    return `every (${schedule.every}) must be at least the last event's day (${lastDay})`;
  if (schedule.occurrences !== undefined && schedule.every === undefined)
    return 'occurrences counts repetitions: it needs every';
  return undefined;
}

/** CommCare's custom daily schedule: each event on its day at its time with its own content;
 * repeats every `every` days (absent: once), `occurrences` repetitions. */
export const CustomDailySchedule = Type.Refine(
  oneStart(
    Strict({
      type: Type.Literal('custom_daily'),
      events: Type.Array(CustomDailyEvent, { minItems: 1, maxItems: 500 }),
      every: Type.Optional(Days(1)),
      occurrences: Type.Optional(Occurrences),
      ...scheduleStart,
    }),
  ),
  (schedule) => customDailyProblem(schedule) === undefined,
  (schedule) => customDailyProblem(schedule) ?? 'is not valid',
);

/** One event of a custom immediate schedule: minutes after the previous event (the first:
 * after the instance starts) and its own content. */
export const CustomImmediateEvent = Strict({ delay_minutes: Minutes, content: Content });
/** CommCare's custom immediate schedule: a chain of delays; runs once; no start or stop fields. */
export const CustomImmediateSchedule = Strict({
  type: Type.Literal('custom_immediate'),
  events: Type.Array(CustomImmediateEvent, { minItems: 1, maxItems: 500 }),
  /** A case property: whenever its value changes the chain starts again. */
  restart_property: Type.Optional(Id),
});

export const Schedule = Type.Union([
  ImmediateSchedule,
  DailySchedule,
  WeeklySchedule,
  MonthlySchedule,
  CustomDailySchedule,
  CustomImmediateSchedule,
]);
export type Schedule = Static<typeof Schedule>;
