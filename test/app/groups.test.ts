// Groups as recipients: a broadcast to a group reaches each member; an alert to a case owner that
// is a group of mobile workers reaches each worker.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { putAlert } from '../../src/app/scheduling/alerts.ts';
import { putBroadcast } from '../../src/app/scheduling/broadcasts.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { putGroup } from '../../src/app/contacts/groups.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { InputError } from '../../src/lib/input.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import { createScenarioEngine } from '../../src/conformance/engine.ts';
import { DATABASES, POSTGRES_URL, START } from '../support/databases.ts';

for (const name of DATABASES) {
  describe(`groups on ${name}`, () => {
    test('broadcast and alert recipients expand groups to their members', async () => {
      const engine = await createScenarioEngine(START, name === 'postgres' ? POSTGRES_URL : undefined);
      try {
        const { deps } = engine;
        await putProject(deps, 'p', {});
        await putGateway(deps, 'GW', { default: true });
        await upsertCase(deps, {
          project: 'p',
          id: 'a',
          properties: { contact_phone_number: '254712000001' },
        });
        await upsertCase(deps, {
          project: 'p',
          id: 'b',
          properties: { contact_phone_number: '254712000002' },
        });
        await upsertMobileWorker(deps, { project: 'p', id: 'w1', phone_numbers: ['255754000111'] });
        await upsertMobileWorker(deps, { project: 'p', id: 'w2', phone_numbers: ['255754000222'] });
        await putGroup(deps, 'p', 'households', { kind: 'case', members: ['a', 'b', 'a'] });
        await putGroup(deps, 'p', 'team', { kind: 'mobile_worker', members: ['w1', 'w2'] });

        await putBroadcast(deps, {
          project: 'p',
          id: 'bc',
          recipients: [{ group: 'households' }, { case: 'a' }],
          schedule: { type: 'immediate' },
          content: { text: 'to all' },
        });
        await engine.settle(engine.clock.now());
        assert.deepEqual(engine.gateway.accepted.map((m) => m.to).sort(), ['254712000001', '254712000002']);

        await putAlert(deps, {
          project: 'p',
          id: 'al',
          case_type: 'visit',
          criteria: [],
          recipients: ['owner'],
          schedule: { type: 'immediate' },
          content: { text: 'visit {case.name}' },
        });
        await upsertCase(deps, {
          project: 'p',
          id: 'v',
          type: 'visit',
          name: 'Amina',
          owner: 'team',
          properties: {},
        });
        await engine.settle(engine.clock.now());
        assert.deepEqual(
          engine.gateway.accepted
            .slice(2)
            .map((m) => [m.to, m.text])
            .sort(),
          [
            ['255754000111', 'visit Amina'],
            ['255754000222', 'visit Amina'],
          ],
        );

        await assert.rejects(
          putBroadcast(deps, {
            project: 'p',
            id: 'bad',
            recipients: [{ group: 'nope' }],
            schedule: { type: 'immediate' },
            content: { text: 'x' },
          }),
          (error: unknown) => error instanceof InputError && error.field === 'recipients[0].group',
        );
      } finally {
        await engine.close();
      }
    });
  });
}
