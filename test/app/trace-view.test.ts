// Traces as each key reads them: whole for the admin key, at most 512 bytes for a project key
// (issue #14 finding 3); the cut never splits a character.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attemptFor, cutToBytes, PROJECT_TRACE_BYTES } from '../../src/app/access/trace-view.ts';

test('a text over the limit is cut to at most that many UTF-8 bytes, with a mark, never inside a character', () => {
  assert.equal(cutToBytes('short', 512), 'short');
  const ascii = cutToBytes('x'.repeat(2048), 512);
  assert.ok(Buffer.byteLength(ascii) <= 512);
  assert.match(ascii, /^x+ …\[cut\]$/);
  assert.equal(Buffer.byteLength(ascii), 512);
  for (const char of ['é', '€', '😀']) {
    const cut = cutToBytes(char.repeat(600), 512);
    assert.ok(Buffer.byteLength(cut) <= 512, char);
    assert.doesNotMatch(cut, /\uFFFD/, char);
    assert.ok(cut.startsWith(char.repeat(10)), char);
  }
  assert.equal(cutToBytes('y'.repeat(512), 512), 'y'.repeat(512), 'exactly the limit is whole');
});

test('the admin key reads whole traces; a project key or none, capped', () => {
  const attempt = { id: 1, requestTrace: 'r'.repeat(3000), responseTrace: 'a'.repeat(3000) };
  assert.deepEqual(attemptFor({ kind: 'admin' }, attempt), attempt);
  for (const principal of [{ kind: 'project', projectId: 'p', keyId: 'k' } as const, null]) {
    const shown = attemptFor(principal, attempt);
    assert.equal(shown.id, 1);
    assert.ok(Buffer.byteLength(shown.requestTrace ?? '') <= PROJECT_TRACE_BYTES);
    assert.ok(Buffer.byteLength(shown.responseTrace ?? '') <= PROJECT_TRACE_BYTES);
  }
  assert.deepEqual(attemptFor(null, { requestTrace: null, responseTrace: null }), {
    requestTrace: null,
    responseTrace: null,
  });
});
