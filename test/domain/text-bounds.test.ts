// SPEC 7 "Bounds": message texts are at most 10,000 characters wherever they are given — a
// send, an alert's or a broadcast's content, a custom schedule's event, a keyword's reply, a
// survey question — and a longer one answers 400 naming the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TSchema } from 'typebox';
import { AlertBody, BroadcastBody, KeywordBody } from '../../src/domain/definitions.ts';
import { SurveyBody } from '../../src/domain/survey-shape.ts';
import { SendBody } from '../../src/app/sending/schemas.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';

const at = (n: number) => 'x'.repeat(n);
const alert = (content: unknown, schedule: unknown = { type: 'immediate' }) => ({
  case_type: 'patient',
  criteria: [],
  schedule,
  ...(content === undefined ? {} : { content }),
});

const cases: [string, TSchema, (n: number) => unknown, string][] = [
  ['send text', SendBody, (n) => ({ to: { case: 'c' }, text: at(n) }), 'text'],
  [
    'send translation',
    SendBody,
    (n) => ({ to: { case: 'c' }, translations: { en: at(n) } }),
    'translations.en',
  ],
  ['alert content', AlertBody, (n) => alert({ text: at(n) }), 'content.text'],
  [
    'e-mail subject',
    AlertBody,
    (n) => alert({ channel: 'email', text: 'x', subject: at(n) }),
    'content.subject',
  ],
  [
    'custom event content',
    BroadcastBody,
    (n) => ({
      recipients: [{ case: 'c' }],
      schedule: { type: 'custom_immediate', events: [{ delay_minutes: 0, content: { text: at(n) } }] },
    }),
    'schedule',
  ],
  ['keyword reply', KeywordBody, (n) => ({ reply: { text: at(n) } }), 'reply.text'],
  [
    'survey question',
    SurveyBody,
    (n) => ({ questions: [{ id: 'q', type: 'text', text: { '*': at(n) } }] }),
    'questions[0]',
  ],
];

for (const [label, schema, body, field] of cases) {
  test(`${label}: 10,000 characters pass, 10,001 are refused naming ${field}`, () => {
    assert.doesNotThrow(() => parseInput(schema, body(10_000)));
    assert.throws(
      () => parseInput(schema, body(10_001)),
      (error: unknown) => error instanceof InputError && error.describe().startsWith(field),
    );
  });
}

test('a custom schedule carries its content in its events: the alert has none, any other needs one', () => {
  const custom = { type: 'custom_immediate', events: [{ delay_minutes: 5, content: { text: 'hi' } }] };
  assert.doesNotThrow(() => parseInput(AlertBody, alert(undefined, custom)));
  assert.throws(
    () => parseInput(AlertBody, alert({ text: 'hi' }, custom)),
    (error: unknown) =>
      error instanceof InputError && error.describe().includes('not allowed with a custom schedule'),
  );
  assert.throws(
    () => parseInput(AlertBody, alert(undefined)),
    (error: unknown) => error instanceof InputError && error.describe().includes('content: is required'),
  );
});
