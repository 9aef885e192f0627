// Driving the engine's due work in tests, as a worker would: everything due now, or everything
// that falls due up to an instant, each at its own instant on the virtual clock. Sends go to a
// recording test gateway the caller keeps.
import type { Store } from '../../src/app/ports/store.ts';
import type { VirtualClock } from '../../src/clock.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { nextDueAt, runDueWork } from '../../src/queue/due.ts';

export interface DueWork {
  /** What the gateways accepted. */
  gateway: TestGateway;
  /** Does every round of work due now. */
  now(): Promise<void>;
  /** Moves the clock to `until`, doing the work that falls due on the way at its instant. */
  advanceTo(until: number): Promise<void>;
}

export function dueWork(store: Store, clock: VirtualClock): DueWork {
  const gateway = new TestGateway(clock);
  const deps = {
    store,
    clock,
    adapters: () => gateway,
    mailer: new RecordingMailer(clock),
    workerId: 'test',
  };
  const now = async () => {
    while ((await runDueWork(deps)) > 0);
  };
  return {
    gateway,
    now,
    async advanceTo(until) {
      for (;;) {
        await now();
        const next = await nextDueAt(store);
        if (next === null || next > until) break;
        // Due now yet not done: a message another worker holds; its lease runs out later.
        clock.set(Math.max(next, clock.now() + 1000));
      }
      clock.set(until);
      await now();
    },
  };
}
