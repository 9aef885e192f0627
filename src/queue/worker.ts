// The worker loop of `caseline serve` and `caseline worker`: does due work until none is left,
// then sleeps until the next due instant (at most a second, so work queued by another process
// is picked up promptly).
import { DEFAULT_DISPATCH, type DispatchDeps, type DispatchOptions } from './dispatcher.ts';
import { nextDueAt, runDueWork } from './due.ts';

interface Log {
  error(obj: object, msg: string): void;
}

const MAX_IDLE_MS = 1_000;
/** How often connection-based gateways (SMPP) are told which gateways to keep connected. */
const CONNECT_EVERY_MS = 10_000;

/** Types that hold a connection keep one open per gateway of theirs, and drop removed ones. */
export async function keepConnected(deps: DispatchDeps): Promise<void> {
  for (const type of deps.adapters.types ?? []) {
    const adapter = deps.adapters(type);
    if (adapter?.connect) adapter.connect(await deps.store.gateways.ofTypes([type]));
  }
}

export function startWorkerLoop(
  deps: DispatchDeps,
  log: Log,
  options: DispatchOptions = DEFAULT_DISPATCH,
): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | null = null;
  let connectedAt = -Infinity;
  // Due items that fail are marked in error and reported here, once each (app/due-item.ts).
  const work: DispatchDeps = deps.log ? deps : { ...deps, log };
  const loop = (async () => {
    while (running) {
      let idleMs = MAX_IDLE_MS;
      try {
        if (performance.now() - connectedAt >= CONNECT_EVERY_MS) {
          connectedAt = performance.now();
          await keepConnected(deps);
        }
        if ((await runDueWork(work, options)) > 0) continue;
        const next = await nextDueAt(deps.store);
        if (next !== null) idleMs = Math.min(MAX_IDLE_MS, Math.max(0, next - deps.clock.now()));
      } catch (error) {
        log.error({ err: error }, 'queue worker round failed; retrying');
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, idleMs);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = null;
    }
  })();
  return {
    async stop() {
      running = false;
      (wake as (() => void) | null)?.();
      await loop;
      for (const type of deps.adapters.types ?? []) await deps.adapters(type)?.close?.();
    },
  };
}
