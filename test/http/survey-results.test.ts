// End to end (SPEC 5.1, 7): a survey with branching run by SMS through the webhook of a `test`
// gateway, its questions delivered by the real queue to that gateway; the answers land in the
// case (through the case upsert) and in the results: the sessions API, per survey and per
// contact, and the CSV and XLSX exports. On both databases.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import ExcelJS from 'exceljs';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from './support.ts';

const P = '/api/v1/projects/anc';

for (const name of DATABASES) {
  describe(`a branching survey by SMS, end to end, on ${name}`, () => {
    let api: TestApi;
    let gateway: TestGateway;
    /** Delivers what is queued through the test gateway, as a worker would. */
    let deliver: () => Promise<string[]>;
    /** An SMS arriving at the gateway's webhook. */
    let inbound: (from: string, text: string) => Promise<void>;

    before(async () => {
      api = await openApi(name);
      gateway = new TestGateway(api.clock);
      const deps = {
        store: api.t.store,
        clock: api.clock,
        adapters: (type: string) => (type === 'test' ? gateway : null),
        mailer: new RecordingMailer(api.clock),
        workerId: 'e2e',
      };
      deliver = async () => {
        const seen = gateway.accepted.length;
        while ((await runDueWork(deps)) > 0);
        return gateway.accepted.slice(seen).map((sms) => `${sms.to}: ${sms.text}`);
      };
      inbound = async (from, text) => {
        const response = await api.app.inject({
          method: 'POST',
          url: '/gateways/GW/inbound?secret=e2e-secret-0123456789',
          payload: { from, text },
        });
        assert.equal(response.statusCode, 200, response.body);
      };
      await api.ok('PUT', P, { time_zone: 'Africa/Nairobi' });
      await api.ok('PUT', `${P}/gateways/GW`, {
        type: 'test',
        default: true,
        inbound_secret: 'e2e-secret-0123456789',
      });
      await api.ok('PUT', `${P}/surveys/visit`, {
        questions: [
          { id: 'hi', type: 'label', text: 'Antenatal check.' },
          {
            id: 'pregnant',
            type: 'single',
            text: 'Are you pregnant?',
            choices: [
              { value: 'yes', text: 'Yes' },
              { value: 'no', text: 'No' },
            ],
            save_to: 'pregnant',
          },
          {
            id: 'weeks',
            type: 'int',
            text: 'How many weeks?',
            show_if: { question: 'pregnant', op: 'equals', value: 'yes' },
            save_to: 'weeks',
          },
          {
            id: 'plan',
            type: 'text',
            text: 'Any family planning method?',
            show_if: { question: 'pregnant', op: 'equals', value: 'no' },
            save_to: 'fp_method',
          },
          { id: 'bye', type: 'label', text: 'Thank you!' },
        ],
      });
      await api.ok('PUT', `${P}/keywords/ANC`, { action: 'survey', survey: 'visit' });
      for (const [id, number] of [
        ['amina', '254711000901'],
        ['beatrice', '254711000902'],
      ])
        await api.ok('PUT', `${P}/cases/${id}`, {
          name: id,
          properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
        });
    });
    after(() => api.close());

    test('each branch asks its own question; the answers reach the case', async () => {
      await inbound('+254711000901', 'anc');
      assert.deepEqual(await deliver(), ['254711000901: Antenatal check. Are you pregnant? 1:Yes 2:No']);
      await inbound('254711000901', 'yes');
      assert.deepEqual(await deliver(), ['254711000901: How many weeks?']);
      await inbound('254711000901', 'twenty');
      assert.deepEqual(await deliver(), ['254711000901: Invalid integer entered. How many weeks?']);
      await inbound('254711000901', '20');
      assert.deepEqual(await deliver(), ['254711000901: Thank you!']);

      await inbound('254711000902', 'ANC');
      await inbound('254711000902', '2');
      await inbound('254711000902', 'Implant');
      assert.deepEqual(await deliver(), [
        '254711000902: Antenatal check. Are you pregnant? 1:Yes 2:No',
        '254711000902: Any family planning method?',
        '254711000902: Thank you!',
      ]);

      const amina = await api.ok('GET', `${P}/cases/amina`);
      assert.deepEqual([amina.properties.pregnant, amina.properties.weeks], ['yes', '20']);
      const beatrice = await api.ok('GET', `${P}/cases/beatrice`);
      assert.deepEqual([beatrice.properties.pregnant, beatrice.properties.fp_method], ['no', 'Implant']);
      assert.equal(beatrice.properties.weeks, undefined);
    });

    test('the sessions API lists each session with its status and answers, per survey and per contact', async () => {
      const page = await api.ok('GET', `${P}/surveys/visit/sessions?limit=1`);
      assert.equal(page.sessions.length, 1);
      assert.deepEqual(page.sessions[0].answers, { pregnant: 'yes', weeks: '20' });
      assert.equal(page.sessions[0].status, 'completed');
      assert.deepEqual(page.sessions[0].contact, { kind: 'case', id: 'amina' });
      const next = await api.ok('GET', `${P}/surveys/visit/sessions?limit=1&cursor=${page.next_cursor}`);
      assert.deepEqual(next.sessions[0].answers, { pregnant: 'no', plan: 'Implant' });
      assert.equal(next.next_cursor, null);
      const mine = await api.ok('GET', `${P}/survey-sessions?case=beatrice`);
      assert.deepEqual(
        mine.sessions.map((s: { survey: string; status: string }) => [s.survey, s.status]),
        [['visit', 'completed']],
      );
      const bad = await api.call('GET', `${P}/survey-sessions?case=a&mobile_worker=b`);
      assert.equal(bad.statusCode, 400);
      assert.equal((await api.call('GET', `${P}/surveys/nope/sessions`)).statusCode, 404);
    });

    test('the CSV and XLSX exports hold a row per session, a column per question', async () => {
      const csv = await api.call('GET', `${P}/surveys/visit/results.csv`);
      assert.equal(csv.statusCode, 200, csv.body);
      assert.match(csv.headers['content-type'] as string, /^text\/csv/);
      const lines = csv.body
        .replace(/^\ufeff/, '')
        .trim()
        .split('\r\n');
      assert.equal(
        lines[0],
        'session,contact_kind,contact_id,status,started_at,ended_at,pregnant,weeks,plan',
      );
      assert.match(
        lines[1] ?? '',
        /^\d+,case,amina,completed,2026-01-05T08:00:00.000Z,2026-01-05T08:00:00.000Z,yes,20,$/,
      );
      assert.match(lines[2] ?? '', /^\d+,case,beatrice,completed,.*,no,,Implant$/);
      assert.equal(lines.length, 3);

      const xlsx = await api.call('GET', `${P}/surveys/visit/results.xlsx`);
      assert.equal(xlsx.statusCode, 200);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      assert.ok(sheet);
      const rows: unknown[][] = [];
      sheet.eachRow((row) => rows.push(Array.from((row.values as unknown[]).slice(1), (v) => v ?? null)));
      assert.deepEqual(rows[0], [
        'session',
        'contact_kind',
        'contact_id',
        'status',
        'started_at',
        'ended_at',
        'pregnant',
        'weeks',
        'plan',
      ]);
      assert.deepEqual(rows[1]?.slice(1, 4), ['case', 'amina', 'completed']);
      assert.deepEqual(rows[1]?.slice(6), ['yes', '20']);
      assert.deepEqual(rows[2]?.slice(6), ['no', null, 'Implant']);
    });
  });
}
