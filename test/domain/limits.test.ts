import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateLimitWait } from '../../src/domain/limits.ts';
import { isoDate, localDate, localInstant, nextLocalMidnight } from '../../src/domain/localtime.ts';
import { isRetryable, isStale, nextAttempt, STALE_AFTER_MS } from '../../src/domain/retry.ts';

const t0 = Date.parse('2026-01-05T08:00:00Z');
const iso = (t: number) => new Date(t).toISOString();

test('rate limit: fewer attempts than the limit in the last minute go at once', () => {
  assert.equal(rateLimitWait([t0 - 10_000], t0, 2), null);
});

test('rate limit: at the limit, wait until the limit-th most recent attempt leaves the window', () => {
  assert.equal(rateLimitWait([t0 - 50_000, t0 - 10_000], t0, 2), t0 + 10_000);
  assert.equal(rateLimitWait([t0 - 50_000, t0 - 30_000, t0 - 10_000], t0, 2), t0 + 30_000);
});

test('rate limit boundary: an attempt exactly 60 s ago is outside (t − 60 s, t]', () => {
  assert.equal(rateLimitWait([t0 - 60_000], t0, 1), null);
  assert.equal(rateLimitWait([t0 - 59_999], t0, 1), t0 + 1);
});

test('rate limit: an attempt at the same instant counts', () => {
  assert.equal(rateLimitWait([t0], t0, 1), t0 + 60_000);
});

test('daily limit rolls over at the next project-local midnight', () => {
  // 23:30 in Lagos (UTC+1) is 22:30Z; the next local day starts at 23:00Z.
  const lateEvening = Date.parse('2026-01-05T22:30:00Z');
  assert.equal(isoDate(localDate(lateEvening, 'Africa/Lagos')), '2026-01-05');
  assert.equal(iso(nextLocalMidnight(lateEvening, 'Africa/Lagos')), '2026-01-05T23:00:00.000Z');
  assert.equal(
    isoDate(localDate(nextLocalMidnight(lateEvening, 'Africa/Lagos'), 'Africa/Lagos')),
    '2026-01-06',
  );
  // One instant before midnight is still the old day.
  assert.equal(isoDate(localDate(Date.parse('2026-01-05T22:59:59.999Z'), 'Africa/Lagos')), '2026-01-05');
});

test('local times: a spring-forward gap maps to the end of the gap, an ambiguous time to its first occurrence', () => {
  assert.equal(
    iso(localInstant({ year: 2025, month: 3, day: 9 }, 2, 30, 'America/New_York')),
    '2025-03-09T07:00:00.000Z',
  );
  assert.equal(
    iso(localInstant({ year: 2025, month: 11, day: 2 }, 1, 30, 'America/New_York')),
    '2025-11-02T05:30:00.000Z',
  );
  assert.equal(
    iso(localInstant({ year: 2025, month: 4, day: 6 }, 1, 45, 'Australia/Lord_Howe')),
    '2025-04-05T14:45:00.000Z',
  );
  assert.equal(
    iso(localInstant({ year: 2025, month: 10, day: 5 }, 2, 15, 'Australia/Lord_Howe')),
    '2025-10-04T15:30:00.000Z',
  );
});

test('retries: 3 attempts 5 minutes apart, then give up; a longer Retry-After wins', () => {
  const policy = { maxAttempts: 3, retryMinutes: 5 };
  assert.equal(nextAttempt(1, t0, policy), t0 + 300_000);
  assert.equal(nextAttempt(2, t0, policy), t0 + 300_000);
  assert.equal(nextAttempt(3, t0, policy), 'give_up');
  assert.equal(nextAttempt(1, t0, policy, 600_000), t0 + 600_000);
  assert.equal(nextAttempt(1, t0, policy, 60_000), t0 + 300_000);
});

test('retries: only temporary and throttled failures are retried', () => {
  assert.deepEqual(
    (['temporary', 'throttled', 'rejected', 'invalid_destination'] as const).map(isRetryable),
    [true, true, false, false],
  );
});

test('stale after exactly 7 days', () => {
  assert.equal(isStale(t0, t0 + STALE_AFTER_MS), false);
  assert.equal(isStale(t0, t0 + STALE_AFTER_MS + 1), true);
});
