// The shapes of schedules (SPEC 4.1) as the API and the scenarios give them; schedule.ts
// computes their events.
import Type from 'typebox';
import type { Static, TObject } from 'typebox';
import { exactlyOneOf, Id, LocalTime, Strict } from '../lib/schema.ts';
import { parseLocalDate } from './schedule.ts';

const CALENDAR_DATE_MESSAGE = 'must be a date YYYY-MM-DD';
/** A calendar date `YYYY-MM-DD` that exists (2026-02-30 does not). */
export const CalendarDate = Type.Refine(
  Type.String({
    pattern: '^\\d{4}-\\d{2}-\\d{2}$',
    description: 'a calendar date YYYY-MM-DD',
    errorMessage: CALENDAR_DATE_MESSAGE,
  }),
  (value) => parseLocalDate(value) !== null,
  (value) => `must be a date that exists in the calendar ('${value}' does not)`,
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
  start_offset_days: Type.Optional(Type.Integer()),
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
    delay_minutes: Type.Optional(Type.Integer({ minimum: 0 })),
    ...scheduleStart,
  }),
);
/** Every `every` (default 1) days from the start date, recipient-local; `occurrences` absent: never stops. */
export const DailySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('daily'),
      ...timeOfDay,
      every: Type.Optional(Type.Integer({ minimum: 1 })),
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
export const Weekday = Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']);
export type Weekday = Static<typeof Weekday>;
/** On the given days on or after the start date, recipient-local; each firing is one occurrence. */
export const WeeklySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('weekly'),
      days: Type.Array(Weekday, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
/** A day of the month: 1..28, `last` or `second_last`. */
export const MonthDay = Type.Union([
  Type.Integer({ minimum: 1, maximum: 28 }),
  Type.Enum(['last', 'second_last']),
]);
export type MonthDay = Static<typeof MonthDay>;
/** On the given days of each month; a date named twice (28 and `last` in February) fires once. */
export const MonthlySchedule = oneStart(
  Strict(
    {
      type: Type.Literal('monthly'),
      days: Type.Array(MonthDay, { minItems: 1, uniqueItems: true }),
      ...timeOfDay,
      occurrences: Type.Optional(Type.Integer({ minimum: 1 })),
      ...scheduleStart,
    },
    oneTimeOfDay,
  ),
);
export const Schedule = Type.Union([ImmediateSchedule, DailySchedule, WeeklySchedule, MonthlySchedule]);
export type Schedule = Static<typeof Schedule>;
