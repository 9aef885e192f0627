import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schedule } from '../../src/domain/schedule-shape.ts';
import { parseInput } from '../../src/lib/input.ts';
import { isoDate } from '../../src/domain/localtime.ts';
import {
  nextEventAt,
  parseLocalDate,
  previewEvents,
  scheduleStart,
  type DailyScheduleSpec,
  type ScheduleContext,
  type ScheduleSpec,
} from '../../src/domain/schedule.ts';

const at = (text: string) => Date.parse(text);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString().replace('.000Z', 'Z'));
const DAY = 86_400_000;

function context(over: Partial<ScheduleContext> = {}): ScheduleContext {
  return {
    zone: 'UTC',
    createdAt: at('2026-01-05T08:00:00Z'),
    properties: {},
    seed: 'alert-1/case-1',
    ...over,
  };
}

/** The events from `now` (default: the creation) on, at most `limit`, as ISO instants. */
function events(
  schedule: ScheduleSpec,
  ctx: ScheduleContext,
  options: { now?: number; fired?: number; limit?: number } = {},
) {
  const start = scheduleStart(schedule, ctx);
  assert.ok(start.ok, 'the start must resolve');
  const from = options.now ?? ctx.createdAt;
  return previewEvents(
    schedule,
    start.start,
    ctx,
    from,
    from + 800 * DAY,
    options.fired ?? 0,
    options.limit ?? 10,
  ).map(iso);
}

interface Case {
  label: string;
  schedule: ScheduleSpec;
  zone?: string;
  created: string;
  now?: string;
  properties?: Record<string, string>;
  fired?: number;
  limit?: number;
  expect: string[];
}

const daily = (time: string, more: Omit<DailyScheduleSpec, 'type' | 'time'> = {}): DailyScheduleSpec => ({
  type: 'daily',
  time,
  ...more,
});

