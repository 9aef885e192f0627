// One item of a due-work round, guarded (SPEC 7, issue 14 finding 2): an item that throws — a
// stored definition the engine cannot read, a number planted past the API's bounds, a broken
// case property — has its own writes undone, is marked in error with its reason so it does not
// come due again, and is logged once; the other items of the round go on and commit.
import type { Deps } from './ports/deps.ts';
import type { Repos } from './ports/store.ts';

/** What is logged of a failed item. */
export interface DueItem {
  /** `schedule_instance`, `survey_session`, … */
  kind: string;
  id: number | string;
  projectId: string | null;
}

/** Reasons are kept short: they are stored and shown, and an error message may be long. */
const MAX_REASON = 500;

export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  // NUL cannot be stored in PostgreSQL text.
  return text.replaceAll('\0', '').slice(0, MAX_REASON);
}

/**
 * Runs `work` for one item in its own savepoint. When it throws, `markError` records the reason
 * (in the same transaction, so the item leaves the due queue as the round commits) and the
 * failure is logged; returns false. The round's other items are not affected.
 */
export async function runDueItem(
  tx: Repos,
  log: Deps['log'],
  item: DueItem,
  work: () => Promise<void>,
  markError: (reason: string) => Promise<void>,
): Promise<boolean> {
  const result = await tx.isolated(work);
  if (result.ok) return true;
  const reason = reasonOf(result.error);
  await markError(reason);
  log?.error({ item, reason }, `due ${item.kind} ${String(item.id)} failed and is marked in error`);
  return false;
}

/**
 * A round's items, each as runDueItem runs it, without a savepoint for each when nothing fails:
 * the whole round is tried first in one savepoint (two statements in all, where a savepoint per
 * item would add two per item to paths that write a page of items in a handful of statements).
 * Only when something throws is that undone and every item run again in its own savepoint, so
 * the failing ones are marked and the others applied. `restart` forgets what the first try kept
 * in memory (planned steps) before the second.
 */
export async function runDueItems<T>(
  tx: Repos,
  log: Deps['log'],
  items: readonly T[],
  round: {
    describe: (item: T) => DueItem;
    work: (item: T) => Promise<void>;
    markError: (item: T, reason: string) => Promise<void>;
    restart?: () => void;
  },
): Promise<void> {
  if (items.length === 0) return;
  const all = await tx.isolated(async () => {
    for (const item of items) await round.work(item);
  });
  if (all.ok) return;
  round.restart?.();
  for (const item of items)
    await runDueItem(
      tx,
      log,
      round.describe(item),
      () => round.work(item),
      (reason) => round.markError(item, reason),
    );
}
