// The per-gateway rate limit (SPEC 3.3 step 6).

/** A minute, the length of the rate-limit window. */
export const RATE_WINDOW_MS = 60_000;

/**
 * When a send may be handed to a gateway allowing `limit` attempts per minute: null at once,
 * else the first instant t with fewer than `limit` attempts in (t − 60 s, t]. `recentStarts`
 * are the start instants of the gateway's attempts, any order.
 */
export function rateLimitWait(recentStarts: readonly number[], now: number, limit: number): number | null {
  const inWindow = recentStarts.filter((t) => t > now - RATE_WINDOW_MS && t <= now).sort((a, b) => b - a);
  if (inWindow.length < limit) return null;
  // Once the limit-th most recent attempt leaves the window, only limit − 1 remain.
  const blocking = inWindow[limit - 1];
  return blocking === undefined ? null : blocking + RATE_WINDOW_MS;
}
