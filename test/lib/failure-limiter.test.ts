import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FailureLimiter } from '../../src/lib/failure-limiter.ts';

test('a key is refused after its limit of failures until its window ends, others are not', () => {
  const limiter = new FailureLimiter(3, 60_000);
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.retryAfterMs('a', 1_000 + i), 0, `attempt ${i + 1} is allowed`);
    limiter.fail('a', 1_000 + i);
  }
  assert.equal(limiter.retryAfterMs('a', 2_000), 59_000, 'refused until 60 s after the first failure');
  assert.equal(limiter.retryAfterMs('b', 2_000), 0, 'another key is not affected');
  assert.equal(limiter.retryAfterMs('a', 61_000), 0, 'a new window starts');
  limiter.fail('a', 61_000);
  assert.equal(limiter.retryAfterMs('a', 61_001), 0, 'one failure in the new window');
});

test('a limit of 0 never refuses', () => {
  const limiter = new FailureLimiter(0, 60_000);
  for (let i = 0; i < 100; i++) limiter.fail('a', i);
  assert.equal(limiter.retryAfterMs('a', 100), 0);
});
