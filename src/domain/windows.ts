// Restricted sending times (SPEC 3.3 step 4): windows in the project's time zone.
import { addDays, localDate, localInstant, parseHm, weekday, type LocalDate } from './localtime.ts';

export interface SendingWindow {
  /** 0 = Monday … 6 = Sunday; -1 every day. A window that wraps past midnight belongs to the day it starts on. */
  day: number;
  start: string;
  end: string;
}

/** The [open, close] instants (both inclusive) of a window on one local date, or null when it does not apply that day. */
function span(window: SendingWindow, date: LocalDate, zone: string): [number, number] | null {
  if (window.day !== -1 && window.day !== weekday(date)) return null;
  const start = parseHm(window.start);
  const end = parseHm(window.end);
  const wraps = start.hour * 60 + start.minute > end.hour * 60 + end.minute;
  const open = localInstant(date, start.hour, start.minute, zone);
  const close = localInstant(wraps ? addDays(date, 1) : date, end.hour, end.minute, zone);
  return [open, close];
}

/**
 * When a message may go at `now`: null if now is inside a window (or there are no windows),
 * else the instant the next window opens. Computed exactly, across midnight, week ends and DST.
 */
export function nextWindowOpening(
  now: number,
  windows: readonly SendingWindow[],
  zone: string,
): number | null {
  if (windows.length === 0) return null;
  const today = localDate(now, zone);
  let next = Infinity;
  // Yesterday for a window wrapping into today; a week and a day ahead covers every weekly window.
  for (let offset = -1; offset <= 8; offset++) {
    const date = addDays(today, offset);
    for (const window of windows) {
      const range = span(window, date, zone);
      if (!range) continue;
      if (range[0] <= now && now <= range[1]) return null;
      if (range[0] > now) next = Math.min(next, range[0]);
    }
  }
  return Number.isFinite(next) ? next : null;
}
