// Calendar-day arithmetic without Luxon (issue #19): addDays and weekday agree with Luxon's
// calendar on every day of 1999–2041 (leap years, century rules) and for steps both ways.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import { addDays, dateOfEpochDay, epochDay, weekday, type LocalDate } from '../../src/domain/localtime.ts';

const of = (dt: DateTime): LocalDate => ({ year: dt.year, month: dt.month, day: dt.day });

test('addDays and weekday agree with Luxon on every day of 1999–2041', () => {
  let dt = DateTime.fromObject({ year: 1999, month: 1, day: 1 }, { zone: 'UTC' });
  const end = DateTime.fromObject({ year: 2041, month: 12, day: 31 }, { zone: 'UTC' });
  let days = 0;
  while (dt <= end) {
    const date = of(dt);
    assert.equal(weekday(date), dt.weekday - 1, `weekday of ${dt.toISODate()}`);
    for (const step of [1, -1, 7, 30, -400, 366])
      assert.deepEqual(addDays(date, step), of(dt.plus({ days: step })), `${dt.toISODate()} + ${step}`);
    dt = dt.plus({ days: 1 });
    days++;
  }
  assert.equal(days, 15_706);
});

test('years below 100 stay literal, and a step of 0 returns the same date', () => {
  assert.deepEqual(addDays({ year: 50, month: 12, day: 31 }, 1), { year: 51, month: 1, day: 1 });
  assert.deepEqual(addDays({ year: 2028, month: 2, day: 29 }, 0), { year: 2028, month: 2, day: 29 });
  assert.equal(weekday({ year: 2026, month: 12, day: 3 }), 3, '3 December 2026 is a Thursday');
});

test('epoch days count from 1970-01-01 both ways and round-trip over 1900–2200 (the dates accepted)', () => {
  assert.equal(epochDay({ year: 1970, month: 1, day: 1 }), 0);
  assert.equal(epochDay({ year: 1969, month: 12, day: 31 }), -1);
  assert.equal(epochDay({ year: 2000, month: 3, day: 1 }), Date.UTC(2000, 2, 1) / 86_400_000);
  // A day past the month's end runs on into the next month, as a step of addDays does.
  assert.equal(epochDay({ year: 2026, month: 2, day: 29 }), epochDay({ year: 2026, month: 3, day: 1 }));
  for (
    let day = epochDay({ year: 1900, month: 1, day: 1 });
    day <= epochDay({ year: 2200, month: 12, day: 31 });
    day++
  ) {
    const utc = new Date(day * 86_400_000);
    const date = dateOfEpochDay(day);
    assert.deepEqual(date, {
      year: utc.getUTCFullYear(),
      month: utc.getUTCMonth() + 1,
      day: utc.getUTCDate(),
    });
    assert.equal(epochDay(date), day);
  }
});

test('a step past the range of a JavaScript Date throws, as the Date arithmetic did', () => {
  const today = { year: 2026, month: 12, day: 3 };
  assert.throws(() => addDays(today, 1e12), RangeError);
  assert.throws(() => addDays(today, Number.NaN), RangeError);
  assert.deepEqual(addDays({ year: 275_000, month: 1, day: 1 }, 1), { year: 275_000, month: 1, day: 2 });
});
