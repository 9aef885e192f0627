// Each recipient's own clock (SPEC 4.2): one schedule instance serves every recipient of a case
// (or of a broadcast's zone), but its events fall at the recipient's local times. Recipients
// sharing a zone share a clock: its start date (the same calendar date for a start property or
// a fixed date; the zone's local date of creation for an automatic start) and its firings. The
// instance's own zone keeps its start in `state.start` and its firings in `occurrences`; every
// other zone's clock is kept in `state.clocks`. The instance is due at the earliest clock.
import { isoDate, type LocalDate } from '../../domain/localtime.ts';
import {
  nextEventAt,
  parseLocalDate,
  scheduleStart,
  type ScheduleContext,
  type ScheduleSpec,
} from '../../domain/schedule.ts';
import type { InstanceRecord, InstanceState } from '../ports/schedule-repos.ts';

export interface ZoneClock {
  zone: string;
  start: LocalDate;
  ctx: ScheduleContext;
  /** Firings of this clock so far (its occurrences). */
  fired: number;
}

/**
 * The clocks of these zones for an instance: the instance's own from its state, others from
 * `state.clocks`, or new (no firings yet) for a zone not seen before. A zone whose start cannot
 * be computed (a blank start property) has no clock.
 */
export function clocksFor(
  schedule: ScheduleSpec,
  instance: Pick<InstanceRecord, 'state' | 'occurrences'>,
  zones: Iterable<string>,
  properties: Readonly<Record<string, string>>,
): Map<string, ZoneClock> {
  const { state } = instance;
  const clocks = new Map<string, ZoneClock>();
  for (const zone of zones) {
    if (clocks.has(zone)) continue;
    const ctx = { zone, createdAt: state.createdAt, properties, seed: state.seed };
    let start: LocalDate | null;
    let fired: number;
    if (zone === state.zone) {
      start = parseLocalDate(state.start);
      fired = instance.occurrences;
    } else {
      const kept = state.clocks?.[zone];
      const computed = scheduleStart(schedule, ctx);
      start = kept ? parseLocalDate(kept.start) : computed.ok ? computed.start : null;
      fired = kept?.fired ?? 0;
    }
    if (start) clocks.set(zone, { zone, start, ctx, fired });
  }
  return clocks;
}

/** The earliest next event of the clocks at or after `notBefore`, or null when none has one. */
export function earliestEvent(
  schedule: ScheduleSpec,
  clocks: Iterable<ZoneClock>,
  notBefore: number,
): number | null {
  let earliest: number | null = null;
  for (const clock of clocks) {
    const at = nextEventAt(schedule, clock.start, clock.ctx, notBefore, clock.fired);
    if (at !== null && (earliest === null || at < earliest)) earliest = at;
  }
  return earliest;
}

/** The state and occurrences to store for these clocks (the instance's own zone in its columns). */
export function storedClocks(
  state: InstanceState,
  clocks: Iterable<ZoneClock>,
  ownFired: number,
): { state: InstanceState; occurrences: number } {
  const others: NonNullable<InstanceState['clocks']> = { ...(state.clocks ?? {}) };
  let occurrences = ownFired;
  for (const clock of clocks) {
    if (clock.zone === state.zone) occurrences = clock.fired;
    else others[clock.zone] = { start: isoDate(clock.start), fired: clock.fired };
  }
  const next: InstanceState = { ...state };
  if (Object.keys(others).length > 0) next.clocks = others;
  else delete next.clocks;
  return { state: next, occurrences };
}
