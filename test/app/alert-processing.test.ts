// Processing an alert over existing cases a page at a time (SPEC 4): every open matching case
// gets one instance, an edit recalculates the existing ones in place (no second instance), and
// a case that stopped matching loses its instance — with pages smaller than the case count.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { putAlert, processPendingAlerts } from '../../src/app/scheduling/alerts.ts';
import { upsertCases, parseCaseItems } from '../../src/app/contacts/case-batch.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, START, testDeps, type TestDb } from '../support/databases.ts';

const alertAt = (time: string) => ({
  project: 'p',
  id: 'remind',
  case_type: 'patient',
  criteria: [{ property: 'stage', op: 'equals' as const, value: 'anc' }],
  schedule: { type: 'daily' as const, time, occurrences: 2 },
  content: { text: 'Clinic day' },
});

for (const name of DATABASES) {
  describe(`alert processing on ${name}`, () => {
    let db: TestDb;
    beforeEach(async () => {
      db = await openTestDb(name);
    });
    afterEach(async () => db.close());

    const instances = async () =>
      (
        await db.db.kysely
          .selectFrom('schedule_instances')
          .select(['subject_key', 'next_due_at'])
          .where('source_id', '=', 'remind')
          .orderBy('subject_key')
          .execute()
      ).map((row) => [row.subject_key, row.next_due_at] as const);

    test('pages of two: instances for matching cases, recalculated in place on an edit', async () => {
      const deps = testDeps(db.store);
      await putProject(deps, 'p', { time_zone: 'UTC' });
      const cases = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7'].map((id, i) => ({
        id,
        type: 'patient',
        properties: { stage: i === 2 ? 'pnc' : 'anc' },
      }));
      await upsertCases(deps, 'p', parseCaseItems(cases));
      await putAlert(deps, alertAt('09:00'));
      let rounds = 0;
      while ((await processPendingAlerts(deps, 2)) > 0) rounds++;
      assert.equal(rounds, 4, 'seven cases in pages of two');
      const at9 = Date.parse('2026-01-05T09:00:00Z');
      assert.ok(at9 > START);
      assert.deepEqual(
        await instances(),
        ['c1', 'c2', 'c4', 'c5', 'c6', 'c7'].map((id) => [id, at9]),
      );

      // Between the edit and its processing c4 leaves the criteria (its instance goes at once)
      // and c3 enters them (it gets one at once): processing then leaves them as they are.
      await putAlert(deps, alertAt('10:30'));
      await upsertCase(deps, { project: 'p', id: 'c4', properties: { stage: 'pnc' } });
      await upsertCase(deps, { project: 'p', id: 'c3', properties: { stage: 'anc' } });
      while ((await processPendingAlerts(deps, 2)) > 0);
      const at1030 = Date.parse('2026-01-05T10:30:00Z');
      assert.deepEqual(
        await instances(),
        ['c1', 'c2', 'c3', 'c5', 'c6', 'c7'].map((id) => [id, at1030]),
      );
    });
  });
}
