// Preview (SPEC 4.2): every recipient of an instance — the case, its owner, a group owner's
// members, its parent — with its own local times and the text rendered for it (`{case.…}` the
// alert's case for each); a custom schedule shows each event's own content.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { processPendingAlerts, putAlert } from '../../src/app/scheduling/alerts.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import { putGroup } from '../../src/app/contacts/groups.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { previewSchedule } from '../../src/app/scheduling/preview.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

for (const name of DATABASES) {
  describe(`preview of every recipient on ${name}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(name);
    });
    after(() => t.close());

    test("each recipient's own zone and text; a custom schedule's events with their own content", async () => {
      const deps = testDeps(t.store);
      await putProject(deps, 'p', { time_zone: 'Africa/Nairobi' });
      await putGateway(deps, 'GW', { default: true });
      await upsertMobileWorker(deps, {
        project: 'p',
        id: 'ny',
        name: 'Nia Smith',
        phone_numbers: ['12125550100'],
        time_zone: 'America/New_York',
      });
      await upsertMobileWorker(deps, {
        project: 'p',
        id: 'ld',
        name: 'Lou',
        phone_numbers: ['447700900100'],
        time_zone: 'Europe/London',
      });
      await putGroup(deps, 'p', 'team', { kind: 'mobile_worker', members: ['ny', 'ld'] });
      await upsertCase(deps, {
        project: 'p',
        id: 'mum',
        type: 'mother',
        name: 'Halima',
        properties: { contact_phone_number: '254711000100' },
      });
      await upsertCase(deps, {
        project: 'p',
        id: 'kid',
        type: 'child',
        name: 'Zawadi',
        owner: 'team',
        properties: {},
        indices: { parent: { case_type: 'mother', case_id: 'mum' } },
      });
      await putAlert(deps, {
        project: 'p',
        id: 'course',
        case_type: 'child',
        criteria: [],
        recipients: ['case', 'owner', 'parent'],
        schedule: {
          type: 'custom_daily',
          events: [
            { day: 1, time: '12:00', content: { text: 'Day one for {case.name}, {recipient.first_name}' } },
            { day: 2, time: '09:00', content: { text: 'Day two' } },
          ],
        },
      });
      while ((await processPendingAlerts(deps)) > 0);
      const lines = await previewSchedule(deps, 'p', 'course', 3);
      assert.deepEqual(
        lines.map((l) => [l.at, l.local, l.zone, l.recipient, l.text ?? l.error]),
        [
          ['2026-01-05T09:00:00.000Z', '2026-01-05 12:00', 'Africa/Nairobi', 'case:kid', 'NO_PHONE_NUMBER'],
          [
            '2026-01-05T09:00:00.000Z',
            '2026-01-05 12:00',
            'Africa/Nairobi',
            'case:mum',
            'Day one for Zawadi, Halima',
          ],
          [
            '2026-01-05T12:00:00.000Z',
            '2026-01-05 12:00',
            'Europe/London',
            'mobile_worker:ld',
            'Day one for Zawadi, Lou',
          ],
          [
            '2026-01-05T17:00:00.000Z',
            '2026-01-05 12:00',
            'America/New_York',
            'mobile_worker:ny',
            'Day one for Zawadi, Nia',
          ],
          ['2026-01-06T06:00:00.000Z', '2026-01-06 09:00', 'Africa/Nairobi', 'case:kid', 'NO_PHONE_NUMBER'],
          ['2026-01-06T06:00:00.000Z', '2026-01-06 09:00', 'Africa/Nairobi', 'case:mum', 'Day two'],
          ['2026-01-06T09:00:00.000Z', '2026-01-06 09:00', 'Europe/London', 'mobile_worker:ld', 'Day two'],
          ['2026-01-06T14:00:00.000Z', '2026-01-06 09:00', 'America/New_York', 'mobile_worker:ny', 'Day two'],
        ],
      );
    });
  });
}
