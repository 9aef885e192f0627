import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanText, countSegments } from '../../src/domain/text.ts';

test('cleanText replaces typographic punctuation', () => {
  const cases = [
    { label: 'single quotes', input: '‘it’s’', expect: "'it's'" },
    { label: 'double quotes', input: '“yes”', expect: '"yes"' },
    { label: 'dashes', input: '9–5 — daily', expect: '9-5 - daily' },
    { label: 'ellipsis', input: 'wait…', expect: 'wait...' },
    { label: 'everything else untouched', input: 'Habari «rafiki» é € 😀', expect: 'Habari «rafiki» é € 😀' },
  ];
  for (const c of cases) assert.equal(cleanText(c.input), c.expect, c.label);
});

const a = (n: number): string => 'a'.repeat(n);
const hindi = (n: number): string => 'न'.repeat(n);

test('countSegments: GSM-7', () => {
  const cases = [
    { label: 'empty', input: '', expect: { encoding: 'GSM-7', units: 0, segments: 1 } },
    { label: '160 chars', input: a(160), expect: { encoding: 'GSM-7', units: 160, segments: 1 } },
    { label: '161 chars', input: a(161), expect: { encoding: 'GSM-7', units: 161, segments: 2 } },
    { label: '306 chars', input: a(306), expect: { encoding: 'GSM-7', units: 306, segments: 2 } },
    { label: '307 chars', input: a(307), expect: { encoding: 'GSM-7', units: 307, segments: 3 } },
    {
      label: 'full basic alphabet',
      input: '@£$¥èéùìòÇØøÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ!"#¤%&\'()*+,-./:;<=>?¡ÄÖÑÜ§¿äöñüà\n\r',
      expect: { encoding: 'GSM-7', units: 64, segments: 1 },
    },
    {
      label: 'extension chars count 2',
      input: '^{}\\[]~|€',
      expect: { encoding: 'GSM-7', units: 18, segments: 1 },
    },
    { label: '€ fits at 160', input: a(158) + '€', expect: { encoding: 'GSM-7', units: 160, segments: 1 } },
    { label: '€ tips over 160', input: a(159) + '€', expect: { encoding: 'GSM-7', units: 161, segments: 2 } },
    {
      label: '€ ends part one',
      input: a(151) + '€' + a(153),
      expect: { encoding: 'GSM-7', units: 306, segments: 2 },
    },
    // An escape sequence is not split: the € moves to part two, which then overflows.
    {
      label: '€ straddles the part boundary',
      input: a(152) + '€' + a(152),
      expect: { encoding: 'GSM-7', units: 306, segments: 3 },
    },
  ];
  for (const c of cases) assert.deepEqual(countSegments(c.input), c.expect, c.label);
});

test('countSegments: UCS-2', () => {
  const cases = [
    { label: '70 chars', input: hindi(70), expect: { encoding: 'UCS-2', units: 70, segments: 1 } },
    { label: '71 chars', input: hindi(71), expect: { encoding: 'UCS-2', units: 71, segments: 2 } },
    { label: '134 chars', input: hindi(134), expect: { encoding: 'UCS-2', units: 134, segments: 2 } },
    { label: '135 chars', input: hindi(135), expect: { encoding: 'UCS-2', units: 135, segments: 3 } },
    {
      label: 'one non-GSM char makes it all UCS-2',
      input: a(69) + 'ç',
      expect: { encoding: 'UCS-2', units: 70, segments: 1 },
    },
    {
      label: 'extension chars count 1 in UCS-2',
      input: '€' + hindi(69),
      expect: { encoding: 'UCS-2', units: 70, segments: 1 },
    },
    { label: 'emoji counts 2', input: '😀', expect: { encoding: 'UCS-2', units: 2, segments: 1 } },
    {
      label: 'emoji tips over 70',
      input: a(69) + '😀',
      expect: { encoding: 'UCS-2', units: 71, segments: 2 },
    },
    { label: 'emoji fits at 70', input: a(68) + '😀', expect: { encoding: 'UCS-2', units: 70, segments: 1 } },
    // A surrogate pair is not split: the emoji moves to part two.
    {
      label: 'emoji straddles the part boundary',
      input: a(66) + '😀' + a(66),
      expect: { encoding: 'UCS-2', units: 134, segments: 3 },
    },
    {
      label: 'emoji ends part one',
      input: a(65) + '😀' + a(67),
      expect: { encoding: 'UCS-2', units: 134, segments: 2 },
    },
    {
      label: 'typographic quote is not GSM',
      input: '’',
      expect: { encoding: 'UCS-2', units: 1, segments: 1 },
    },
  ];
  for (const c of cases) assert.deepEqual(countSegments(c.input), c.expect, c.label);
});

test('countSegments after cleanText can fall back to GSM-7', () => {
  assert.equal(countSegments('It’s “ok”…').encoding, 'UCS-2');
  assert.deepEqual(countSegments(cleanText('It’s “ok”…')), { encoding: 'GSM-7', units: 12, segments: 1 });
});
