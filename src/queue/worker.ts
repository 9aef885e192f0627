// The worker loop of `caseline serve` and `caseline worker`: does due work until none is left,
// then sleeps until the next due instant (at most a second, so work queued by another process
// is picked up promptly).
import { DEFAULT_DISPATCH, type DispatchDeps, type DispatchOptions } from './dispatcher.ts';
import { nextDueAt, runDueWork } from './due.ts';

interface Log {
  error(obj: object, msg: string): void;
}

const MAX_IDLE_MS = 1_000;

export function startWorkerLoop(
  deps: DispatchDeps,
  log: Log,
  options: DispatchOptions = DEFAULT_DISPATCH,
): { stop(): Promise<void> } {
  let running = true;
  let wake: (() => void) | null = null;
  const loop = (async () => {
    while (running) {
      let idleMs = MAX_IDLE_MS;
      try {
        if ((await runDueWork(deps, options)) > 0) continue;
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
    },
  };
}
