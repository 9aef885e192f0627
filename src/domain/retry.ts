// What the queue does after a send attempt (SPEC 3.3 step 7), and when a message is stale.

/**
 * The closed set of failure kinds a gateway adapter reports: `invalid_destination` — the
 * number itself is not valid for the provider (INVALID_PHONE_NUMBER); `opted_out` — the
 * recipient opted out at the provider (Twilio 21610), which opts the number out here too.
 */
export type FailureKind = 'temporary' | 'throttled' | 'rejected' | 'invalid_destination' | 'opted_out';

/** Connection errors, timeouts, 5xx and 429 are worth another attempt; rejections are not. */
export function isRetryable(kind: FailureKind): boolean {
  return kind === 'temporary' || kind === 'throttled';
}

export interface RetryPolicy {
  /** Attempts in all, the first included (default 3). */
  maxAttempts: number;
  /** Minutes between attempts (default 5). */
  retryMinutes: number;
}

/** Whether a message with `attemptsMade` attempts behind it may be handed to its gateway again. */
export function hasAttemptsLeft(attemptsMade: number, policy: RetryPolicy): boolean {
  return attemptsMade < policy.maxAttempts;
}

/**
 * The instant of the next attempt after `attemptsMade` attempts have failed with a retryable
 * kind, or 'give_up' when none is left. A longer Retry-After from the gateway wins.
 */
export function nextAttempt(
  attemptsMade: number,
  now: number,
  policy: RetryPolicy,
  retryAfterMs = 0,
): number | 'give_up' {
  if (!hasAttemptsLeft(attemptsMade, policy)) return 'give_up';
  return now + Math.max(policy.retryMinutes * 60_000, retryAfterMs);
}

/** A queued message older than this is dropped with MESSAGE_IS_STALE. */
export const STALE_AFTER_MS = 7 * 24 * 60 * 60 * 1000;

export function isStale(createdAt: number, now: number): boolean {
  return now - createdAt > STALE_AFTER_MS;
}
