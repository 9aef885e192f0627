import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTemplate } from '../../src/domain/template.ts';
import type { TemplateContext } from '../../src/domain/template.ts';

const full: TemplateContext = {
  case: {
    name: 'Amina',
    properties: { next_visit: '2024-03-01', village: 'Kisumu', empty: '' },
    ownerName: 'Nurse Joy',
  },
  recipient: { name: 'Amina', phoneNumber: '254712345678' },
};
const bare: TemplateContext = { case: null, recipient: { name: null, phoneNumber: '254712345678' } };
const orphan: TemplateContext = { case: { name: null, properties: {}, ownerName: null }, recipient: null };

test('renderTemplate fills references', () => {
  const cases = [
    { label: 'no references', input: 'Hello', ctx: full, expect: 'Hello' },
    { label: 'empty template', input: '', ctx: full, expect: '' },
    { label: 'case property', input: 'Visit on {case.next_visit}', ctx: full, expect: 'Visit on 2024-03-01' },
    { label: 'case name', input: 'Hi {case.name}', ctx: full, expect: 'Hi Amina' },
    {
      label: 'owner name',
      input: 'Your nurse: {case.owner.name}',
      ctx: full,
      expect: 'Your nurse: Nurse Joy',
    },
    { label: 'recipient name', input: '{recipient.name}!', ctx: full, expect: 'Amina!' },
    {
      label: 'phone with +',
      input: 'Number {recipient.phone_number}',
      ctx: full,
      expect: 'Number +254712345678',
    },
    { label: 'spaces inside braces', input: '{ case.village }', ctx: full, expect: 'Kisumu' },
    {
      label: 'several',
      input: '{case.name}/{case.village}/{case.name}',
      ctx: full,
      expect: 'Amina/Kisumu/Amina',
    },
    { label: 'empty property stays empty', input: '[{case.empty}]', ctx: full, expect: '[]' },
  ];
  for (const c of cases)
    assert.deepEqual(renderTemplate(c.input, c.ctx), { ok: true, text: c.expect }, c.label);
});

test('renderTemplate renders (?) for anything missing or unknown', () => {
  const cases = [
    { label: 'missing property', input: 'At {case.weight}', ctx: full, expect: 'At (?)' },
    { label: 'prototype name is not a property', input: '{case.toString}', ctx: full, expect: '(?)' },
    { label: 'unknown root', input: '{patient.name}', ctx: full, expect: '(?)' },
    { label: 'unknown recipient field', input: '{recipient.email}', ctx: full, expect: '(?)' },
    { label: 'empty braces', input: 'a{}b', ctx: full, expect: 'a(?)b' },
    { label: 'names are case-sensitive', input: '{Case.Name}', ctx: full, expect: '(?)' },
    {
      label: 'not a case',
      input: '{case.name} {case.village} {case.owner.name}',
      ctx: bare,
      expect: '(?) (?) (?)',
    },
    {
      label: 'phone-only recipient has no name',
      input: '{recipient.name} {recipient.phone_number}',
      ctx: bare,
      expect: '(?) +254712345678',
    },
    {
      label: 'case without name or owner',
      input: '{case.name} {case.owner.name}',
      ctx: orphan,
      expect: '(?) (?)',
    },
    {
      label: 'no recipient',
      input: '{recipient.name} {recipient.phone_number}',
      ctx: orphan,
      expect: '(?) (?)',
    },
  ];
  for (const c of cases)
    assert.deepEqual(renderTemplate(c.input, c.ctx), { ok: true, text: c.expect }, c.label);
});

test('renderTemplate: doubled braces are literal, a lone } is literal', () => {
  const cases = [
    { label: 'escaped reference', input: '{{case.name}}', expect: '{case.name}' },
    { label: 'escaped around a reference', input: '{{{case.name}}}', expect: '{Amina}' },
    { label: 'lone close', input: 'a } b', expect: 'a } b' },
    { label: 'lone close after reference', input: '{case.name}}x', expect: 'Amina}x' },
    { label: 'smiley', input: ':-}', expect: ':-}' },
    { label: 'four open', input: '{{{{', expect: '{{' },
  ];
  for (const c of cases)
    assert.deepEqual(renderTemplate(c.input, full), { ok: true, text: c.expect }, c.label);
});

test('renderTemplate: an unclosed { is an error naming its position', () => {
  const cases = [
    { label: 'at the end', input: 'Hello {case.name', position: 7 },
    { label: 'lone open', input: '{', position: 1 },
    { label: 'open inside a reference', input: 'x{case.{name}', position: 2 },
    { label: 'after an escaped pair', input: '{{}} {', position: 6 },
  ];
  for (const c of cases) {
    assert.deepEqual(
      renderTemplate(c.input, full),
      { ok: false, reason: `unclosed "{" at character ${c.position}` },
      c.label,
    );
  }
});

test('renderTemplate follows the parent and host indices and splits names (SPEC 3.5)', () => {
  const linked: TemplateContext = {
    case: {
      name: 'Baby Otieno',
      properties: {},
      ownerName: null,
      parent: { name: 'Akinyi Otieno', properties: { village: 'Kisumu West' } },
      host: null,
    },
    recipient: { name: 'Juma Hassan Ali', phoneNumber: null },
  };
  const own: TemplateContext = {
    case: null,
    recipient: { name: 'Grace W.', phoneNumber: null, firstName: 'Grace', lastName: ' ' },
  };
  const cases: [string, TemplateContext, string][] = [
    ['{case.parent.name} in {case.parent.village}', linked, 'Akinyi Otieno in Kisumu West'],
    ['{case.parent.missing}', linked, '(?)'],
    ['{case.host.name}/{case.host.village}', linked, '(?)/(?)'],
    ['{case.parent.name}', full, '(?)'],
    ['{recipient.first_name}|{recipient.last_name}', linked, 'Juma|Hassan Ali'],
    ['{recipient.first_name}|{recipient.last_name}', own, 'Grace|W.'],
    ['{recipient.first_name} {recipient.last_name}', full, 'Amina (?)'],
    ['{recipient.first_name}', { case: null, recipient: null }, '(?)'],
  ];
  for (const [input, ctx, expect] of cases)
    assert.deepEqual(renderTemplate(input, ctx), { ok: true, text: expect }, input);
});
