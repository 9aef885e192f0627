// SPEC 4.1: weekly every N weeks, monthly days counted from the end and every N months, custom
// daily and custom immediate sequences, and the bounds and orders their shapes refuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Schedule } from '../../src/domain/schedule-shape.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';
import {
  customEventsAt,
  previewEvents,
  scheduleStart,
  type ScheduleContext,
  type ScheduleSpec,
} from '../../src/domain/schedule.ts';

const at = (text: string) => Date.parse(text);
const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');

function ctx(over: Partial<ScheduleContext> = {}): ScheduleContext {
  return { zone: 'UTC', createdAt: at('2026-01-05T08:00:00Z'), properties: {}, seed: 's', ...over };
}

/** Every event from the creation for `days` days, as ISO instants (custom: with event indexes). */
function events(schedule: ScheduleSpec, c: ScheduleContext, days = 120): string[] {
  const start = scheduleStart(schedule, c);
  assert.ok(start.ok);
  const list = previewEvents(schedule, start.start, c, c.createdAt, c.createdAt + days * 86_400_000, 0, 200);
  return list.map((t) => {
    const indexes = customEventsAt(schedule, start.start, c, t);
    return indexes.length > 0 ? `${iso(t)}#${indexes.join('+')}` : iso(t);
  });
}

const sms = { text: 'x' };

const cases: {
  label: string;
  schedule: unknown;
  ctx?: Partial<ScheduleContext>;
  days?: number;
  expect: string[];
}[] = [
  {
    label: 'weekly every 2 weeks: blocks 1 and 3 from the start date, whatever its weekday',
    schedule: { type: 'weekly', days: ['tue'], time: '09:00', every: 2, start_date: '2026-01-08' },
    days: 40,
    // Blocks from Thursday 8th: 8–14 (Tue 13th), 22–28 (Tue 27th), 5 Feb–11 Feb (Tue 10th).
    expect: ['2026-01-13T09:00:00Z', '2026-01-27T09:00:00Z', '2026-02-10T09:00:00Z'],
  },
  {
    label: 'weekly every 3 weeks with occurrences counts each firing',
    schedule: { type: 'weekly', days: ['mon', 'wed'], time: '10:00', every: 3, occurrences: 3 },
    expect: ['2026-01-05T10:00:00Z', '2026-01-07T10:00:00Z', '2026-01-26T10:00:00Z'],
  },
  {
    label: 'monthly -2 and -3: the second- and third-last days (February has 28 in 2026)',
    schedule: { type: 'monthly', days: [-2, -3], time: '08:00', occurrences: 4 },
    expect: ['2026-01-29T08:00:00Z', '2026-01-30T08:00:00Z', '2026-02-26T08:00:00Z', '2026-02-27T08:00:00Z'],
  },
  {
    label: 'monthly every 2 months from the start month; 28 and -1 in February fire once',
    schedule: { type: 'monthly', days: [28, 'last'], time: '08:00', every: 2, start_date: '2026-02-01' },
    days: 150,
    expect: ['2026-02-28T08:00:00Z', '2026-04-28T08:00:00Z', '2026-04-30T08:00:00Z'],
  },
  {
    label: 'custom daily without every runs its list once, each event at its own day and time',
    schedule: {
      type: 'custom_daily',
      events: [
        { day: 1, time: '09:00', content: sms },
        { day: 3, time: '18:00', content: sms },
        { day: 7, time: '07:30', content: sms },
      ],
    },
    expect: ['2026-01-05T09:00:00Z#0', '2026-01-07T18:00:00Z#1', '2026-01-11T07:30:00Z#2'],
  },
  {
    label: 'custom daily: the first event passed at creation moves day 1 to the next day',
    schedule: {
      type: 'custom_daily',
      events: [
        { day: 1, time: '07:00', content: sms },
        { day: 2, time: '07:00', content: sms },
      ],
    },
    expect: ['2026-01-06T07:00:00Z#0', '2026-01-07T07:00:00Z#1'],
  },
  {
    label:
      'custom daily every N = last day: the next repetition begins the day after; occurrences count repetitions',
    schedule: {
      type: 'custom_daily',
      events: [
        { day: 1, time: '09:00', content: sms },
        { day: 2, time: '09:00', content: sms },
      ],
      every: 2,
      occurrences: 2,
    },
    expect: [
      '2026-01-05T09:00:00Z#0',
      '2026-01-06T09:00:00Z#1',
      '2026-01-07T09:00:00Z#0',
      '2026-01-08T09:00:00Z#1',
    ],
  },
  {
    label: 'custom daily from a start date in the past: wholly passed repetitions do not count',
    schedule: {
      type: 'custom_daily',
      events: [{ day: 1, time: '09:00', content: sms }],
      every: 7,
      occurrences: 2,
      start_date: '2025-12-01',
    },
    expect: ['2026-01-05T09:00:00Z#0', '2026-01-12T09:00:00Z#0'],
  },
  {
    label: 'custom daily: a partly passed repetition counts (its passed events are skipped, not sent)',
    schedule: {
      type: 'custom_daily',
      events: [
        { day: 1, time: '09:00', content: sms },
        { day: 2, time: '09:00', content: sms },
      ],
      every: 2,
      occurrences: 2,
      start_date: '2026-01-04',
    },
    expect: ['2026-01-05T09:00:00Z#1', '2026-01-06T09:00:00Z#0', '2026-01-07T09:00:00Z#1'],
  },
  {
    label: 'custom daily in the recipient zone (Nairobi, UTC+3)',
    schedule: { type: 'custom_daily', events: [{ day: 2, time: '10:00', content: sms }] },
    ctx: { zone: 'Africa/Nairobi' },
    expect: ['2026-01-06T07:00:00Z#0'],
  },
  {
    label:
      'custom immediate chains each delay from the previous due instant; delay 0 events share an instant',
    schedule: {
      type: 'custom_immediate',
      events: [
        { delay_minutes: 0, content: sms },
        { delay_minutes: 0, content: sms },
        { delay_minutes: 90, content: sms },
        { delay_minutes: 1440, content: sms },
      ],
    },
    expect: ['2026-01-05T08:00:00Z#0+1', '2026-01-05T09:30:00Z#2', '2026-01-06T09:30:00Z#3'],
  },
];