const cases: Case[] = [
  // DST: 09:00 stays 09:00 on the wall clock.
  {
    label: 'New York spring-forward: 09:00 EST, then 09:00 EDT',
    schedule: daily('09:00'),
    zone: 'America/New_York',
    created: '2026-03-06T15:00:00Z',
    limit: 3,
    expect: ['2026-03-07T14:00:00Z', '2026-03-08T13:00:00Z', '2026-03-09T13:00:00Z'],
  },
  {
    label: 'New York fall-back: 09:00 EDT, then 09:00 EST',
    schedule: daily('09:00'),
    zone: 'America/New_York',
    created: '2026-10-30T14:00:00Z',
    limit: 3,
    expect: ['2026-10-31T13:00:00Z', '2026-11-01T14:00:00Z', '2026-11-02T14:00:00Z'],
  },
  {
    label: 'London spring-forward: 09:00 GMT, then 09:00 BST',
    schedule: daily('09:00'),
    zone: 'Europe/London',
    created: '2026-03-27T12:00:00Z',
    limit: 3,
    expect: ['2026-03-28T09:00:00Z', '2026-03-29T08:00:00Z', '2026-03-30T08:00:00Z'],
  },
  {
    label: 'London fall-back: 09:00 BST, then 09:00 GMT',
    schedule: daily('09:00'),
    zone: 'Europe/London',
    created: '2026-10-23T12:00:00Z',
    limit: 3,
    expect: ['2026-10-24T08:00:00Z', '2026-10-25T09:00:00Z', '2026-10-26T09:00:00Z'],
  },
  {
    label: 'Lord Howe April: +11:00, then +10:30',
    schedule: daily('09:00'),
    zone: 'Australia/Lord_Howe',
    created: '2026-04-03T12:00:00Z',
    limit: 3,
    expect: ['2026-04-03T22:00:00Z', '2026-04-04T22:30:00Z', '2026-04-05T22:30:00Z'],
  },
  {
    label: 'Lord Howe October: +10:30, then +11:00',
    schedule: daily('09:00'),
    zone: 'Australia/Lord_Howe',
    created: '2026-10-02T12:00:00Z',
    limit: 3,
    expect: ['2026-10-02T22:30:00Z', '2026-10-03T22:00:00Z', '2026-10-04T22:00:00Z'],
  },
  {
    label: 'New York 02:30 on the spring-forward day fires at the gap’s end, 03:00 EDT',
    schedule: daily('02:30'),
    zone: 'America/New_York',
    created: '2026-03-07T12:00:00Z',
    limit: 2,
    expect: ['2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z'],
  },
  {
    label: 'New York 01:30 on the fall-back day fires once, at the first (EDT) 01:30',
    schedule: daily('01:30'),
    zone: 'America/New_York',
    created: '2026-10-31T12:00:00Z',
    limit: 2,
    expect: ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z'],
  },
  {
    label: 'Lord Howe 02:15 in the 30-minute gap fires at 02:30 +11:00',
    schedule: daily('02:15'),
    zone: 'Australia/Lord_Howe',
    created: '2026-10-03T00:00:00Z',
    limit: 2,
    expect: ['2026-10-03T15:30:00Z', '2026-10-04T15:15:00Z'],
  },
  {
    label: 'Lord Howe 01:45 on the fall-back night fires once, at +11:00',
    schedule: daily('01:45'),
    zone: 'Australia/Lord_Howe',
    created: '2026-04-04T00:00:00Z',
    limit: 2,
    expect: ['2026-04-04T14:45:00Z', '2026-04-05T15:15:00Z'],
  },

  // Month ends.
  {
    label: 'monthly last: Feb 28 in 2026',
    schedule: { type: 'monthly', days: ['last'], time: '09:00' },
    created: '2026-01-15T10:00:00Z',
    limit: 4,
    expect: ['2026-01-31T09:00:00Z', '2026-02-28T09:00:00Z', '2026-03-31T09:00:00Z', '2026-04-30T09:00:00Z'],
  },
  {
    label: 'monthly last: Feb 29 in the leap year 2028',
    schedule: { type: 'monthly', days: ['last'], time: '09:00' },
    created: '2028-01-15T10:00:00Z',
    limit: 3,
    expect: ['2028-01-31T09:00:00Z', '2028-02-29T09:00:00Z', '2028-03-31T09:00:00Z'],
  },
  {
    label: 'monthly second_last',
    schedule: { type: 'monthly', days: ['second_last'], time: '09:00' },
    created: '2026-01-15T10:00:00Z',
    limit: 3,
    expect: ['2026-01-30T09:00:00Z', '2026-02-27T09:00:00Z', '2026-03-30T09:00:00Z'],
  },
  {
    label: 'monthly second_last in Feb 2028 is the 28th',
    schedule: { type: 'monthly', days: ['second_last'], time: '09:00' },
    created: '2028-02-01T10:00:00Z',
    limit: 1,
    expect: ['2028-02-28T09:00:00Z'],
  },
  {
    label: 'monthly 28 and last: Feb 28 2026 fires once',
    schedule: { type: 'monthly', days: [28, 'last'], time: '09:00' },
    created: '2026-01-15T10:00:00Z',
    limit: 5,
    expect: [
      '2026-01-28T09:00:00Z',
      '2026-01-31T09:00:00Z',
      '2026-02-28T09:00:00Z',
      '2026-03-28T09:00:00Z',
      '2026-03-31T09:00:00Z',
    ],
  },
  {
    label: 'monthly 1 and 15 with occurrences 3',
    schedule: { type: 'monthly', days: [15, 1], time: '09:00', occurrences: 3 },
    created: '2026-01-15T10:00:00Z',
    expect: ['2026-02-01T09:00:00Z', '2026-02-15T09:00:00Z', '2026-03-01T09:00:00Z'],
  },

  // Weekly, every N days, occurrences.
  {
    label: 'Monday+Thursday for 3 occurrences: Mon, Thu, Mon',
    schedule: { type: 'weekly', days: ['mon', 'thu'], time: '09:00', occurrences: 3 },
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-05T09:00:00Z', '2026-01-08T09:00:00Z', '2026-01-12T09:00:00Z'],
  },
  {
    label: 'weekly days on or after a Wednesday start',
    schedule: { type: 'weekly', days: ['thu', 'mon'], time: '09:00' },
    created: '2026-01-07T08:00:00Z',
    limit: 3,
    expect: ['2026-01-08T09:00:00Z', '2026-01-12T09:00:00Z', '2026-01-15T09:00:00Z'],
  },
  {
    label: 'weekly Sunday only',
    schedule: { type: 'weekly', days: ['sun'], time: '18:00', occurrences: 2 },
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-11T18:00:00Z', '2026-01-18T18:00:00Z'],
  },
  {
    label: 'every 2 days from the start date',
    schedule: daily('09:00', { every: 2, occurrences: 3 }),
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-05T09:00:00Z', '2026-01-07T09:00:00Z', '2026-01-09T09:00:00Z'],
  },
  {
    label: 'every 2 days: a passed first day is skipped, the rhythm kept',
    schedule: daily('09:00', { every: 2, occurrences: 2 }),
    created: '2026-01-05T10:00:00Z',
    expect: ['2026-01-07T09:00:00Z', '2026-01-09T09:00:00Z'],
  },
  {
    label: 'created at 10:00 with 09:00 daily: first event tomorrow, 2 occurrences kept',
    schedule: daily('09:00', { occurrences: 2 }),
    created: '2026-01-05T10:00:00Z',
    expect: ['2026-01-06T09:00:00Z', '2026-01-07T09:00:00Z'],
  },
  {
    label: 'occurrences already fired reduce what is left',
    schedule: daily('09:00', { occurrences: 3 }),
    created: '2026-01-05T08:00:00Z',
    fired: 2,
    expect: ['2026-01-05T09:00:00Z'],
  },
  {
    label: 'a local time equal to the creation instant has not passed',
    schedule: daily('09:00', { occurrences: 1 }),
    created: '2026-01-05T09:00:00Z',
    expect: ['2026-01-05T09:00:00Z'],
  },
  {
    label: 'one millisecond later it has',
    schedule: daily('09:00', { occurrences: 1 }),
    created: '2026-01-05T09:00:00.001Z',
    expect: ['2026-01-06T09:00:00Z'],
  },
  {
    label: 'the recipient’s zone decides the local time',
    schedule: daily('09:00', { occurrences: 1 }),
    zone: 'Africa/Nairobi',
    created: '2026-01-05T05:00:00Z',
    expect: ['2026-01-05T06:00:00Z'],
  },

  // Start dates.
  {
    label: 'start property 3 days before',
    schedule: daily('09:00', { start_property: 'edd', start_offset_days: -3, occurrences: 1 }),
    created: '2026-01-05T08:00:00Z',
    properties: { edd: '2026-01-10' },
    expect: ['2026-01-07T09:00:00Z'],
  },
  {
    label: 'start property 2 days after',
    schedule: daily('09:00', { start_property: 'edd', start_offset_days: 2, occurrences: 1 }),
    created: '2026-01-05T08:00:00Z',
    properties: { edd: '2026-01-10' },
    expect: ['2026-01-12T09:00:00Z'],
  },
  {
    label: 'start property with offset into the past: only future events',
    schedule: daily('09:00', { start_property: 'edd', start_offset_days: -10, occurrences: 2 }),
    created: '2026-01-05T10:00:00Z',
    properties: { edd: '2026-01-10' },
    expect: ['2026-01-06T09:00:00Z', '2026-01-07T09:00:00Z'],
  },
  {
    label: 'fixed start date in the past with occurrences 1: the next future event, not consumed',
    schedule: daily('09:00', { start_date: '2025-12-01', occurrences: 1 }),
    created: '2026-01-05T10:00:00Z',
    expect: ['2026-01-06T09:00:00Z'],
  },
  {
    label: 'fixed start date in the past, every 7 days: keeps the start’s rhythm',
    schedule: daily('09:00', { start_date: '2025-12-01', every: 7, occurrences: 2 }),
    created: '2026-01-05T10:00:00Z',
    expect: ['2026-01-12T09:00:00Z', '2026-01-19T09:00:00Z'],
  },
  {
    label: 'fixed start date in the future',
    schedule: { type: 'weekly', days: ['mon'], time: '09:00', start_date: '2026-02-04', occurrences: 1 },
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-02-09T09:00:00Z'],
  },

  // Stop property.
  {
    label: 'stop property: no event on or after the stop date',
    schedule: daily('09:00', { stop_property: 'end' }),
    created: '2026-01-05T08:00:00Z',
    properties: { end: '2026-01-07' },
    expect: ['2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z'],
  },
  {
    label: 'stop at 00:00 local (New York): 23:30 the evening before still fires',
    schedule: daily('23:30', { stop_property: 'end' }),
    zone: 'America/New_York',
    created: '2026-01-05T12:00:00Z',
    properties: { end: '2026-01-07' },
    expect: ['2026-01-06T04:30:00Z', '2026-01-07T04:30:00Z'],
  },
  {
    label: 'stop: an event at exactly 00:00 of the stop date does not fire',
    schedule: daily('00:00', { stop_property: 'end' }),
    created: '2026-01-05T08:00:00Z',
    properties: { end: '2026-01-07' },
    expect: ['2026-01-06T00:00:00Z'],
  },
  {
    label: 'a blank stop property stops nothing',
    schedule: daily('09:00', { stop_property: 'end', occurrences: 2 }),
    created: '2026-01-05T08:00:00Z',
    properties: { end: ' ' },
    expect: ['2026-01-05T09:00:00Z', '2026-01-06T09:00:00Z'],
  },

  // Time from a case property.
  {
    label: 'time property 14:15',
    schedule: { type: 'daily', time_property: 'visit_time', occurrences: 2 },
    created: '2026-01-05T08:00:00Z',
    properties: { visit_time: '14:15' },
    expect: ['2026-01-05T14:15:00Z', '2026-01-06T14:15:00Z'],
  },
  {
    label: 'time property 7:05 (one-digit hour, spaces)',
    schedule: { type: 'weekly', days: ['tue'], time_property: 't', occurrences: 1 },
    created: '2026-01-05T08:00:00Z',
    properties: { t: ' 7:05 ' },
    expect: ['2026-01-06T07:05:00Z'],
  },
  {
    label: 'time property 25:00: no event',
    schedule: { type: 'daily', time_property: 't' },
    created: '2026-01-05T08:00:00Z',
    properties: { t: '25:00' },
    expect: [],
  },
  {
    label: 'time property noon: no event',
    schedule: { type: 'daily', time_property: 't' },
    created: '2026-01-05T08:00:00Z',
    properties: { t: 'noon' },
    expect: [],
  },
  {
    label: 'time property missing: no event',
    schedule: { type: 'monthly', days: [1], time_property: 't' },
    created: '2026-01-05T08:00:00Z',
    expect: [],
  },

  // Immediate.
  {
    label: 'immediate: at creation',
    schedule: { type: 'immediate' },
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-05T08:00:00Z'],
  },
  {
    label: 'immediate with a delay of 90 minutes',
    schedule: { type: 'immediate', delay_minutes: 90 },
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-05T09:30:00Z'],
  },
  {
    label: 'immediate already fired: nothing more',
    schedule: { type: 'immediate', delay_minutes: 5 },
    created: '2026-01-05T08:00:00Z',
    fired: 1,
    expect: [],
  },
  {
    label: 'immediate recalculated after its instant passed: skipped',
    schedule: { type: 'immediate', delay_minutes: 5 },
    created: '2026-01-05T08:00:00Z',
    now: '2026-01-05T08:05:00.001Z',
    expect: [],
  },
  {
    label: 'immediate with a later start date: 00:00 local of it plus the delay',
    schedule: { type: 'immediate', delay_minutes: 30, start_date: '2026-01-10' },
    zone: 'Africa/Nairobi',
    created: '2026-01-05T08:00:00Z',
    expect: ['2026-01-09T21:30:00Z'],
  },
  {
    label: 'immediate after the stop date: nothing',
    schedule: { type: 'immediate', stop_property: 'end' },
    created: '2026-01-05T08:00:00Z',
    properties: { end: '2026-01-05' },
    expect: [],
  },
];

