// SPEC 5.2: splitting a structured SMS, matching its keyword, typed fields and their errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchesKeyword, parseStructured, type StructuredKeyword } from '../../src/domain/structured.ts';

const weight: StructuredKeyword = {
  keyword: 'WEIGHT',
  fields: [
    { property: 'weight', type: 'decimal' },
    { property: 'muac', type: 'int', required: false },
  ],
};
const reg: StructuredKeyword = {
  keyword: 'REG',
  delimiter: '#',
  fields: [
    { property: 'name', type: 'text' },
    { property: 'dob', type: 'date' },
  ],
};

test('the keyword is the first part, case-insensitive; a delimiter replaces the first word', () => {
  const cases: [string, string, string | undefined, boolean][] = [
    ['weight 3.2 12', 'WEIGHT', undefined, true],
    ['  WEIGHT\t3.2', 'weight', undefined, true],
    ['weights 3.2', 'WEIGHT', undefined, false],
    ['REG#Amani#20251201', 'REG', '#', true],
    ['reg # Amani', 'REG', '#', true],
    ['REG Amani#20251201', 'REG', '#', false],
  ];
  for (const [text, keyword, delimiter, expect] of cases)
    assert.equal(matchesKeyword(text, keyword, delimiter), expect, text);
});

test('parts fill the fields in order as answers of their type; the first bad one stops', () => {
  const cases: [string, StructuredKeyword, ReturnType<typeof parseStructured>][] = [
    ['WEIGHT 3,20 007', weight, { ok: true, properties: { weight: '3.20', muac: '7' } }],
    ['WEIGHT 3.2', weight, { ok: true, properties: { weight: '3.2' } }],
    ['WEIGHT 3.2 12 extra parts', weight, { ok: true, properties: { weight: '3.2', muac: '12' } }],
    ['WEIGHT', weight, { ok: false, field: 'weight', error: 'answer_required' }],
    ['WEIGHT abc 12', weight, { ok: false, field: 'weight', error: 'answer_decimal' }],
    ['WEIGHT 3.2 1.5', weight, { ok: false, field: 'muac', error: 'answer_int' }],
    ['REG#Amani Said#2025-12-01', reg, { ok: true, properties: { name: 'Amani Said', dob: '2025-12-01' } }],
    ['REG# #20251201', reg, { ok: false, field: 'name', error: 'answer_required' }],
    ['REG#Amani#20250230', reg, { ok: false, field: 'dob', error: 'answer_date' }],
  ];
  for (const [text, keyword, expect] of cases) assert.deepEqual(parseStructured(text, keyword), expect, text);
});
