import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveTimeZone, isValidTimeZone } from '../../src/domain/timezone.ts';

test('isValidTimeZone accepts IANA names only', () => {
  const cases = [
    { input: 'America/New_York', expect: true },
    { input: 'Africa/Nairobi', expect: true },
    { input: 'UTC', expect: true },
    { input: ' Asia/Kolkata ', expect: true },
    { input: 'Mars/Olympus_Mons', expect: false },
    { input: 'East Africa', expect: false },
    { input: '+03:00', expect: false },
    { input: '', expect: false },
    { input: '  ', expect: false },
    { input: null, expect: false },
    { input: undefined, expect: false },
  ];
  for (const c of cases) assert.equal(isValidTimeZone(c.input), c.expect, String(c.input));
});

test('effectiveTimeZone: contact, then project, then UTC', () => {
  const cases = [
    {
      label: 'contact wins',
      contact: 'America/New_York',
      project: 'Africa/Nairobi',
      expect: { zone: 'America/New_York', warning: null },
    },
    {
      label: 'no contact zone',
      contact: null,
      project: 'Africa/Nairobi',
      expect: { zone: 'Africa/Nairobi', warning: null },
    },
    {
      label: 'blank contact zone',
      contact: '  ',
      project: 'Africa/Nairobi',
      expect: { zone: 'Africa/Nairobi', warning: null },
    },
    { label: 'neither', contact: undefined, project: undefined, expect: { zone: 'UTC', warning: null } },
    {
      label: 'invalid project zone',
      contact: null,
      project: 'Nowhere/Else',
      expect: { zone: 'UTC', warning: null },
    },
    {
      label: 'invalid contact zone warns',
      contact: 'Mars/Base',
      project: 'Africa/Nairobi',
      expect: {
        zone: 'Africa/Nairobi',
        warning: 'time_zone "Mars/Base" is not an IANA time zone; using Africa/Nairobi',
      },
    },
    {
      label: 'invalid contact and project zones',
      contact: 'GMT+3',
      project: '',
      expect: { zone: 'UTC', warning: 'time_zone "GMT+3" is not an IANA time zone; using UTC' },
    },
    {
      label: 'trimmed',
      contact: ' Asia/Kolkata ',
      project: null,
      expect: { zone: 'Asia/Kolkata', warning: null },
    },
  ];
  for (const c of cases) assert.deepEqual(effectiveTimeZone(c.contact, c.project), c.expect, c.label);
});
