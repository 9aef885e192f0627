// All work that falls due with time: lapsing verifications, alert processing, schedule
// firings and queued messages. The worker
// loop and the scenario runner drive the engine through these two functions.
import { processPendingAlerts } from '../app/alerts.ts';
import { fireDueSchedules } from '../app/firing.ts';
import type { Store } from '../app/ports.ts';
import { expireVerifications } from '../app/registry.ts';
import { dispatchDue, type DispatchDeps, type DispatchOptions, DEFAULT_DISPATCH } from './dispatcher.ts';

/** The earliest instant at which some work is due, or null when nothing is scheduled. */
export async function nextDueAt(store: Store): Promise<number | null> {
  const [message, verification, schedule, alerts] = await Promise.all([
    store.messages.nextDueAt(),
    store.phones.nextVerificationExpiry(),
    store.schedules.nextDueAt(),
    store.alerts.pendingProcessing(1),
  ]);
  // An alert whose existing cases still need processing is due at once.
  const due = [message, verification, schedule, alerts.length > 0 ? 0 : null].filter((t): t is number => t !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

/** Does one round of the work due at the clock's current instant. Returns how much it did. */
export async function runDueWork(deps: DispatchDeps, options: DispatchOptions = DEFAULT_DISPATCH): Promise<number> {
  const now = deps.clock.now();
  const expiry = await deps.store.phones.nextVerificationExpiry();
  const lapsed = expiry !== null && expiry <= now ? await deps.store.transaction((tx) => expireVerifications(tx, now, options.batchSize)) : 0;
  const processed = await processPendingAlerts(deps);
  // Schedules fire before the dispatch, so what a firing queues at T is sent at T.
  const fired = await fireDueSchedules(deps, options.batchSize);
  return lapsed + processed + fired + (await dispatchDue(deps, options));
}