for (const c of cases) {
  test(`events: ${c.label}`, () => {
    const ctx = context({ zone: c.zone ?? 'UTC', createdAt: at(c.created), properties: c.properties ?? {} });
    const now = c.now === undefined ? undefined : at(c.now);
    assert.deepEqual(events(c.schedule, ctx, { now, fired: c.fired, limit: c.limit }), c.expect);
  });
}

test('after a firing at T the next event is asked from T + 1 and comes a day later', () => {
  const schedule = daily('01:30');
  const ctx = context({ zone: 'America/New_York', createdAt: at('2026-10-31T12:00:00Z') });
  const first = nextEventAt(schedule, { year: 2026, month: 10, day: 31 }, ctx, ctx.createdAt, 0);
  assert.equal(iso(first), '2026-11-01T05:30:00Z');
  assert.equal(
    iso(nextEventAt(schedule, { year: 2026, month: 10, day: 31 }, ctx, (first ?? 0) + 1, 1)),
    '2026-11-02T06:30:00Z',
  );
});

test('scheduleStart: default, fixed date, start property with offsets, removal', () => {
  const rows: {
    label: string;
    schedule: ScheduleSpec;
    properties?: Record<string, string>;
    zone?: string;
    expect: string;
  }[] = [
    { label: 'default: the local creation date', schedule: daily('09:00'), expect: '2026-01-05' },
    {
      label: 'default in the recipient’s zone (Honolulu: still Jan 4)',
      schedule: daily('09:00'),
      zone: 'Pacific/Honolulu',
      expect: '2026-01-04',
    },
    {
      label: 'default plus an offset',
      schedule: daily('09:00', { start_offset_days: 2 }),
      expect: '2026-01-07',
    },
    { label: 'fixed date', schedule: daily('09:00', { start_date: '2025-12-01' }), expect: '2025-12-01' },
    {
      label: 'property',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '2026-03-01' },
      expect: '2026-03-01',
    },
    {
      label: 'property 3 days before, across a month end',
      schedule: daily('09:00', { start_property: 'edd', start_offset_days: -3 }),
      properties: { edd: '2026-03-01' },
      expect: '2026-02-26',
    },
    {
      label: 'property 40 days after',
      schedule: daily('09:00', { start_property: 'edd', start_offset_days: 40 }),
      properties: { edd: '2026-03-01' },
      expect: '2026-04-10',
    },
    {
      label: 'property 29 Feb in a leap year',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '2028-02-29' },
      expect: '2028-02-29',
    },
    {
      label: 'blank property',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '' },
      expect: 'removed',
    },
    {
      label: 'spaces only',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '   ' },
      expect: 'removed',
    },
    { label: 'missing property', schedule: daily('09:00', { start_property: 'edd' }), expect: 'removed' },
    {
      label: 'xyz',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: 'xyz' },
      expect: 'removed',
    },
    {
      label: '30 February',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '2026-02-30' },
      expect: 'removed',
    },
    {
      label: '29 February 2026',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '2026-02-29' },
      expect: 'removed',
    },
    {
      label: 'a date with a time',
      schedule: daily('09:00', { start_property: 'edd' }),
      properties: { edd: '2026-03-01T09:00' },
      expect: 'removed',
    },
    {
      label: 'immediate with a missing start property',
      schedule: { type: 'immediate', start_property: 'edd' },
      expect: 'removed',
    },
  ];
  for (const row of rows) {
    const result = scheduleStart(
      row.schedule,
      context({ properties: row.properties ?? {}, zone: row.zone ?? 'UTC' }),
    );
    const actual = result.ok ? isoDate(result.start) : 'removed';
    assert.equal(actual, row.expect, row.label);
    if (!result.ok) assert.match(result.reason, /start property 'edd'/, row.label);
  }
});

