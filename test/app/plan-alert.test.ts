// planAlert: what one alert does to one case's instance (SPEC 4), as a pure decision.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planAlert } from '../../src/app/scheduling/alerts.ts';
import type { CaseRecord, ProjectRecord } from '../../src/app/ports/records.ts';
import type { AlertRecord, InstanceRecord } from '../../src/app/ports/schedule-repos.ts';

const NOW = Date.parse('2026-03-02T06:00:00Z');
const project: ProjectRecord = { id: 'p', settings: { time_zone: 'Africa/Nairobi' } } as ProjectRecord;
const alert: AlertRecord = {
  projectId: 'p',
  id: 'a',
  active: true,
  version: 1,
  processing: { total: 0, done: 0, pending: false, cursor: null },
  definition: {
    case_type: 'patient',
    criteria: [{ property: 'stage', op: 'equals', value: 'anc' }],
    schedule: {
      type: 'daily',
      time: '09:00',
      occurrences: 3,
      start_property: 'edd',
      restart_property: 'round',
    },
    content: { text: 'Visit the clinic' },
  },
};
const patient = (properties: Record<string, string>, extra: Partial<CaseRecord> = {}): CaseRecord => ({
  projectId: 'p',
  id: 'c1',
  type: 'patient',
  name: 'Amina',
  ownerId: null,
  closed: false,
  deleted: false,
  properties,
  serverModifiedOn: NOW,
  ...extra,
});

function created(properties: Record<string, string>): InstanceRecord {
  const step = planAlert(project, alert, patient(properties), null, NOW);
  assert.equal(step.kind, 'insert');
  return { id: 7, ...(step as { instance: Omit<InstanceRecord, 'id'> }).instance };
}

test('a matching case without an instance gets one, due at 09:00 in the zone of the project', () => {
  const instance = created({ stage: 'anc', edd: '2026-03-03', round: '1' });
  assert.equal(instance.subjectKey, 'c1');
  assert.equal(instance.state.zone, 'Africa/Nairobi');
  assert.equal(instance.state.start, '2026-03-03');
  assert.equal(instance.nextDueAt, Date.parse('2026-03-03T06:00:00Z'));
});

test('the case zone wins when it is valid; an invalid one falls back to the project zone', () => {
  assert.equal(
    created({ stage: 'anc', edd: '2026-03-03', time_zone: 'America/New_York' }).state.zone,
    'America/New_York',
  );
  assert.equal(
    created({ stage: 'anc', edd: '2026-03-03', time_zone: 'Mars/Base' }).state.zone,
    'Africa/Nairobi',
  );
});

test('no match: nothing without an instance, removal with one; a closed case no longer matches', () => {
  assert.deepEqual(planAlert(project, alert, patient({ stage: 'pnc' }), null, NOW), { kind: 'keep' });
  const instance = created({ stage: 'anc', edd: '2026-03-03' });
  assert.deepEqual(planAlert(project, alert, patient({ stage: 'pnc' }), instance, NOW), {
    kind: 'remove',
    id: 7,
  });
  assert.deepEqual(
    planAlert(project, alert, patient({ stage: 'anc', edd: '2026-03-03' }, { closed: true }), instance, NOW),
    { kind: 'remove', id: 7 },
  );
  assert.deepEqual(
    planAlert(
      project,
      { ...alert, active: false },
      patient({ stage: 'anc', edd: '2026-03-03' }),
      instance,
      NOW,
    ),
    { kind: 'remove', id: 7 },
  );
});

test('an unchanged basis keeps the instance; a moved start recalculates it and keeps what was sent', () => {
  const instance = { ...created({ stage: 'anc', edd: '2026-03-03', round: '1' }), occurrences: 1 };
  assert.deepEqual(
    planAlert(
      project,
      alert,
      patient({ stage: 'anc', edd: '2026-03-03', round: '1', note: 'x' }),
      instance,
      NOW + 3_600_000,
    ),
    { kind: 'keep' },
  );
  const moved = planAlert(
    project,
    alert,
    patient({ stage: 'anc', edd: '2026-03-05', round: '1' }),
    instance,
    NOW,
  );
  assert.equal(moved.kind, 'update');
  if (moved.kind !== 'update') return;
  assert.equal(moved.patch.occurrences, 1);
  assert.equal(moved.patch.state.start, '2026-03-05');
  assert.equal(moved.patch.state.createdAt, instance.state.createdAt);
});

test('a changed restart property starts the schedule over; an unusable start removes it', () => {
  const instance = { ...created({ stage: 'anc', edd: '2026-03-03', round: '1' }), occurrences: 2 };
  const later = NOW + 86_400_000;
  const restarted = planAlert(
    project,
    alert,
    patient({ stage: 'anc', edd: '2026-03-03', round: '2' }),
    instance,
    later,
  );
  assert.equal(restarted.kind, 'update');
  if (restarted.kind !== 'update') return;
  assert.equal(restarted.patch.occurrences, 0);
  assert.equal(restarted.patch.state.createdAt, later);
  assert.deepEqual(
    planAlert(project, alert, patient({ stage: 'anc', edd: 'soon', round: '1' }), instance, NOW),
    { kind: 'remove', id: 7 },
  );
});
