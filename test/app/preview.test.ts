import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { processPendingAlerts, putAlert } from '../../src/app/scheduling/alerts.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { previewSchedule } from '../../src/app/scheduling/preview.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

for (const name of DATABASES) {
  describe(`preview on ${name}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(name);
    });
    after(() => t.close());

    test('lists the next days of an alert: local time, UTC, recipient and text, or why not', async () => {
      const deps = testDeps(t.store);
      await putProject(deps, 'p', { time_zone: 'Africa/Nairobi' });
      await putGateway(deps, 'GW', { default: true });
      await upsertCase(deps, {
        project: 'p',
        id: 'ny',
        name: 'Ann',
        properties: { contact_phone_number: '12125550100', time_zone: 'America/New_York' },
      });
      await upsertCase(deps, { project: 'p', id: 'none', properties: {} });
      await putAlert(deps, {
        project: 'p',
        id: 'daily',
        case_type: 'patient',
        criteria: [],
        schedule: { type: 'daily', time: '09:00', occurrences: 5 },
        content: { text: 'Hi {case.name}' },
      });
      while ((await processPendingAlerts(deps)) > 0);
      const lines = await previewSchedule(deps, 'p', 'daily', 2);
      assert.deepEqual(
        lines.map((l) => [l.at, l.local, l.recipient, l.text, l.error]),
        [
          // 08:00Z is 11:00 in Nairobi: today's 09:00 there has passed.
          ['2026-01-05T14:00:00.000Z', '2026-01-05 09:00', 'case:ny', 'Hi Ann', null],
          ['2026-01-06T06:00:00.000Z', '2026-01-06 09:00', 'case:none', null, 'NO_PHONE_NUMBER'],
          ['2026-01-06T14:00:00.000Z', '2026-01-06 09:00', 'case:ny', 'Hi Ann', null],
          ['2026-01-07T06:00:00.000Z', '2026-01-07 09:00', 'case:none', null, 'NO_PHONE_NUMBER'],
        ],
      );
      assert.equal(await t.store.messages.countWaiting('p'), 0, 'a preview queues nothing');
    });
  });
}
