// Surveys started by a broadcast or an alert need a two-way number (SPEC 5).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { putAlert } from '../../src/app/scheduling/alerts.ts';
import { putBroadcast } from '../../src/app/scheduling/broadcasts.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { handleInbound } from '../../src/app/inbound/inbound.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { putSurvey } from '../../src/app/surveys/surveys.ts';
import { createScenarioEngine } from '../../src/conformance/engine.ts';
import { DATABASES, POSTGRES_URL, START } from '../support/databases.ts';

for (const name of DATABASES) {
  describe(`surveys from schedules on ${name}`, () => {
    test('a broadcast starts the survey with two-way contacts only; the answer updates the case', async () => {
      const engine = await createScenarioEngine(START, name === 'postgres' ? POSTGRES_URL : undefined);
      try {
        const { deps } = engine;
        const settle = () => engine.settle(engine.clock.now());
        await putProject(deps, 'p', {});
        await putGateway(deps, 'GW', { default: true });
        await putSurvey(deps, 'p', 'weight', {
          questions: [{ id: 'kg', type: 'int', text: { '*': 'Weight in kg?' }, save_to: 'weight' }],
        });
        await upsertCase(deps, {
          project: 'p',
          id: 'two',
          properties: { contact_phone_number: '254712345678', contact_phone_number_is_verified: '1' },
        });
        await upsertCase(deps, {
          project: 'p',
          id: 'one',
          properties: { contact_phone_number: '254712345679' },
        });
        await putBroadcast(deps, {
          project: 'p',
          id: 'b',
          recipients: [{ case: 'two' }, { case: 'one' }, { phone: '27821234567' }],
          schedule: { type: 'immediate' },
          content: { survey: 'weight' },
        });
        await settle();
        assert.deepEqual(
          engine.gateway.accepted.map((a) => [a.to, a.text]),
          [['254712345678', 'Weight in kg?']],
        );
        assert.equal(
          await deps.store.events.countSubEventErrors('p', 'case', 'one', 'NO_TWO_WAY_PHONE_NUMBER'),
          1,
        );
        assert.equal(
          await deps.store.events.countSubEventErrors('p', 'phone', '27821234567', 'NO_TWO_WAY_PHONE_NUMBER'),
          1,
        );
        await handleInbound(deps, { gateway: 'GW', from: '254712345678', text: '63' });
        await settle();
        assert.equal((await deps.store.cases.get('p', 'two'))?.properties.weight, '63');
      } finally {
        await engine.close();
      }
    });

    test('an alert starts the survey when the case matches', async () => {
      const engine = await createScenarioEngine(START, name === 'postgres' ? POSTGRES_URL : undefined);
      try {
        const { deps } = engine;
        await putProject(deps, 'p', {});
        await putGateway(deps, 'GW', { default: true });
        await putSurvey(deps, 'p', 'feel', {
          questions: [
            {
              id: 'f',
              type: 'single',
              text: { '*': 'How do you feel?' },
              choices: [
                { value: 'good', text: { '*': 'Good' } },
                { value: 'bad', text: { '*': 'Bad' } },
              ],
              save_to: 'feeling',
            },
          ],
        });
        await putAlert(deps, {
          project: 'p',
          id: 'ask',
          case_type: 'patient',
          criteria: [{ property: 'ask', op: 'equals', value: 'yes' }],
          schedule: { type: 'immediate' },
          content: { survey: 'feel' },
        });
        await upsertCase(deps, {
          project: 'p',
          id: 'c',
          properties: {
            contact_phone_number: '254712345678',
            contact_phone_number_is_verified: '1',
            ask: 'yes',
          },
        });
        await engine.settle(engine.clock.now());
        assert.equal(engine.gateway.accepted.length, 1);
        assert.match(engine.gateway.accepted[0]?.text ?? '', /How do you feel\?/);
        await handleInbound(deps, { gateway: 'GW', from: '254712345678', text: '2' });
        assert.equal((await deps.store.cases.get('p', 'c'))?.properties.feeling, 'bad');
      } finally {
        await engine.close();
      }
    });
  });
}
