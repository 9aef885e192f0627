// Security finding #1, cross-tenant inbound (SPEC 5 step 1): an SMS is processed only for the
// projects that may use the gateway it arrived on. Through project A's gateway webhook nobody can
// complete project B's verification, answer B's survey, trigger B's keywords, opt B's numbers
// out or JOIN B; the message and any reply belong to A. The same texts through B's own gateway,
// and through a global gateway, do reach B. A national sender number is read with the gateway's
// project's default_country, or a global gateway's own. On SQLite and PostgreSQL, through the
// real webhook route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { dueWork, type DueWork } from '../support/due-work.ts';
import { openApi, type TestApi } from './support.ts';

const N = {
  worker: '254712000301', // B's mobile worker, verification pending
  surveyed: '254712000302', // B's case, two-way, with an open survey
  optOut: '254712000303', // B's case, two-way
  stranger: '254712000309', // nobody's
};

for (const name of DATABASES) {
  describe(`inbound is scoped to the gateway's projects on ${name}`, () => {
    let api: TestApi;
    let due: DueWork;
    const inbound = async (gw: string, secret: string, from: string, text: string) => {
      const response = await api.app.inject({
        method: 'POST',
        url: `/gateways/${gw}/inbound`,
        headers: { 'x-caseline-secret': secret },
        payload: { from, text },
      });
      assert.equal(response.statusCode, 200, response.body);
      return response.json() as { message_id: number; outcome: string };
    };
    const work = () => due.now();
    const messagesOf = async (project: string, query = '') =>
      (
        (await api.ok('GET', `/api/v1/projects/${project}/messages${query}`)) as {
          messages: { id: number; direction: string; phone: string; text: string; kind: string }[];
        }
      ).messages;
    const sentTo = (number: string) => due.gateway.accepted.filter((a) => a.to === number).map((a) => a.text);

    before(async () => {
      api = await openApi(name);
      due = dueWork(api.t.store, api.clock);
      await api.ok('PUT', '/api/v1/projects/a', { daily_sms_limit: 0 });
      await api.ok('PUT', '/api/v1/projects/b', {
        default_country: 'KE',
        allow_case_registration: true,
      });
      await api.ok('PUT', '/api/v1/projects/a/gateways/a-gw', {
        inbound_secret: 'a-secret-0123456789',
        default: true,
      });
      await api.ok('PUT', '/api/v1/projects/b/gateways/b-gw', {
        inbound_secret: 'b-secret-0123456789',
        default: true,
      });
      await api.ok('PUT', '/api/v1/gateways/global', {
        inbound_secret: 'g-secret-0123456789',
        default_country: 'ke',
      });
      await api.ok('PUT', '/api/v1/projects/b/mobile-workers/w', { phone_numbers: [N.worker] });
      await api.ok('POST', '/api/v1/projects/b/mobile-workers/w/verifications', { number: N.worker });
      for (const [id, number] of [
        ['surveyed', N.surveyed],
        ['opt', N.optOut],
      ]) {
        await api.ok('PUT', `/api/v1/projects/b/cases/${id}`, {
          properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
        });
      }
      await api.ok('PUT', '/api/v1/projects/b/surveys/visit', {
        questions: [
          {
            id: 'ok',
            type: 'single',
            text: { '*': 'All well?' },
            choices: [{ value: 'yes', text: { '*': 'Yes' } }],
          },
        ],
      });
      await api.ok('PUT', '/api/v1/projects/b/keywords/visit', { action: 'survey', survey: 'visit' });
      await api.ok('PUT', '/api/v1/projects/b/keywords/info', { reply: { text: 'B secret info' } });
      assert.equal((await inbound('b-gw', 'b-secret-0123456789', N.surveyed, 'VISIT')).outcome, 'keyword');
      await work();
      due.gateway.accepted.length = 0;
    });
    after(() => api?.close());

    test("A's gateway cannot complete B's verification, answer B's survey, run B's keywords, opt B's numbers out or JOIN B", async () => {
      const tries = [
        [N.worker, '123'],
        [N.surveyed, '1'],
        [N.surveyed, 'INFO'],
        [N.surveyed, '#STOP'],
        [N.stranger, 'JOIN b'],
      ] as const;
      for (const [from, text] of tries)
        assert.equal(
          (await inbound('a-gw', 'a-secret-0123456789', from, text)).outcome,
          'unrecognised',
          `${from} ${text}`,
        );
      assert.equal((await inbound('a-gw', 'a-secret-0123456789', N.optOut, 'STOP')).outcome, 'opt_ignored');
      await work();

      // Nothing was sent to anyone, and B's state is as it was.
      assert.deepEqual(due.gateway.accepted, []);
      const entries = (await api.ok('GET', `/api/v1/phone-numbers/${N.worker}`)) as {
        entries: { state?: string; pending?: boolean; two_way?: boolean }[];
      };
      assert.equal(JSON.stringify(entries).includes('"pending":true'), true, JSON.stringify(entries));
      const optOut = (await api.ok('GET', `/api/v1/opt-outs/${N.optOut}`)) as { opted_out: boolean };
      assert.equal(optOut.opted_out, false);
      const session = await api.t.store.sessions.openFor('b', 'case', 'surveyed');
      assert.ok(session, 'the survey is still open');
      assert.deepEqual(session.state.answers, {});
      assert.equal((await api.call('GET', `/api/v1/projects/b/cases/sms-${N.stranger}`)).statusCode, 404);

      // The messages are A's (its log lists them), none is B's.
      const inA = await messagesOf('a', '?direction=in');
      assert.equal(inA.length, tries.length + 1);
      assert.deepEqual(inA.map((m) => m.text).sort(), ['#STOP', '1', '123', 'INFO', 'JOIN b', 'STOP'].sort());
      const inB = await messagesOf('b', '?direction=in');
      assert.deepEqual(
        inB.map((m) => m.text),
        ['VISIT'],
      );
    });

    test("the same texts through B's own gateway reach B", async () => {
      assert.equal((await inbound('b-gw', 'b-secret-0123456789', N.surveyed, '1')).outcome, 'survey_answer');
      assert.equal((await inbound('b-gw', 'b-secret-0123456789', N.worker, '123')).outcome, 'verified');
      assert.equal((await inbound('b-gw', 'b-secret-0123456789', N.surveyed, 'INFO')).outcome, 'keyword');
      await work();
      assert.deepEqual(sentTo(N.surveyed), ['B secret info']);
      assert.deepEqual(sentTo(N.worker), ['Thank you. This phone has been verified for SMS.']);
    });

    test('a global gateway reaches every project; opting out there works and belongs to the owner', async () => {
      assert.equal((await inbound('global', 'g-secret-0123456789', N.optOut, 'STOP')).outcome, 'opted_out');
      await work();
      assert.match(sentTo(N.optOut).join(), /opted out/);
      const optOut = (await api.ok('GET', `/api/v1/opt-outs/${N.optOut}`)) as { opted_out: boolean };
      assert.equal(optOut.opted_out, true);
      const inB = await messagesOf('b', '?direction=in');
      assert.ok(inB.some((m) => m.phone === N.optOut && m.text === 'STOP'));
    });

    test("a reply to an unknown number is the gateway's project's, outside its daily limit", async () => {
      assert.equal((await inbound('a-gw', 'a-secret-0123456789', N.stranger, 'STOP')).outcome, 'opted_out');
      await work();
      // Project a's daily limit is 0, yet the confirmation went: it counts only for the rate limit.
      assert.match(sentTo(N.stranger).join(), /opted out/);
      const outA = await messagesOf('a', '?direction=out');
      assert.deepEqual(
        outA.map((m) => [m.phone, m.kind]),
        [[N.stranger, 'opt_confirmation']],
      );
    });

    test("a national sender number is read with the gateway's project's country, or a global gateway's own", async () => {
      // 0712000302 is B's surveyed case in Kenya: through B's gateway (B: KE) and the global one (KE).
      assert.equal(
        (await inbound('b-gw', 'b-secret-0123456789', '0712000302', '#CURRENT')).outcome,
        'command',
      );
      const viaGlobal = await inbound('global', 'g-secret-0123456789', '0712 000 302', 'hello');
      assert.equal(viaGlobal.outcome, 'unhandled');
      // Project a has no default_country: the national number stays unknown (and A's).
      assert.equal(
        (await inbound('a-gw', 'a-secret-0123456789', '0712000302', 'hello')).outcome,
        'unrecognised',
      );
      const inA = await messagesOf('a', '?direction=in');
      assert.equal(inA[0]?.phone, '0712000302');
      const global = (await api.ok('GET', '/api/v1/gateways/global')) as { default_country: string };
      assert.equal(global.default_country, 'KE');
    });

    test("a project's gateway has no default_country of its own", async () => {
      const response = await api.call('PUT', '/api/v1/projects/a/gateways/a-gw', {
        body: { default_country: 'KE' },
      });
      assert.equal(response.statusCode, 400);
      assert.equal(response.json().error.field, 'default_country');
      const unknown = await api.call('PUT', '/api/v1/gateways/global', { body: { default_country: 'XX' } });
      assert.equal(unknown.statusCode, 400);
    });
  });
}
