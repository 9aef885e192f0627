import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkNumber, cleanNumber, displayNumber, isCountryCode } from '../../src/domain/phone.ts';

test('cleanNumber removes spaces, dashes, dots, brackets and one leading +', () => {
  const cases = [
    { label: 'US formatted', input: '+1 (617) 555-1234', expect: '16175551234' },
    { label: 'dots', input: '1.617.555.1234', expect: '16175551234' },
    { label: 'dashes', input: '1-617-555-1234', expect: '16175551234' },
    { label: 'tabs and no-break spaces', input: '\t254\u00a0712 345678\n', expect: '254712345678' },
    { label: 'only one leading + goes', input: '++254712345678', expect: '+254712345678' },
    { label: 'a + in the middle stays', input: '254+712', expect: '254+712' },
    { label: 'letters stay', input: 'xyz', expect: 'xyz' },
  ];
  for (const c of cases) assert.equal(cleanNumber(c.input), c.expect, c.label);
});

test('checkNumber: valid numbers, including fictional ones libphonenumber calls possible', () => {
  const cases = [
    { label: 'US formatted', input: '+1 (617) 555-1234', expect: '16175551234' },
    { label: 'dots', input: '1.617.555.1234', expect: '16175551234' },
    { label: 'dashes', input: '1-617-555-1234', expect: '16175551234' },
    { label: 'Kenya', input: '254712345678', expect: '254712345678' },
    { label: 'India', input: '919812345678', expect: '919812345678' },
    { label: 'UK fictional (Ofcom drama range)', input: '447700900123', expect: '447700900123' },
    { label: 'US 555-01xx', input: '15550100001', expect: '15550100001' },
    { label: 'US 555 fictional', input: '15551234567', expect: '15551234567' },
    { label: 'Seattle', input: '12066171234', expect: '12066171234' },
    { label: 'Tanzania', input: '255754000111', expect: '255754000111' },
    { label: 'South Africa', input: '27821234567', expect: '27821234567' },
    { label: 'France', input: '33612345678', expect: '33612345678' },
    { label: 'Nigeria', input: '2348031234567', expect: '2348031234567' },
    { label: 'Malawi', input: '265991234567', expect: '265991234567' },
    { label: 'Mozambique', input: '258841234567', expect: '258841234567' },
    { label: 'India zeros', input: '919100000000', expect: '919100000000' },
    { label: 'New York 555-0100', input: '12125550100', expect: '12125550100' },
    { label: 'with +', input: '+254712345678', expect: '254712345678' },
  ];
  for (const c of cases) assert.deepEqual(checkNumber(c.input), { kind: 'valid', number: c.expect }, c.label);
});

test('checkNumber: blank, "0" and missing are no number', () => {
  for (const input of ['', '   ', '0', ' 0 ', '+0', '( )', null, undefined]) {
    assert.deepEqual(checkNumber(input), { kind: 'none' }, JSON.stringify(input));
    assert.deepEqual(checkNumber(input, 'KE'), { kind: 'none' }, `${JSON.stringify(input)} with KE`);
  }
});

