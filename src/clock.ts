// The two clocks: the system's, and a virtual one the scenario runner moves by hand.
import type { Clock } from './app/ports/clock.ts';

export const systemClock: Clock = { now: () => Date.now() };

export class VirtualClock implements Clock {
  constructor(private instant: number) {}

  now(): number {
    return this.instant;
  }

  /** Moves to an instant; time never runs backwards. */
  set(instant: number): void {
    if (instant > this.instant) this.instant = instant;
  }
}
