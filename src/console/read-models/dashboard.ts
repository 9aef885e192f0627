// The console's dashboard for one project: messages by status per local day over the last 30
// days, today's SMS against the daily limit, the queue by why messages wait, and recent errors
// by code with their text (SPEC 6).
import { describeError, isErrorCode } from '../../domain/errors.ts';
import { addDays, isoDate, localDate, localInstant } from '../../domain/localtime.ts';
import type { ConsoleReads } from '../../app/ports/read-model.ts';
import type { Clock } from '../../app/ports/clock.ts';
import type { MessageStatus, ProjectRecord } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';

/** Days shown in the volume chart, today included. */
export const DASHBOARD_DAYS = 30;
/** Error codes listed at most. */
const ERROR_GROUPS = 20;

export const STATUSES: readonly MessageStatus[] = ['queued', 'sent', 'delivered', 'received', 'error'];

/** Why a queued message waits, in words (the queue's wait reasons, SPEC 3.3). */
export const WAIT_REASONS: Record<string, string> = {
  due: 'due now: a worker sends it on its next round',
  scheduled: 'scheduled: sent at the time it was given',
  window: 'outside the project’s sending window: sent when the window opens',
  daily_limit: 'the project’s daily SMS limit is reached: sent after local midnight',
  rate_limit: 'the gateway’s rate limit: sent within a minute',
  retry: 'retrying after a temporary gateway failure',
};

export interface Dashboard {
  zone: string;
  /** Local dates (YYYY-MM-DD), oldest first. */
  days: string[];
  /** Per status, one count per day. */
  volumes: Record<MessageStatus, number[]>;
  today: { day: string; accepted: number; limit: number };
  queue: { reason: string; label: string; count: number }[];
  queued: number;
  errors: { code: string; text: string; count: number; lastAt: number; lastText: string | null }[];
}

export async function dashboardOf(
  deps: { store: Repos; reads: ConsoleReads; clock: Clock },
  project: ProjectRecord,
): Promise<Dashboard> {
  const now = deps.clock.now();
  const settings = effectiveSettings(project.settings);
  const zone = settings.timeZone ?? 'UTC';
  const today = localDate(now, zone);
  const dates = Array.from({ length: DASHBOARD_DAYS }, (_, i) => addDays(today, i - DASHBOARD_DAYS + 1));
  const boundaries = [...dates, addDays(today, 1)].map((date) => localInstant(date, 0, 0, zone));
  const [counts, waiting, errors, accepted] = await Promise.all([
    deps.reads.dailyVolumes(project.id, boundaries),
    deps.reads.waitingByReason(project.id, now),
    deps.reads.recentErrors(project.id, boundaries[0] ?? now, ERROR_GROUPS),
    deps.store.limits.accepted(project.id, isoDate(today)),
  ]);
  const volumes = Object.fromEntries(STATUSES.map((status) => [status, dates.map(() => 0)])) as Record<
    MessageStatus,
    number[]
  >;
  for (const { day, status, count } of counts) {
    const series = volumes[status as MessageStatus];
    if (series && day >= 0 && day < series.length) series[day] = (series[day] ?? 0) + count;
  }
  const order = Object.keys(WAIT_REASONS);
  const queue = waiting
    .map(({ reason, count }) => ({ reason, label: WAIT_REASONS[reason] ?? reason, count }))
    .sort((a, b) => b.count - a.count || order.indexOf(a.reason) - order.indexOf(b.reason));
  return {
    zone,
    days: dates.map(isoDate),
    volumes,
    today: { day: isoDate(today), accepted, limit: settings.dailySmsLimit },
    queue,
    queued: queue.reduce((sum, row) => sum + row.count, 0),
    errors: errors.map((group) => ({
      ...group,
      text: isErrorCode(group.code) ? describeError(group.code) : group.code,
    })),
  };
}