test('checkNumber: invalid numbers keep the cleaned text and say why', () => {
  const cases = [
    { label: 'letters', input: 'xyz', country: null, cleaned: 'xyz', reason: /characters other than digits/ },
    {
      label: 'star and hash',
      input: '*123#',
      country: null,
      cleaned: '*123#',
      reason: /other than digits \(\* #\)/,
    },
    {
      label: '+ in the middle',
      input: '254+712345678',
      country: null,
      cleaned: '254+712345678',
      reason: /other than digits \(\+\)/,
    },
    {
      label: 'letters beat a default country',
      input: '07ab',
      country: 'KE',
      cleaned: '07ab',
      reason: /other than digits/,
    },
    {
      label: 'too short',
      input: '123',
      country: null,
      cleaned: '123',
      reason: /^too short: 3 digits, a number has 8 to 15$/,
    },
    {
      label: 'seven digits',
      input: '1234567',
      country: null,
      cleaned: '1234567',
      reason: /too short: 7 digits/,
    },
    {
      label: 'too long',
      input: '1234567890123456',
      country: null,
      cleaned: '1234567890123456',
      reason: /^too long: 16 digits/,
    },
    {
      label: 'unknown calling code',
      input: '9991234567',
      country: null,
      cleaned: '9991234567',
      reason: /unknown country calling code/,
    },
    {
      label: 'leading zero, no country',
      input: '0712345678',
      country: null,
      cleaned: '0712345678',
      reason: /remove the leading zero and put the country code first/,
    },
    {
      label: 'leading zero, blank country',
      input: '0712345678',
      country: '  ',
      cleaned: '0712345678',
      reason: /remove the leading zero/,
    },
    {
      label: 'leading zero, unknown country',
      input: '0712345678',
      country: 'XX',
      cleaned: '0712345678',
      reason: /default_country "XX" is not a known country/,
    },
    {
      label: 'not possible for the UK',
      input: '4412345678',
      country: null,
      cleaned: '4412345678',
      reason: /not a possible number for .*\+44/,
    },
    {
      label: 'not possible for Tanzania',
      input: '25512345',
      country: null,
      cleaned: '25512345',
      reason: /^not a possible number for Tanzania \(\+255\): 5 digits after the country code, too short$/,
    },
    {
      label: 'national too short',
      input: '0712',
      country: 'KE',
      cleaned: '0712',
      reason: /not a possible national number for Kenya \(\+254\): too short/,
    },
    {
      label: 'national too long',
      input: '0712345678901234',
      country: 'KE',
      cleaned: '0712345678901234',
      reason: /Kenya .*too long/,
    },
  ];
  for (const c of cases) {
    const result = checkNumber(c.input, c.country);
    assert.equal(result.kind, 'invalid', c.label);
    if (result.kind !== 'invalid') continue;
    assert.equal(result.cleaned, c.cleaned, c.label);
    assert.match(result.reason, c.reason, c.label);
  }
});

test('checkNumber: a leading zero is a national number of the default country', () => {
  const cases = [
    { label: 'India', input: '09812345678', country: 'IN', expect: '919812345678' },
    { label: 'Kenya with a space', input: '0712 345678', country: 'KE', expect: '254712345678' },
    { label: 'lower-case country', input: '0712345678', country: 'ke', expect: '254712345678' },
    { label: 'UK landline', input: '020 7946 0018', country: 'GB', expect: '442079460018' },
  ];
  for (const c of cases)
    assert.deepEqual(checkNumber(c.input, c.country), { kind: 'valid', number: c.expect }, c.label);
});

test('checkNumber: a default country does not change international numbers', () => {
  assert.deepEqual(checkNumber('447700900123', 'KE'), { kind: 'valid', number: '447700900123' });
  assert.deepEqual(checkNumber('123', 'KE').kind, 'invalid');
});

test('displayNumber adds the +', () => {
  assert.equal(displayNumber('254712345678'), '+254712345678');
});

test('isCountryCode knows ISO 3166 alpha-2 regions only', () => {
  const cases = [
    { input: 'KE', expect: true },
    { input: 'in', expect: true },
    { input: ' GB ', expect: true },
    { input: 'XX', expect: false },
    { input: 'KEN', expect: false },
    { input: '', expect: false },
    { input: '001', expect: false },
  ];
  for (const c of cases) assert.equal(isCountryCode(c.input), c.expect, c.input);
});

test('checkNumber: 00 is explained as an international dialling prefix', () => {
  for (const country of [null, 'KE']) {
    const result = checkNumber('00254712345678', country);
    assert.equal(result.kind, 'invalid', String(country));
    if (result.kind === 'invalid')
      assert.match(
        result.reason,
        /00, an international dialling prefix: remove the leading zero and put the country code first/,
      );
  }
});
