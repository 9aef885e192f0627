import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkEmail } from '../../src/domain/email.ts';

test('checkEmail: blank is no address', () => {
  for (const input of ['', '   ', '\t\n', null, undefined])
    assert.deepEqual(checkEmail(input), { kind: 'none' }, JSON.stringify(input));
});

test('checkEmail: valid addresses come back trimmed', () => {
  const cases = [
    { label: 'plain', input: 'amina@example.org', expect: 'amina@example.org' },
    { label: 'surrounding spaces', input: '  amina@example.org \n', expect: 'amina@example.org' },
    {
      label: 'sub-domains and plus',
      input: 'a.b+tag@mail.health.go.ke',
      expect: 'a.b+tag@mail.health.go.ke',
    },
  ];
  for (const c of cases) assert.deepEqual(checkEmail(c.input), { kind: 'valid', address: c.expect }, c.label);
});

test('checkEmail: invalid addresses say why', () => {
  const cases = [
    { label: 'no @', input: 'bob', reason: /exactly one @ \(found 0\)/ },
    { label: 'two @', input: 'a@b@example.org', reason: /exactly one @ \(found 2\)/ },
    { label: 'empty local part', input: '@example.org', reason: /nothing before the @/ },
    { label: 'undotted domain', input: 'bob@localhost', reason: /has no dot/ },
    { label: 'empty domain', input: 'bob@', reason: /has no dot/ },
    { label: 'trailing dot', input: 'bob@example.', reason: /empty part/ },
    { label: 'leading dot', input: 'bob@.org', reason: /empty part/ },
    { label: 'double dot', input: 'bob@example..org', reason: /empty part/ },
    { label: 'inner space', input: 'bob smith@example.org', reason: /space/ },
    { label: 'inner tab', input: 'bob@exa\tmple.org', reason: /space/ },
  ];
  for (const c of cases) {
    const result = checkEmail(c.input);
    assert.equal(result.kind, 'invalid', c.label);
    if (result.kind === 'invalid') assert.match(result.reason, c.reason, c.label);
  }
});
