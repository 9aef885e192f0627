// All work that falls due with time: stored inbound messages, lapsing verifications, survey
// expiries and reminders, alert processing, schedule firings and queued messages. The worker
// loop and the scenario runner drive the engine through these two functions.
import { processPendingAlerts } from '../app/scheduling/alerts.ts';
import { fireDueSchedules } from '../app/scheduling/firing.ts';
import { processPendingInbound } from '../app/inbound/inbound.ts';
import type { Store } from '../app/ports/store.ts';
import { expireVerifications } from '../app/registry/registry.ts';
import { processDueSessions } from '../app/surveys/surveys.ts';
import { type DispatchDeps, type DispatchOptions, DEFAULT_DISPATCH } from './dispatcher.ts';
import { dispatchPipelined } from './pipeline.ts';

interface DueTimes {
  /** Outbound queue rows and stored inbound messages. */
  messages: number | null;
  verifications: number | null;
  schedules: number | null;
  sessions: number | null;
  /** An alert whose existing cases still need processing is due at once. */
  alerts: number | null;
}

async function dueTimes(store: Store): Promise<DueTimes> {
  const [messages, verifications, schedules, sessions, alerts] = await Promise.all([
    store.messages.nextDueAt(),
    store.phones.nextVerificationExpiry(),
    store.schedules.nextDueAt(),
    store.sessions.nextDueAt(),
    store.alerts.pendingProcessing(1),
  ]);
  return { messages, verifications, schedules, sessions, alerts: alerts.length > 0 ? 0 : null };
}

/** The earliest instant at which some work is due, or null when nothing is scheduled. */
export async function nextDueAt(store: Store): Promise<number | null> {
  const due = Object.values(await dueTimes(store)).filter((t): t is number => t !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

/** Does one round of the work due at the clock's current instant. Returns how much it did. */
export async function runDueWork(
  deps: DispatchDeps,
  options: DispatchOptions = DEFAULT_DISPATCH,
): Promise<number> {
  const now = deps.clock.now();
  const due = await dueTimes(deps.store);
  const isDue = (t: number | null) => t !== null && t <= now;
  let done = 0;
  if (isDue(due.messages)) done += await processPendingInbound(deps, options.batchSize);
  if (isDue(due.verifications))
    done += await deps.store.transaction((tx) => expireVerifications(tx, now, options.batchSize));
  if (isDue(due.sessions)) done += await processDueSessions(deps, options.batchSize);
  if (isDue(due.alerts)) done += await processPendingAlerts(deps);
  // Schedules fire before the dispatch, so what a firing queues at T is sent at T.
  if (isDue(due.schedules)) done += await fireDueSchedules(deps, options.batchSize);
  if (isDue(due.messages) || done > 0) done += await dispatchPipelined(deps, options);
  return done;
}
