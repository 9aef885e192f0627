// All work that falls due with time: queued messages and lapsing verifications. The worker
// loop and the scenario runner drive the engine through these two functions.
import type { Store } from '../app/ports.ts';
import { expireVerifications } from '../app/registry.ts';
import { dispatchDue, type DispatchDeps, type DispatchOptions, DEFAULT_DISPATCH } from './dispatcher.ts';

/** The earliest instant at which some work is due, or null when nothing is scheduled. */
export async function nextDueAt(store: Store): Promise<number | null> {
  const [message, verification] = await Promise.all([store.messages.nextDueAt(), store.phones.nextVerificationExpiry()]);
  const due = [message, verification].filter((t): t is number => t !== null);
  return due.length > 0 ? Math.min(...due) : null;
}

/** Does one round of the work due at the clock's current instant. Returns how much it did. */
export async function runDueWork(deps: DispatchDeps, options: DispatchOptions = DEFAULT_DISPATCH): Promise<number> {
  const now = deps.clock.now();
  const expiry = await deps.store.phones.nextVerificationExpiry();
  const lapsed = expiry !== null && expiry <= now ? await deps.store.transaction((tx) => expireVerifications(tx, now, options.batchSize)) : 0;
  return lapsed + (await dispatchDue(deps, options));
}
