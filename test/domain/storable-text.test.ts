import assert from 'node:assert/strict';
import { test } from 'node:test';
import { storableText } from '../../src/domain/storable-text.ts';

test('storableText makes unstorable characters visible and keeps everything else', () => {
  const cases = [
    {
      label: 'plain text is returned as is',
      input: 'Habari «rafiki» é € 😀',
      expect: 'Habari «rafiki» é € 😀',
    },
    { label: 'empty', input: '', expect: '' },
    { label: 'tab, line feed and carriage return stay', input: 'a\tb\nc\r\n', expect: 'a\tb\nc\r\n' },
    { label: 'NUL becomes ␀', input: 'OK\u0000', expect: 'OK\u2400' },
    { label: 'NUL alone', input: '\u0000', expect: '\u2400' },
    { label: 'every other C0 control', input: '\u0001\u0008\u000b\u000c\u001b\u001f', expect: '␁␈␋␌␛␟' },
    { label: 'DEL and C1 controls are storable', input: '\u007f\u0085', expect: '\u007f\u0085' },
    { label: 'a surrogate pair stays', input: 'a\ud83d\ude00b', expect: 'a😀b' },
    { label: 'a lone high surrogate', input: 'a\ud83db', expect: 'a\ufffdb' },
    { label: 'a lone high surrogate at the end', input: 'a\ud83d', expect: 'a\ufffd' },
    { label: 'a lone low surrogate', input: '\ude00a', expect: '\ufffda' },
    { label: 'two high surrogates, then a low one', input: '\ud83d\ud83d\ude00', expect: '\ufffd😀' },
    { label: 'mixed, in place', input: 'x\u0000y\ud800z\u0002', expect: 'x␀y\ufffdz␂' },
  ];
  for (const c of cases) assert.equal(storableText(c.input), c.expect, c.label);
});

test('storableText keeps null and the length, is idempotent, and survives UTF-8 unchanged', () => {
  assert.equal(storableText(null), null);
  const input = 'a\u0000b\ud800c\u001fd😀';
  const once = storableText(input);
  assert.equal(once.length, input.length);
  assert.equal(storableText(once), once);
  // What both drivers do on the way in: nothing left for them to substitute.
  assert.equal(Buffer.from(once, 'utf8').toString('utf8'), once);
  assert.notEqual(Buffer.from(input, 'utf8').toString('utf8'), input);
});
