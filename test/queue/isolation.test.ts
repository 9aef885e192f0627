// Issue 14 finding 2: one project's broken due work never stalls the others. Broken rows of
// project A are planted straight into the database (as a hand edit or an old bug would leave
// them, past the API's checks); project B's work due at the same instant still goes out, A's
// items are marked in error with their reason, and each is logged once, not every round.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { handleInbound } from '../../src/app/inbound/inbound.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { TestGateway } from '../../src/gateways/test/test.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { DATABASES } from '../support/databases.ts';
import { openApi, type TestApi } from '../http/support.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NUMBER = {
  a: '254711000001',
  b: '254711000002',
  c: '254711000003',
  d: '254711000004',
  f: '254711000006',
};

type Logged = { item: { kind: string; id: unknown; projectId: string | null }; reason: string };

/** A worker's due work on the test API's store, its failures logged into a list. */
function worker(api: TestApi) {
  const log: Logged[] = [];
  const gateway = new TestGateway(api.clock);
  const deps = {
    store: api.t.store,
    clock: api.clock,
    adapters: () => gateway,
    mailer: new RecordingMailer(api.clock),
    workerId: 'test',
    log: { error: (obj: object) => log.push(obj as Logged) },
  };
  const rounds = async () => {
    while ((await runDueWork(deps)) > 0);
  };
  return { log, gateway, rounds };
}

/** Projects in UTC, each with its own default test gateway `gw-<project>`. */
async function projects(api: TestApi, ids: readonly string[]): Promise<void> {
  for (const project of ids) {
    await api.ok('PUT', `/api/v1/projects/${project}`, { time_zone: 'UTC' });
    await api.ok('PUT', `/api/v1/projects/${project}/gateways/gw-${project}`, {
      type: 'test',
      default: true,
    });
  }
}

