import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nextWindowOpening, type SendingWindow } from '../../src/domain/windows.ts';

const at = (iso: string) => Date.parse(iso);
const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());

const cases: { label: string; now: string; windows: SendingWindow[]; zone: string; expect: string | null }[] =
  [
    {
      label: 'no windows: no restriction',
      now: '2026-01-05T03:00:00Z',
      windows: [],
      zone: 'UTC',
      expect: null,
    },
    {
      label: 'inside a daily window',
      now: '2026-01-05T10:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'UTC',
      expect: null,
    },
    {
      label: 'the end minute is inclusive: 17:00:00 is inside',
      now: '2026-01-05T17:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'UTC',
      expect: null,
    },
    {
      label: '17:00:01 is outside: waits for tomorrow 09:00',
      now: '2026-01-05T17:00:01Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'UTC',
      expect: '2026-01-06T09:00:00.000Z',
    },
    {
      label: 'the start is inclusive',
      now: '2026-01-05T09:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'UTC',
      expect: null,
    },
    {
      label: 'before the window: waits for today’s opening',
      now: '2026-01-05T07:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'Africa/Lagos',
      expect: '2026-01-05T08:00:00.000Z',
    },
    {
      label: 'Monday-only window on a Tuesday: next Monday',
      now: '2026-01-06T10:00:00Z',
      windows: [{ day: 0, start: '09:00', end: '17:00' }],
      zone: 'UTC',
      expect: '2026-01-12T09:00:00.000Z',
    },
    {
      label: 'Friday evening with weekday windows: Monday morning',
      now: '2026-01-09T18:30:00Z',
      windows: [0, 1, 2, 3, 4].map((day) => ({ day, start: '08:00', end: '18:00' })),
      zone: 'UTC',
      expect: '2026-01-12T08:00:00.000Z',
    },
    {
      label: 'a window across midnight covers the early morning of the next day',
      now: '2026-01-06T02:00:00Z',
      windows: [{ day: 0, start: '22:00', end: '06:00' }],
      zone: 'UTC',
      expect: null,
    },
    {
      label: 'a wrapping window belongs to the day it starts on',
      now: '2026-01-05T02:00:00Z',
      windows: [{ day: 0, start: '22:00', end: '06:00' }],
      zone: 'UTC',
      expect: '2026-01-05T22:00:00.000Z',
    },
    {
      label: 'after a wrapping window closed: the next night it starts',
      now: '2026-01-06T07:00:00Z',
      windows: [{ day: -1, start: '22:00', end: '06:00' }],
      zone: 'UTC',
      expect: '2026-01-06T22:00:00.000Z',
    },
    {
      label: 'windows use the project time zone (New York, winter)',
      now: '2026-01-05T12:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'America/New_York',
      expect: '2026-01-05T14:00:00.000Z',
    },
    {
      label: 'across the spring-forward night the 09:00 opening moves to 13:00Z',
      now: '2026-03-07T23:00:00Z',
      windows: [{ day: -1, start: '09:00', end: '17:00' }],
      zone: 'America/New_York',
      expect: '2026-03-08T13:00:00.000Z',
    },
    {
      label: 'an opening inside the DST gap starts when the gap ends',
      now: '2026-03-08T05:00:00Z',
      windows: [{ day: -1, start: '02:30', end: '04:00' }],
      zone: 'America/New_York',
      expect: '2026-03-08T07:00:00.000Z',
    },
    {
      label: 'the earliest of several windows',
      now: '2026-01-05T12:30:00Z',
      windows: [
        { day: -1, start: '18:00', end: '19:00' },
        { day: -1, start: '13:00', end: '14:00' },
      ],
      zone: 'UTC',
      expect: '2026-01-05T13:00:00.000Z',
    },
  ];

for (const c of cases) {
  test(`window: ${c.label}`, () => {
    assert.equal(iso(nextWindowOpening(at(c.now), c.windows, c.zone)), c.expect);
  });
}
