import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ERROR_CODES, ERROR_TEXT, describeError, isErrorCode } from '../../src/domain/errors.ts';

test('ERROR_CODES are exactly the codes of SPEC 6', () => {
  const spec = [
    'NO_RECIPIENT',
    'NO_MESSAGE',
    'CANNOT_RENDER_MESSAGE',
    'NO_PHONE_NUMBER',
    'INVALID_PHONE_NUMBER',
    'PHONE_NUMBER_IN_USE',
    'NO_TWO_WAY_PHONE_NUMBER',
    'PHONE_NUMBER_OPTED_OUT',
    'CONTACT_IS_INACTIVE',
    'GATEWAY_NOT_FOUND',
    'NO_SUITABLE_GATEWAY',
    'GATEWAY_ERROR',
    'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
    'MESSAGE_IS_STALE',
    'NO_EMAIL_ADDRESS',
    'INVALID_EMAIL_ADDRESS',
    'EMAIL_GATEWAY_ERROR',
    'COULD_NOT_PROCESS_STRUCTURED_SMS',
  ];
  assert.deepEqual([...ERROR_CODES].sort(), [...spec].sort());
  assert.equal(new Set(ERROR_CODES).size, ERROR_CODES.length);
});

test('every code has a distinct sentence', () => {
  for (const code of ERROR_CODES) assert.match(ERROR_TEXT[code], /^[A-Z].{20,}\.$/, code);
  assert.equal(new Set(Object.values(ERROR_TEXT)).size, ERROR_CODES.length);
  assert.deepEqual(Object.keys(ERROR_TEXT).sort(), [...ERROR_CODES].sort());
});

test('describeError appends the detail', () => {
  const cases = [
    {
      label: 'no detail',
      code: 'PHONE_NUMBER_IN_USE',
      detail: undefined,
      expect: ERROR_TEXT.PHONE_NUMBER_IN_USE,
    },
    { label: 'null detail', code: 'NO_MESSAGE', detail: null, expect: ERROR_TEXT.NO_MESSAGE },
    { label: 'blank detail', code: 'NO_MESSAGE', detail: '  ', expect: ERROR_TEXT.NO_MESSAGE },
    {
      label: 'with detail',
      code: 'PHONE_NUMBER_IN_USE',
      detail: 'owned by case c-17',
      expect:
        'The phone number is owned by another contact (verified or pending verification) and the project blocks shared numbers: owned by case c-17',
    },
  ] as const;
  for (const c of cases) assert.equal(describeError(c.code, c.detail), c.expect, c.label);
});

test('isErrorCode recognises exact codes only', () => {
  const cases = [
    { input: 'GATEWAY_ERROR', expect: true },
    { input: 'MESSAGE_IS_STALE', expect: true },
    { input: 'gateway_error', expect: false },
    { input: 'GATEWAY_ERROR ', expect: false },
    { input: 'ERROR', expect: false },
    { input: '', expect: false },
    { input: 'toString', expect: false },
  ];
  for (const c of cases) assert.equal(isErrorCode(c.input), c.expect, c.input);
});