test('parseLocalDate is strict', () => {
  const rows: [string, string | null][] = [
    ['2026-01-05', '2026-01-05'],
    ['2028-02-29', '2028-02-29'],
    ['2000-02-29', '2000-02-29'],
    ['1900-02-29', null],
    ['2026-04-31', null],
    ['2026-13-01', null],
    ['2026-00-10', null],
    ['2026-01-00', null],
    ['2026-1-5', null],
    [' 2026-01-05', null],
    ['20260105', null],
    ['', null],
  ];
  for (const [text, expect] of rows) {
    const parsed = parseLocalDate(text);
    assert.equal(parsed && isoDate(parsed), expect, text);
  }
});

test('stop property moved later resumes from the next event not in the past', () => {
  const schedule = daily('09:00', { stop_property: 'end' });
  const start = { year: 2026, month: 1, day: 5 };
  const now = at('2026-01-08T08:00:00Z');
  const stopped = context({ properties: { end: '2026-01-07' } });
  assert.equal(nextEventAt(schedule, start, stopped, now, 2), null);
  const moved = context({ properties: { end: '2026-01-10' } });
  assert.equal(iso(nextEventAt(schedule, start, moved, now, 2)), '2026-01-08T09:00:00Z');
  assert.deepEqual(previewEvents(schedule, start, moved, now, now + 30 * DAY, 2, 10).map(iso), [
    '2026-01-08T09:00:00Z',
    '2026-01-09T09:00:00Z',
  ]);
});

