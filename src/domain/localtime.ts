// Wall-clock times in a time zone, DST-correct (Luxon on Node's ICU data).
import { DateTime } from 'luxon';

export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** "HH:MM" → minutes after midnight. */
export function parseHm(hm: string): { hour: number; minute: number } {
  const [hour = 0, minute = 0] = hm.split(':').map(Number);
  return { hour, minute };
}

/**
 * The instant of a wall time on a local date. An ambiguous time (a fall-back night) is its
 * first occurrence; a time inside a spring-forward gap is the first instant after the gap.
 */
export function localInstant(date: LocalDate, hour: number, minute: number, zone: string): number {
  // Many contacts share a zone and a day (an alert over a million cases): the same wall time is
  // converted once. Bounded, since dates move on.
  const key = `${zone}|${date.year}-${date.month}-${date.day}|${hour}:${minute}`;
  let instant = instants.get(key);
  if (instant === undefined) {
    instant = computeLocalInstant(date, hour, minute, zone);
    if (instants.size >= INSTANT_CACHE_SIZE) instants.clear();
    instants.set(key, instant);
  }
  return instant;
}

const instants = new Map<string, number>();
const INSTANT_CACHE_SIZE = 10_000;

function computeLocalInstant(date: LocalDate, hour: number, minute: number, zone: string): number {
  const dt = DateTime.fromObject({ ...date, hour, minute }, { zone });
  if (dt.hour === hour && dt.minute === minute) {
    // An ambiguous time repeats after the clocks go back by `shift` minutes: take the first.
    const shift = Math.abs(dt.minus({ days: 1 }).offset - dt.plus({ days: 1 }).offset);
    const earlier = dt.minus({ minutes: shift });
    if (shift > 0 && earlier.hour === hour && earlier.minute === minute && earlier.day === dt.day)
      return earlier.toMillis();
    return dt.toMillis();
  }
  // In a gap: find the transition, the first instant whose wall time is at or after the asked one.
  const wanted = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  const wallOf = (t: number) => {
    const local = DateTime.fromMillis(t, { zone });
    return t + local.offset * 60_000;
  };
  let low = dt.toMillis() - 4 * 3_600_000;
  let high = dt.toMillis();
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (wallOf(mid) >= wanted) high = mid;
    else low = mid;
  }
  return high;
}

/** The local calendar date of an instant. */
export function localDate(instant: number, zone: string): LocalDate {
  // An alert plans every case of a page from the same instant: each zone converts it once.
  const key = `${zone}|${instant}`;
  let date = dates.get(key);
  if (date === undefined) {
    const dt = DateTime.fromMillis(instant, { zone });
    date = { year: dt.year, month: dt.month, day: dt.day };
    if (dates.size >= INSTANT_CACHE_SIZE) dates.clear();
    dates.set(key, date);
  }
  // A copy: callers own the date they are given.
  return { ...date };
}

const dates = new Map<string, LocalDate>();

// Calendar arithmetic on dates has no zone: plain proleptic Gregorian days counted from
// 1970-01-01 with integers (H. Hinnant's days_from_civil and civil_from_days), neither Luxon,
// whose object building was ~18 % of an alert's CPU, nor a Date allocated per step.

/** Days from 1970-01-01 to a date (negative before); a day past the month's end runs on. */
export function epochDay(date: LocalDate): number {
  const year = date.month <= 2 ? date.year - 1 : date.year;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * ((date.month + 9) % 12) + 2) / 5) + date.day - 1; // from 1 March
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** JavaScript's own date range: ±100,000,000 days around 1970 (years −271,821 to 275,760). */
const MAX_EPOCH_DAYS = 100_000_000;

/** The date `days` after 1970-01-01; a RangeError past the range of a JavaScript Date, as a
 *  stored schedule whose `every` is far past its bound gives (that instance is then marked in
 *  error, not fired). */
export function dateOfEpochDay(days: number): LocalDate {
  if (!(Math.abs(days) <= MAX_EPOCH_DAYS))
    throw new RangeError(`a date ${days} days from 1970 is out of range`);
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra -
      Math.floor(dayOfEra / 1460) +
      Math.floor(dayOfEra / 36_524) -
      Math.floor(dayOfEra / 146_096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthFromMarch = Math.floor((5 * dayOfYear + 2) / 153);
  const month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return { year, month, day: dayOfYear - Math.floor((153 * monthFromMarch + 2) / 5) + 1 };
}

/** 0 = Monday … 6 = Sunday, of a local date (1970-01-01 was a Thursday). */
export function weekday(date: LocalDate): number {
  return (((epochDay(date) + 3) % 7) + 7) % 7;
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return dateOfEpochDay(epochDay(date) + days);
}

/** YYYY-MM-DD of a local date. */
export function isoDate(date: LocalDate): string {
  return `${String(date.year).padStart(4, '0')}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
}

/** 00:00 of the next local day (the end of a DST gap when midnight does not exist). */
export function nextLocalMidnight(instant: number, zone: string): number {
  return localInstant(addDays(localDate(instant, zone), 1), 0, 0, zone);
}
