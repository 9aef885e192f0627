// The runner must fail a scenario whose expectations the engine does not meet: a table of
// broken scenarios, each against the same small story, run through runConformance as the CLI
// runs it (the FAIL line, the closing count), on both databases.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runConformance } from '../../src/conformance/runner.ts';
import { DATABASES, POSTGRES_URL } from '../support/databases.ts';

const story = [
  { project: { id: 'p' } },
  { gateway: { id: 'GW', default: true } },
  {
    case: {
      project: 'p',
      id: 'c',
      name: 'Amina',
      properties: { contact_phone_number: '254711000801', contact_phone_number_is_verified: '1' },
    },
  },
  {
    survey: { project: 'p', id: 's', questions: [{ id: 'n', type: 'int', text: 'How many?', save_to: 'n' }] },
  },
  { keyword: { project: 'p', keyword: 'GO', action: 'survey', survey: 's' } },
  { send: { project: 'p', to: { case: 'c' }, text: 'Hello {case.name}' } },
];
const passing = [
  { expect_sent: [{ to: '254711000801', text: 'Hello Amina' }] },
  { expect_queue: { project: 'p', waiting: 0 } },
];

const table: { label: string; steps: unknown[]; failure: RegExp }[] = [
  { label: 'the story as it happens passes', steps: passing, failure: /^$/ },
  {
    label: 'an expected text that differs',
    steps: [{ expect_sent: [{ to: '254711000801', text: 'Hello Amima' }] }],
    failure: /step 7 \(expect_sent\): expected .*Hello Amima.*, sent .*Hello Amina/,
  },
  {
    label: 'an extra message sent that was not expected',
    steps: [{ send: { project: 'p', to: { case: 'c' }, text: 'Again' } }, ...passing],
    failure: /step 8 \(expect_sent\): .*sent .*Again/,
  },
  {
    label: 'an expected message that was not sent',
    steps: [{ expect_sent: [{ to: '254711000801', text: 'Hello Amina' }, { to: '254711000801' }] }],
    failure: /step 7 \(expect_sent\)/,
  },
  {
    label: 'an instant that differs',
    steps: [{ expect_sent: [{ to: '254711000801', at: '2026-01-05T08:00:01Z' }] }],
    failure: /step 7 \(expect_sent\)/,
  },
  {
    label: 'a queue count that differs',
    steps: [passing[0], { expect_queue: { project: 'p', waiting: 1 } }],
    failure: /step 8 \(expect_queue\): expected 1 waiting, found 0/,
  },
  {
    label: 'an unknown field',
    steps: [{ expect_queue: { project: 'p', waiting: 0, pending: 0 } }],
    failure: /step 7 \(expect_queue\).*pending/,
  },
  {
    label: 'an unknown step kind',
    steps: [{ expect_sms: [] }],
    failure: /step 7: unknown step kind 'expect_sms'/,
  },
  {
    label: 'a case property that differs',
    steps: [
      { expect_case: { project: 'p', case: 'c', properties: { name: null, contact_phone_number: '1' } } },
    ],
    failure: /step 7 \(expect_case\): contact_phone_number: expected "1", found "254711000801"/,
  },
  {
    label: 'a survey status that differs',
    steps: [
      { inbound: { gateway: 'GW', from: '254711000801', text: 'go' } },
      { expect_survey: { project: 'p', case: 'c', survey: 's', status: 'completed' } },
    ],
    failure: /step 8 \(expect_survey\): .*expected status "completed", found "open"/,
  },
  {
    label: 'survey answers that differ',
    steps: [
      { inbound: { gateway: 'GW', from: '254711000801', text: 'go' } },
      { inbound: { gateway: 'GW', from: '254711000801', text: '4' } },
      { expect_survey: { project: 'p', case: 'c', survey: 's', status: 'completed', answers: { n: '5' } } },
    ],
    failure: /step 9 \(expect_survey\): answers differ: n: expected "5", found "4"/,
  },
  {
    label: 'an error count that differs',
    steps: [{ expect_error: { project: 'p', recipient: { case: 'c' }, error: 'NO_PHONE_NUMBER' } }],
    failure: /step 7 \(expect_error\): expected at least 1 NO_PHONE_NUMBER/,
  },
];

const folder = mkdtempSync(join(tmpdir(), 'caseline-failing-'));
after(() => rmSync(folder, { recursive: true, force: true }));

for (const database of DATABASES) {
  describe(`the runner reports failure on ${database}`, () => {
    for (const [index, row] of table.entries()) {
      test(row.label, async () => {
        const file = join(folder, `${database}-${String(index).padStart(2, '0')}.json`);
        writeFileSync(file, JSON.stringify({ steps: [...story, ...row.steps] }));
        const lines: string[] = [];
        const counts = await runConformance(
          [file],
          database === 'postgres' ? { database: POSTGRES_URL } : {},
          (line) => lines.push(line),
        );
        const shouldPass = row.failure.source === '^$';
        assert.deepEqual(
          counts,
          shouldPass ? { passed: 1, failed: 0 } : { passed: 0, failed: 1 },
          lines.join('\n'),
        );
        assert.equal(lines.at(-1), shouldPass ? '1 passed, 0 failed' : '0 passed, 1 failed');
        if (!shouldPass) assert.match(lines[0] ?? '', row.failure);
      });
    }
  });
}