test('a stop date before the start ends the instance before any event', () => {
  const schedule = daily('09:00', { stop_property: 'end' });
  const ctx = context({ properties: { end: '2026-01-01' } });
  assert.equal(nextEventAt(schedule, { year: 2026, month: 1, day: 5 }, ctx, ctx.createdAt, 0), null);
});

const windowed: ScheduleSpec = { type: 'daily', time_window: { start: '09:00', end: '11:00' } };
const jan5 = { year: 2026, month: 1, day: 5 };

/** The window event of each of `days` dates from Jan 5, computed one date at a time. */
function windowEvents(schedule: ScheduleSpec, ctx: ScheduleContext, days: number): number[] {
  const out: number[] = [];
  for (let d = 0; d < days; d++) {
    const t = nextEventAt(schedule, jan5, ctx, at('2026-01-05T00:00:00Z') + d * DAY, 0);
    assert.ok(t !== null);
    out.push(t);
  }
  return out;
}

test('random window: inside [start, end), on whole minutes, one per date', () => {
  const ctx = context();
  const times = windowEvents(windowed, ctx, 60);
  times.forEach((t, d) => {
    const opens = at('2026-01-05T09:00:00Z') + d * DAY;
    assert.ok(t >= opens && t < opens + 2 * 3_600_000, `day ${d}: ${iso(t)}`);
    assert.equal(t % 60_000, 0);
  });
});

