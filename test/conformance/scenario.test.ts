import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { DEFAULT_START, parseScenario, stepSchemas } from '../../src/conformance/scenario.ts';
import type { Scenario } from '../../src/conformance/scenario.ts';

const publicFolder = new URL('../../../shared/conformance/public/', import.meta.url);
const publicFiles = readdirSync(publicFolder)
  .filter((name) => name.endsWith('.json'))
  .sort();

function parsed(text: string): Scenario {
  const result = parseScenario(text);
  assert.ok(result.ok, result.ok ? '' : result.error);
  return result.scenario;
}

function error(text: string): string {
  const result = parseScenario(text);
  assert.ok(!result.ok, 'expected the scenario to be rejected');
  return result.error;
}

const scenario = (...steps: unknown[]): string => JSON.stringify({ steps });

test('the public scenarios are there', () => {
  assert.ok(publicFiles.length >= 10, `only ${publicFiles.length} files in ${publicFolder.pathname}`);
});

for (const file of publicFiles) {
  test(`public scenario ${file} parses, every step keeping its kind and value`, () => {
    const text = readFileSync(new URL(file, publicFolder), 'utf8');
    const raw = JSON.parse(text) as { steps: Record<string, unknown>[]; start?: string };
    const { steps, start } = parsed(text);
    assert.equal(start, raw.start ?? DEFAULT_START);
    assert.equal(steps.length, raw.steps.length);
    steps.forEach((step, index) => {
      assert.deepEqual({ [step.kind]: step.body }, raw.steps[index]);
    });
  });
}

test('title, spec and start are optional', () => {
  assert.deepEqual(parsed('{"steps": []}'), {
    title: null,
    spec: null,
    start: '2026-01-05T08:00:00Z',
    steps: [],
  });
  const full = parsed(
    '{"title": "t", "spec": "2.2", "start": "2026-03-01T00:00:00+01:00", "steps": [{"advance": "PT1H30M"}]}',
  );
  assert.deepEqual(full, {
    title: 't',
    spec: '2.2',
    start: '2026-03-01T00:00:00+01:00',
    steps: [{ kind: 'advance', body: 'PT1H30M' }],
  });
});

test('every step kind of FORMAT.md is known', () => {
  assert.deepEqual(Object.keys(stepSchemas).sort(), [
    'advance',
    'advance_to',
    'alert',
    'broadcast',
    'case',
    'expect_case',
    'expect_contact',
    'expect_error',
    'expect_opt_out',
    'expect_phone',
    'expect_queue',
    'expect_sent',
    'expect_survey',
    'gateway',
    'gateway_fault',
    'group',
    'inbound',
    'keyword',
    'mobile_worker',
    'phone_number',
    'project',
    'send',
    'survey',
    'verify',
  ]);
});

test('a step of each less common kind parses', () => {
  const { steps } = parsed(
    scenario(
      { gateway_fault: { gateway: 'GW', fail_next: 2, kind: 'permanent', text: 'invalid destination' } },
      {
        broadcast: {
          project: 'p',
          id: 'b',
          recipients: [{ case: 'c' }, { phone: '1555' }],
          schedule: { type: 'weekly', days: ['mon'], time: '09:00' },
          content: { channel: 'email', subject: 's', text: 'x' },
        },
      },
      { keyword: { project: 'p', keyword: 'INFO', reply: { text: 'hi' }, allow: 'cases' } },
      { phone_number: { number: '1555', can_opt_in: false } },
      { expect_contact: { project: 'p', mobile_worker: 'w', language: null, time_zone: 'UTC' } },
      {
        expect_phone: {
          number: '1555',
          entries: [{ project: 'p', case: 'c', two_way: false, pending: true }],
        },
      },
      { expect_queue: { project: 'p', waiting: 0 } },
      { advance: 'P1D' },
    ),
  );
  assert.deepEqual(
    steps.map((step) => step.kind),
    [
      'gateway_fault',
      'broadcast',
      'keyword',
      'phone_number',
      'expect_contact',
      'expect_phone',
      'expect_queue',
      'advance',
    ],
  );
});

const alert = {
  project: 'p',
  id: 'a',
  case_type: 'patient',
  schedule: { type: 'immediate' },
  content: { text: 'x' },
};