for (const name of DATABASES) {
  describe(`due work item by item on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name);
    });
    after(() => api?.close());

    test("project A's broken instances are marked in error, logged once; B's messages go out", async () => {
      const db = api.t.db.kysely;
      await projects(api, ['pa', 'pb']);
      await api.ok('PUT', '/api/v1/projects/pa/cases/ca', {
        type: 'mother',
        properties: { contact_phone_number: `+${NUMBER.a}`, edd: '2026-01-01' },
      });
      await api.ok('PUT', '/api/v1/projects/pb/cases/cb', {
        type: 'mother',
        properties: { contact_phone_number: `+${NUMBER.b}` },
      });
      const daily = { type: 'daily', time: '09:00' };
      const broadcast = (to: string) => ({
        recipients: [{ case: to }],
        schedule: daily,
        content: { text: 'tip' },
      });
      // A: three broadcasts and an alert, all due at 09:00 like B's broadcast.
      for (const id of ['bad-json', 'huge-every', 'bad-state'])
        await api.ok('PUT', `/api/v1/projects/pa/broadcasts/${id}`, broadcast('ca'));
      await api.ok('PUT', '/api/v1/projects/pa/alerts/al', {
        case_type: 'mother',
        criteria: [],
        schedule: daily,
        content: { text: 'alert' },
      });
      await api.ok('PUT', '/api/v1/projects/pb/broadcasts/fine', broadcast('cb'));

      const { log, gateway, rounds } = worker(api);
      await rounds(); // the alert's processing of existing cases
      // The plants, past the API: a definition that is not JSON, a number far past its bound, an
      // instance state that is not JSON, and an alert whose `every` is far past its bound.
      await sql`UPDATE broadcasts SET definition = ${'{"schedule": {'} WHERE project_id = 'pa' AND id = 'bad-json'`.execute(
        db,
      );
      await sql`UPDATE broadcasts SET definition = ${JSON.stringify({ ...broadcast('ca'), schedule: { ...daily, every: 1e12 } })}
        WHERE project_id = 'pa' AND id = 'huge-every'`.execute(db);
      await sql`UPDATE schedule_instances SET state = ${'not json'} WHERE project_id = 'pa' AND source_id = 'bad-state'`.execute(
        db,
      );
      await sql`UPDATE alerts SET definition = ${JSON.stringify({ case_type: 'mother', criteria: [], schedule: { ...daily, every: 2 ** 60 }, content: { text: 'x' } })}
        WHERE project_id = 'pa' AND id = 'al'`.execute(db);

      api.clock.set(api.clock.now() + HOUR); // 09:00
      await rounds();
      assert.deepEqual(
        gateway.accepted.map((a) => [a.to, a.text]),
        [[NUMBER.b, 'tip']],
        "B's broadcast went out at 09:00",
      );
      const instances = (
        await sql<{ source_id: string; next_due_at: number | null; error_text: string | null }>`
          SELECT source_id, next_due_at, error_text FROM schedule_instances WHERE project_id = 'pa' ORDER BY source_id`.execute(
          db,
        )
      ).rows;
      const byId = Object.fromEntries(instances.map((row) => [row.source_id, row]));
      for (const id of ['bad-json', 'huge-every', 'al']) {
        assert.equal(byId[id]?.next_due_at, null, `${id} left the due queue`);
        assert.match(byId[id]?.error_text ?? '', /\w/, `${id} keeps its reason`);
      }
      assert.match(byId['bad-json']?.error_text ?? '', /JSON/);
      // A state that does not parse reads as none: the instance leaves the queue quietly.
      assert.equal(byId['bad-state']?.next_due_at, null);
      const failed = log.map((entry) => `${entry.item.kind} ${entry.item.projectId}`);
      assert.deepEqual(failed, Array(3).fill('schedule_instance pa'), JSON.stringify(log));

      // The next day: B goes on, A's broken items are neither retried nor logged again.
      api.clock.set(api.clock.now() + DAY);
      await rounds();
      assert.equal(gateway.accepted.filter((a) => a.to === NUMBER.b).length, 2);
      assert.equal(gateway.accepted.filter((a) => a.to === NUMBER.a).length, 0);
      assert.equal(log.length, 3, 'each broken item is logged once');

      // Saving the broadcast again through the API recomputes it and clears the reason.
      await api.ok('PUT', '/api/v1/projects/pa/broadcasts/huge-every', broadcast('ca'));
      const fixed = (
        await sql<{ next_due_at: number | null; error_text: string | null }>`
          SELECT next_due_at, error_text FROM schedule_instances WHERE project_id = 'pa' AND source_id = 'huge-every'`.execute(
          db,
        )
      ).rows[0];
      assert.notEqual(fixed?.next_due_at, null);
      assert.equal(fixed?.error_text, null);
    });

    test('a stored inbound SMS and a survey session that fail as due work are marked in error once; the round goes on', async () => {
      const db = api.t.db.kysely;
      await api.ok('PUT', '/api/v1/gateways/gw-all', {
        type: 'test',
        inbound_secret: 'an-inbound-secret-16',
      });
      await projects(api, ['pc', 'pd']);
      await api.ok('PUT', '/api/v1/projects/pc/cases/cc', {
        properties: { contact_phone_number: `+${NUMBER.c}`, contact_phone_number_is_verified: '1' },
      });
      await api.ok('PUT', '/api/v1/projects/pd/cases/cd', {
        properties: { contact_phone_number: `+${NUMBER.d}` },
      });
      await api.ok('POST', '/api/v1/projects/pd/messages', { to: { case: 'cd' }, text: 'still going' });
      // Project C's settings no longer parse: the SMS is stored (the global gateway's check does
      // not read them) but handling it throws, on arrival and again as due work.
      await sql`UPDATE projects SET settings = ${'{broken'} WHERE id = 'pc'`.execute(db);
      // And a survey session of C, planted due now, whose survey's definition does not parse.
      await sql`INSERT INTO surveys (project_id, id, definition, created_at, updated_at)
        VALUES ('pc', 'sv', ${'{broken'}, 0, 0)`.execute(db);
      const now = api.clock.now();
      await db
        .insertInto('survey_sessions')
        .values({
          ...{ project_id: 'pc', survey_id: 'sv', contact_kind: 'case', contact_id: 'cc' },
          ...{ number: NUMBER.c, gateway_id: 'gw-pc', state: '{}', open: 1, ended_at: null },
          ...{ expires_at: now + DAY, next_reminder_at: now, created_at: now, updated_at: now },
        })
        .execute();
      const deps = { store: api.t.store, clock: api.clock };
      await assert.rejects(handleInbound(deps, { gateway: 'gw-all', from: `+${NUMBER.c}`, text: 'hello' }));
      const { log, gateway, rounds } = worker(api);
      await rounds();
      // (Project A's repaired broadcast of the test before may fire too: only C and D count here.)
      const ours = gateway.accepted.filter((a) => a.to === NUMBER.c || a.to === NUMBER.d);
      assert.deepEqual(
        ours.map((a) => [a.to, a.text]),
        [[NUMBER.d, 'still going']],
      );
      const stored = (
        await sql<{ outcome: string | null; error_text: string | null; due_at: number | null }>`
          SELECT outcome, error_text, due_at FROM messages WHERE direction = 'in' AND phone = ${NUMBER.c}`.execute(
          db,
        )
      ).rows;
      assert.equal(stored.length, 1, 'the SMS is kept');
      assert.equal(stored[0]?.outcome, 'error');
      assert.equal(stored[0]?.due_at, null);
      assert.match(stored[0]?.error_text ?? '', /JSON/);
      assert.deepEqual(log.map((entry) => entry.item.kind).sort(), ['inbound_message', 'survey_session']);
      const session = await db
        .selectFrom('survey_sessions')
        .select(['status', 'open'])
        .where('survey_id', '=', 'sv')
        .executeTakeFirst();
      assert.deepEqual(session, { status: 'closed', open: 0 }, 'the session is closed, not due again');
      api.clock.set(api.clock.now() + HOUR);
      await rounds();
      assert.equal(log.length, 2, 'logged once each');
    });

    test('an alert whose processing cannot run is stopped and logged once; the round goes on', async () => {
      const db = api.t.db.kysely;
      await projects(api, ['pe', 'pf']);
      await api.ok('PUT', '/api/v1/projects/pf/cases/cf', {
        properties: { contact_phone_number: `+${NUMBER.f}` },
      });
      await api.ok('POST', '/api/v1/projects/pf/messages', { to: { case: 'cf' }, text: 'not stalled' });
      // Saved, so its existing cases wait to be processed; then its definition is broken by hand.
      await api.ok('PUT', '/api/v1/projects/pe/alerts/ae', {
        case_type: 'mother',
        criteria: [],
        schedule: { type: 'daily', time: '09:00' },
        content: { text: 'x' },
      });
      await sql`UPDATE alerts SET definition = ${'{broken'} WHERE project_id = 'pe'`.execute(db);
      const { log, gateway, rounds } = worker(api);
      await rounds();
      assert.deepEqual(
        gateway.accepted.filter((a) => a.to === NUMBER.f).map((a) => a.text),
        ['not stalled'],
      );
      const row = await db
        .selectFrom('alerts')
        .select('processing_pending')
        .where('project_id', '=', 'pe')
        .executeTakeFirst();
      assert.equal(row?.processing_pending, 0, 'no longer waiting');
      assert.deepEqual(
        log.map((entry) => `${entry.item.kind} ${entry.item.projectId}`),
        ['alert_processing pe'],
      );
      api.clock.set(api.clock.now() + HOUR);
      await rounds();
      assert.equal(log.length, 1, 'logged once');
    });
  });
}