test('random window: the same seed and date give the same instant, whenever asked', () => {
  const ctx = context();
  const early = nextEventAt(windowed, jan5, ctx, at('2026-01-05T00:00:00Z'), 0);
  assert.ok(early !== null);
  assert.equal(nextEventAt(windowed, jan5, ctx, at('2026-01-05T09:00:00Z'), 0), early);
  assert.equal(nextEventAt(windowed, jan5, ctx, early, 0), early, 'asked at its own instant');
  assert.equal(
    nextEventAt(windowed, jan5, context({ createdAt: at('2026-01-01T00:00:00Z') }), early - 1, 0),
    early,
  );
  // After firing it, the next event is the next date's.
  const next = nextEventAt(windowed, jan5, ctx, early + 1, 1);
  assert.ok(
    next !== null && next >= at('2026-01-06T09:00:00Z') && next < at('2026-01-06T11:00:00Z'),
    iso(next) ?? 'null',
  );
});

test('random window: different dates differ, and the seed changes the draw', () => {
  const minutes = (ts: number[]) => ts.map((t) => (t % DAY) / 60_000);
  const a = minutes(windowEvents(windowed, context({ seed: 'a' }), 30));
  const b = minutes(windowEvents(windowed, context({ seed: 'b' }), 30));
  assert.ok(new Set(a).size >= 15, `30 dates drew only ${new Set(a).size} distinct minutes`);
  const same = a.filter((m, i) => m === b[i]).length;
  assert.ok(same <= 5, `seeds a and b agree on ${same} of 30 dates`);
});