const bad: { label: string; text: string; error: string }[] = [
  { label: 'invalid JSON', text: '{"steps": [\n  {"project": {"id": "p"},}\n]}', error: 'not valid JSON: ' },
  { label: 'not an object', text: '[]', error: 'scenario: must be an object' },
  {
    label: 'unknown top-level field',
    text: '{"steps": [], "colour": "red"}',
    error: "scenario: unknown field 'colour'",
  },
  { label: 'no steps', text: '{"title": "t"}', error: 'steps: is required' },
  {
    label: 'bad start',
    text: '{"start": "2026-01-05", "steps": []}',
    error: 'start: must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'unknown step kind',
    text: scenario({ project: { id: 'p' } }, { project: { id: 'q' } }, { gateway: { id: 'G' } }, { foo: {} }),
    error: "step 4: unknown step kind 'foo'",
  },
  {
    label: 'misspelt step kind',
    text: scenario({ expect_snet: [] }),
    error: "step 1: unknown step kind 'expect_snet' (did you mean 'expect_sent'?)",
  },
  {
    label: 'unknown field',
    text: scenario({ project: { id: 'p' } }, { case: { project: 'p', id: 'c', colour: 'red' } }),
    error: "step 2 (case): unknown field 'colour'",
  },
  {
    label: 'two keys in a step',
    text: scenario({ case: { project: 'p', id: 'c' }, send: { project: 'p', to: { case: 'c' }, text: 'x' } }),
    error: "step 1: must have exactly one key, the step's kind (it has 'case', 'send')",
  },
  {
    label: 'empty step',
    text: scenario({}),
    error: "step 1: must have exactly one key, the step's kind (it has none)",
  },
  {
    label: 'step not an object',
    text: scenario('advance'),
    error: "step 1: must be an object with one key, the step's kind",
  },
  {
    label: 'bad duration',
    text: scenario({ advance: '5 minutes' }),
    error: 'step 1 (advance): must be an ISO 8601 duration such as PT5M, P1D or PT1H30M',
  },
  {
    label: 'empty duration P',
    text: scenario({ advance: 'PT' }),
    error: 'step 1 (advance): must be an ISO 8601 duration such as PT5M, P1D or PT1H30M',
  },
  {
    label: 'negative duration',
    text: scenario({ advance: '-PT5M' }),
    error: 'step 1 (advance): must not be negative: the clock only moves forward',
  },
  {
    label: 'duration as a number',
    text: scenario({ advance: 300 }),
    error: 'step 1 (advance): must be an ISO 8601 duration such as PT5M, P1D or PT1H30M',
  },
  {
    label: 'bad instant',
    text: scenario({ advance_to: '2026-01-06 09:00' }),
    error:
      'step 1 (advance_to): must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'instant that does not exist',
    text: scenario({ advance_to: '2026-02-30T09:00:00Z' }),
    error:
      'step 1 (advance_to): must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'restricted time 25:00',
    text: scenario({ project: { id: 'p', restricted_times: [{ day: -1, start: '09:00', end: '25:00' }] } }),
    error: 'step 1 (project): restricted_times[0].end: must be a time HH:MM',
  },
  {
    label: '1 MB property value',
    text: scenario({ case: { project: 'p', id: 'c', properties: { notes: 'x'.repeat(1_000_000) } } }),
    error: 'step 1 (case): properties.notes: must be at most 10000 characters (it has 1000000)',
  },
  {
    label: 'non-string property',
    text: scenario({ case: { project: 'p', id: 'c', properties: { age: 5 } } }),
    error: 'step 1 (case): properties.age: must be a string or null',
  },
  {
    label: 'missing required field',
    text: scenario({ case: { id: 'c' } }),
    error: 'step 1 (case): project: is required',
  },
  {
    label: 'missing id of a project',
    text: scenario({ project: { time_zone: 'UTC' } }),
    error: 'step 1 (project): id: is required',
  },
  {
    label: 'has_value with a value',
    text: scenario({ alert: { ...alert, criteria: [{ property: 'x', op: 'has_value', value: 'y' }] } }),
    error: "step 1 (alert): criteria[0].value: not allowed when op is 'has_value'",
  },
  {
    label: 'bad regex',
    text: scenario({ alert: { ...alert, criteria: [{ property: 'x', op: 'regex', value: '(' }] } }),
    error:
      'step 1 (alert): criteria[0].value: must be a valid regular expression (Invalid regular expression: /(/: Unterminated group)',
  },
  {
    label: 'alert without criteria',
    text: scenario({ alert }),
    error: 'step 1 (alert): criteria: is required',
  },
  {
    label: 'schedule type unknown',
    text: scenario({ alert: { ...alert, criteria: [], schedule: { type: 'hourly' } } }),
    error:
      "step 1 (alert): schedule.type: must be 'immediate', 'daily', 'weekly', 'monthly', 'custom_daily' or 'custom_immediate'",
  },
  {
    label: 'send without text',
    text: scenario({ send: { project: 'p', to: { case: 'c' } } }),
    error: "step 1 (send): must have exactly one of 'text' or 'translations'",
  },
  {
    label: 'send to two recipients',
    text: scenario({ send: { project: 'p', to: { case: 'c', phone: '1' }, text: 'x' } }),
    error: "step 1 (send): to: must have exactly one of 'case', 'mobile_worker' or 'phone'",
  },
  {
    label: 'gateway of another type',
    text: scenario({ gateway: { id: 'G', type: 'twilio' } }),
    error: "step 1 (gateway): type: must be 'test'",
  },
  {
    label: 'gateway config',
    text: scenario({ gateway: { id: 'G', config: {} } }),
    error: "step 1 (gateway): unknown field 'config'",
  },
  {
    label: 'gateway fault kind',
    text: scenario({ gateway_fault: { gateway: 'G', fail_next: 1, kind: 'sometimes' } }),
    error: "step 1 (gateway_fault): kind: must be 'temporary' or 'permanent'",
  },
  {
    label: 'verify result',
    text: scenario({ verify: { project: 'p', mobile_worker: 'w', number: '1', expect: 'OK' } }),
    error:
      "step 1 (verify): expect: must be 'WORKFLOW_STARTED', 'ALREADY_IN_USE', 'ALREADY_VERIFIED' or 'RESENT_PENDING'",
  },
  {
    label: 'expect_sent not a list',
    text: scenario({ expect_sent: { to: '1' } }),
    error: 'step 1 (expect_sent): must be a list',
  },
  {
    label: 'expect_sent unknown field',
    text: scenario({ expect_sent: [{ to: '1' }, { to: '2', txt: 'x' }] }),
    error: "step 1 (expect_sent): [1]: unknown field 'txt'",
  },
  {
    label: 'expect_sent bad at',
    text: scenario({ expect_sent: [{ to: '1', at: '08:00' }] }),
    error:
      'step 1 (expect_sent): [0].at: must be an ISO 8601 instant with Z or an offset, such as 2026-01-05T08:00:00Z',
  },
  {
    label: 'expect_phone entry with both contacts',
    text: scenario({
      expect_phone: {
        number: '1',
        entries: [{ project: 'p', case: 'c', mobile_worker: 'w', two_way: true }],
      },
    }),
    error: "step 1 (expect_phone): entries[0]: must have exactly one of 'case' or 'mobile_worker'",
  },
  {
    label: 'expect_phone entry without two_way',
    text: scenario({ expect_phone: { number: '1', entries: [{ project: 'p', case: 'c' }] } }),
    error: 'step 1 (expect_phone): entries[0].two_way: is required',
  },
  {
    label: 'expect_contact status',
    text: scenario({ expect_contact: { project: 'p', case: 'c', phone_status: 'TWOWAY' } }),
    error:
      "step 1 (expect_contact): phone_status: must be 'INACTIVE', 'NO_PHONE_NUMBER', 'INVALID_PHONE_NUMBER', 'TWO_WAY', 'PENDING_VERIFICATION', 'PHONE_NUMBER_IN_USE' or 'ONE_WAY'",
  },
  {
    label: 'expect_error code',
    text: scenario({ expect_error: { project: 'p', recipient: { case: 'c' }, error: 'in use' } }),
    error: 'step 1 (expect_error): error: must be an error code such as PHONE_NUMBER_IN_USE',
  },
  {
    label: 'expect_error negative count',
    text: scenario({
      expect_error: { project: 'p', recipient: { case: 'c' }, error: 'NO_MESSAGE', count: -1 },
    }),
    error: 'step 1 (expect_error): count: must be at least 0',
  },
  {
    label: 'expect_opt_out as a string',
    text: scenario({ expect_opt_out: { number: '1', opted_out: 'yes' } }),
    error: 'step 1 (expect_opt_out): opted_out: must be true or false',
  },
  {
    label: 'expect_queue fraction',
    text: scenario({ expect_queue: { project: 'p', waiting: 0.5 } }),
    error: 'step 1 (expect_queue): waiting: must be a whole number',
  },
];

for (const { label, text, error: expected } of bad) {
  test(`rejects ${label}`, () => {
    const actual = error(text);
    if (expected.endsWith(': ')) assert.ok(actual.startsWith(expected), actual);
    else assert.equal(actual, expected);
  });
}

test('invalid JSON names the problem and where it is', () => {
  assert.match(
    error('{"steps": [\n  {"project": {"id": "p"},}\n]}'),
    /^not valid JSON: .*(position 36|line 2)/,
  );
});
