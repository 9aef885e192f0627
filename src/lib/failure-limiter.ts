// Failed attempts counted per key (a client address, a gateway and address) in fixed windows:
// once a key has failed `limit` times in its window it is refused until the window ends. Kept
// in memory, per process: it slows guessing down, it is not an audit log.

/** Keys kept before expired windows are swept. */
const SWEEP_AT = 10_000;

export class FailureLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();

  /** `limit` failures per `windowMs`; a limit of 0 never refuses. */
  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  retryAfterMs(key: string, now: number): number {
    if (this.limit === 0) return 0;
    const window = this.windows.get(key);
    if (!window || now - window.start >= this.windowMs || window.count < this.limit) return 0;
    return window.start + this.windowMs - now;
  }

  /** Counts one failure of `key` at `now`. */
  fail(key: string, now: number): void {
    if (this.limit === 0) return;
    const window = this.windows.get(key);
    if (window && now - window.start < this.windowMs) window.count++;
    else this.windows.set(key, { start: now, count: 1 });
    if (this.windows.size > SWEEP_AT) this.sweep(now);
  }

  private sweep(now: number): void {
    for (const [key, window] of this.windows)
      if (now - window.start >= this.windowMs) this.windows.delete(key);
  }
}