test('random window across midnight: each date’s event between its 22:00 and 02:00 the next day', () => {
  const schedule: ScheduleSpec = { type: 'daily', time_window: { start: '22:00', end: '02:00' } };
  const ctx = context();
  // Fired one after the other (each asked from the previous one + 1 ms): one event per date.
  const times = previewEvents(schedule, jan5, ctx, at('2026-01-05T00:00:00Z'), Infinity, 0, 20);
  assert.equal(times.length, 20);
  times.forEach((t, d) => {
    const opens = at('2026-01-05T22:00:00Z') + d * DAY;
    assert.ok(t >= opens && t < opens + 4 * 3_600_000, `date ${d}: ${iso(t)}`);
  });
  assert.ok(
    times.some((t) => (t % DAY) / 60_000 < 2 * 60),
    'some draws fall after midnight',
  );
  // Asked at midnight, the previous date's event still ahead is the next one.
  const afterMidnight = times.find((t) => t % DAY < 2 * 3_600_000);
  assert.ok(afterMidnight !== undefined, 'some draws fall after midnight');
  assert.equal(nextEventAt(schedule, jan5, ctx, afterMidnight - (afterMidnight % DAY), 0), afterMidnight);
});

test('random window across the New York spring-forward gap: 01:30–03:30 holds one real hour', () => {
  const schedule: ScheduleSpec = { type: 'daily', time_window: { start: '01:30', end: '03:30' } };
  for (const seed of ['a', 'b', 'c', 'd', 'e', 'f']) {
    const ctx = context({ zone: 'America/New_York', seed });
    const t = nextEventAt(schedule, { year: 2026, month: 3, day: 8 }, ctx, at('2026-03-08T05:00:00Z'), 0);
    assert.ok(
      t !== null && t >= at('2026-03-08T06:30:00Z') && t < at('2026-03-08T07:30:00Z'),
      `${seed}: ${iso(t)}`,
    );
  }
});

test('a schedule validated by the input schema feeds the domain directly', () => {
  const schedule = parseInput(Schedule, { type: 'monthly', days: ['last'], time: '08:15', occurrences: 2 });
  const ctx = context({ zone: 'Europe/London', createdAt: at('2026-03-01T00:00:00Z') });
  assert.deepEqual(events(schedule, ctx), ['2026-03-31T07:15:00Z', '2026-04-30T07:15:00Z']);
});

test('previewEvents keeps to [from, until) and the limit', () => {
  const schedule = daily('09:00');
  const ctx = context();
  const from = at('2026-01-05T09:00:00Z');
  assert.deepEqual(previewEvents(schedule, jan5, ctx, from, at('2026-01-08T09:00:00Z'), 0, 10).map(iso), [
    '2026-01-05T09:00:00Z',
    '2026-01-06T09:00:00Z',
    '2026-01-07T09:00:00Z',
  ]);
  assert.equal(previewEvents(schedule, jan5, ctx, from, from + 30 * DAY, 0, 4).length, 4);
});