for (const c of cases) {
  test(c.label, () => {
    const schedule = parseInput(Schedule, c.schedule) as ScheduleSpec;
    assert.deepEqual(events(schedule, ctx(c.ctx), c.days), c.expect);
  });
}

const refused: { label: string; schedule: unknown; error: string }[] = [
  {
    label: 'weekly every 0',
    schedule: { type: 'weekly', days: ['mon'], time: '09:00', every: 0 },
    error: 'every',
  },
  {
    label: 'weekly every 521',
    schedule: { type: 'weekly', days: ['mon'], time: '09:00', every: 521 },
    error: 'every',
  },
  {
    label: 'monthly every 121',
    schedule: { type: 'monthly', days: [1], time: '09:00', every: 121 },
    error: 'every',
  },
  { label: 'monthly day 0', schedule: { type: 'monthly', days: [0], time: '09:00' }, error: 'days[0]' },
  { label: 'monthly day -4', schedule: { type: 'monthly', days: [-4], time: '09:00' }, error: 'days[0]' },
  { label: 'monthly day 29', schedule: { type: 'monthly', days: [29], time: '09:00' }, error: 'days[0]' },
  {
    label: 'occurrences 10,001',
    schedule: { type: 'daily', time: '09:00', occurrences: 10_001 },
    error: 'occurrences',
  },
  {
    label: 'offset 3,651 days',
    schedule: { type: 'daily', time: '09:00', start_offset_days: 3651 },
    error: 'start_offset_days',
  },
  {
    label: 'delay 525,601 minutes',
    schedule: { type: 'immediate', delay_minutes: 525_601 },
    error: 'delay_minutes',
  },
  { label: 'custom daily with no events', schedule: { type: 'custom_daily', events: [] }, error: 'events' },
  {
    label: 'custom daily events out of order',
    schedule: {
      type: 'custom_daily',
      events: [
        { day: 2, time: '09:00', content: sms },
        { day: 2, time: '08:00', content: sms },
      ],
    },
    error: 'strictly increasing',
  },
  {
    label: 'custom daily every below its last day',
    schedule: { type: 'custom_daily', events: [{ day: 5, time: '09:00', content: sms }], every: 4 },
    error: 'every (4) must be at least',
  },
  {
    label: 'custom daily occurrences without every',
    schedule: { type: 'custom_daily', events: [{ day: 1, time: '09:00', content: sms }], occurrences: 2 },
    error: 'needs every',
  },
  {
    label: 'custom daily event day 0',
    schedule: { type: 'custom_daily', events: [{ day: 0, time: '09:00', content: sms }] },
    error: 'events[0].day',
  },
  {
    label: 'custom immediate with a start date',
    schedule: {
      type: 'custom_immediate',
      events: [{ delay_minutes: 0, content: sms }],
      start_date: '2026-01-05',
    },
    error: 'start_date',
  },
  {
    label: 'custom immediate with a stop property',
    schedule: {
      type: 'custom_immediate',
      events: [{ delay_minutes: 0, content: sms }],
      stop_property: 'edd',
    },
    error: 'stop_property',
  },
];

for (const r of refused) {
  test(`refused: ${r.label}`, () => {
    assert.throws(
      () => parseInput(Schedule, r.schedule),
      (error: unknown) => error instanceof InputError && error.describe().includes(r.error),
    );
  });
}
