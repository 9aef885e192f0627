// Bad input to the use cases (SPEC 7: "Bad input answers 400 with a field-level message and
// changes nothing"): an InputError whose field names the problem, and every table as it was.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { contactStatus } from '../../src/app/contacts/contacts.ts';
import type { Deps } from '../../src/app/ports/deps.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { CaseBody } from '../../src/app/contacts/schemas.ts';
import { gatewayBody } from '../../src/app/gateways/schemas.ts';
import { GATEWAY_TYPES } from '../../src/gateways/registry.ts';
import { SendBody } from '../../src/app/sending/schemas.ts';
import { sendMessage } from '../../src/app/sending/send.ts';
import { InputError, parseInput } from '../../src/lib/input.ts';
import { startVerification } from '../../src/app/registry/verification.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import type { Db } from '../../src/db/dialect.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

const GatewayBody = gatewayBody(GATEWAY_TYPES);

/** Every row of every table, as sorted JSON lines per table. */
async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const query =
    db.dialect.name === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`;
  const tables = (await query.execute(db.kysely)).rows.map((row) => row.name).sort();
  assert.ok(tables.length >= 10, `expected the whole schema, found tables ${tables.join(', ')}`);
  const result: Record<string, string[]> = {};
  for (const table of tables) {
    const rows = (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(table)}`.execute(db.kysely))
      .rows;
    result[table] = rows.map((row) => JSON.stringify(row)).sort();
  }
  return result;
}

/** Runs `action`, expects an InputError naming `field`, and checks that no row changed. */
async function rejectsUnchanged(
  db: Db,
  action: () => Promise<unknown>,
  field: string,
  message?: RegExp,
): Promise<void> {
  const before = await snapshot(db);
  await assert.rejects(action, (error: unknown) => {
    assert.ok(error instanceof InputError, `expected an InputError, got ${String(error)}`);
    assert.equal(error.field, field, `field of "${error.message}"`);
    if (message) assert.match(error.message, message);
    return true;
  });
  assert.deepEqual(await snapshot(db), before);
}

/** What the API does with a case body: check it against the schema, then upsert. */
async function upsertCaseBody(deps: Deps, project: string, id: string, body: unknown) {
  return upsertCase(deps, { project, id, ...parseInput(CaseBody, body) });
}

const KE_NUMBER = '+254 712 345 678';
const KE_DIGITS = '254712345678';

for (const name of DATABASES) {
  describe(name, () => {
    let t: TestDb;
    let deps: ReturnType<typeof testDeps>;

    before(async () => {
      t = await openTestDb(name);
      deps = testDeps(t.store);
      await putProject(deps, 'p1', { time_zone: 'Africa/Nairobi', default_country: 'KE' });
      await putProject(deps, 'p2', {});
      await upsertCase(deps, {
        project: 'p1',
        id: 'c1',
        name: 'Amina',
        properties: { contact_phone_number: KE_NUMBER, notes: 'first' },
      });
      await upsertMobileWorker(deps, {
        project: 'p1',
        id: 'w1',
        name: 'Wanjiru',
        phone_numbers: ['+254 722 000 111', '+254 733 000 222'],
      });
      await putGateway(deps, 'g1', { project: 'p1', type: 'test', default: true, prefixes: ['2547'] });
      await putGateway(deps, 'g2', { project: 'p1', type: 'test', prefixes: ['25473'] });
    });
    after(() => t.close());

    test('the snapshot sees a valid change (control for the tests below)', async () => {
      const before = await snapshot(t.db);
      const outcome = await upsertCaseBody(deps, 'p1', 'c1', { properties: { notes: 'second' } });
      assert.equal(outcome.status, 'updated');
      assert.notDeepEqual(await snapshot(t.db), before);
      await upsertCaseBody(deps, 'p1', 'c1', { properties: { notes: 'first' } });
    });

    describe('an unknown project', () => {
      test('upsertCase', async () => {
        await rejectsUnchanged(
          t.db,
          () =>
            upsertCase(deps, {
              project: 'nope',
              id: 'c9',
              properties: { contact_phone_number: '+254 711 111 111', contact_phone_number_is_verified: '1' },
            }),
          'project',
          /nope/,
        );
      });

      test('upsertMobileWorker', async () => {
        await rejectsUnchanged(
          t.db,
          () => upsertMobileWorker(deps, { project: 'nope', id: 'w9', phone_numbers: ['+254 711 111 111'] }),
          'project',
          /nope/,
        );
      });

      test('sendMessage', async () => {
        await rejectsUnchanged(
          t.db,
          () => sendMessage(deps, { project: 'nope', to: { phone: KE_NUMBER }, text: 'hello' }),
          'project',
          /nope/,
        );
      });

      test('startVerification', async () => {
        await rejectsUnchanged(
          t.db,
          () => startVerification(deps, { project: 'nope', mobile_worker: 'w1', number: '+254 722 000 111' }),
          'project',
          /nope/,
        );
      });
    });

    describe('project settings', () => {
      test('a time_zone that is not an IANA name, for a new and for an existing project', async () => {
        await rejectsUnchanged(
          t.db,
          () => putProject(deps, 'p3', { time_zone: 'Mars/Olympus_Mons' }),
          'time_zone',
          /Mars\/Olympus_Mons/,
        );
        await rejectsUnchanged(
          t.db,
          () => putProject(deps, 'p1', { time_zone: 'EST5EDT-ish', default_language: 'fr' }),
          'time_zone',
        );
      });

      test('a default_country that is not ISO 3166 alpha-2', async () => {
        await rejectsUnchanged(
          t.db,
          () => putProject(deps, 'p3', { default_country: 'XX' }),
          'default_country',
          /XX/,
        );
        await rejectsUnchanged(
          t.db,
          () => putProject(deps, 'p1', { default_country: 'USA' }),
          'default_country',
        );
      });
    });

    describe('a case body that fails the schema', () => {
      test('a property value that is not a string', async () => {
        await rejectsUnchanged(
          t.db,
          () => upsertCaseBody(deps, 'p1', 'c1', { properties: { notes: 'changed', age: 42 } }),
          'properties.age',
          /string/,
        );
        await rejectsUnchanged(
          t.db,
          () => upsertCaseBody(deps, 'p1', 'c1', { properties: { flags: ['a'] } }),
          'properties.flags',
        );
      });

      test('a 1 MB property value', async () => {
        const huge = 'x'.repeat(1024 * 1024);
        await rejectsUnchanged(
          t.db,
          () => upsertCaseBody(deps, 'p1', 'c1', { properties: { notes: huge } }),
          'properties.notes',
          /at most/,
        );
        await rejectsUnchanged(
          t.db,
          () => upsertCaseBody(deps, 'p1', 'c-new', { properties: { notes: huge } }),
          'properties.notes',
        );
      });

      test('an unknown field: the field is the object holding it, the message names it', async () => {
        await rejectsUnchanged(
          t.db,
          () => upsertCaseBody(deps, 'p1', 'c1', { name: 'Changed', colour: 'red' }),
          '',
          /colour/,
        );
      });

      test('other bodies say the path of the problem too', () => {
        assert.throws(
          () => parseInput(SendBody, { to: { case: 'c1' }, text: 'hi', txet: 'typo' }),
          (error: unknown) => error instanceof InputError && error.field === '' && /txet/.test(error.message),
        );
        assert.throws(
          () => parseInput(GatewayBody, { prefixes: ['254', '+44'] }),
          (error: unknown) => error instanceof InputError && error.field === 'prefixes[1]',
        );
      });
    });

    describe('references to things that do not exist', () => {
      // A contact that does not exist is not bad input to a send: like every other reason a
      // message does not go, it is recorded on the sub-event (NO_RECIPIENT) for the history.
      test('a send to a case or worker that does not exist records NO_RECIPIENT and queues nothing', async () => {
        for (const [project, to] of [
          ['p1', { case: 'ghost' }],
          ['p2', { case: 'c1' }],
          ['p1', { mobile_worker: 'ghost' }],
        ] as const) {
          const before = await snapshot(t.db);
          const result = await sendMessage(deps, { project, to, text: 'hello' });
          const after = await snapshot(t.db);
          assert.equal(result.subEvents[0]?.error?.code, 'NO_RECIPIENT');
          assert.equal(result.subEvents[0]?.messageId, null);
          assert.deepEqual(after.messages, before.messages, 'no message is queued');
          const kind = 'case' in to ? 'case' : 'mobile_worker';
          const id = 'case' in to ? to.case : to.mobile_worker;
          assert.equal(await t.store.events.countSubEventErrors(project, kind, id, 'NO_RECIPIENT'), 1);
        }
      });

      test("a verification for a number not in the worker's list", async () => {
        await rejectsUnchanged(
          t.db,
          () => startVerification(deps, { project: 'p1', mobile_worker: 'w1', number: '+254 799 999 999' }),
          'number',
        );
        // The case's number is a valid number, but not the worker's.
        await rejectsUnchanged(
          t.db,
          () => startVerification(deps, { project: 'p1', mobile_worker: 'w1', number: KE_DIGITS }),
          'number',
        );
      });

      test('a verification for a worker that does not exist', async () => {
        await rejectsUnchanged(
          t.db,
          () =>
            startVerification(deps, { project: 'p1', mobile_worker: 'ghost', number: '+254 722 000 111' }),
          'mobile_worker',
        );
      });
    });

    describe('gateways', () => {
      test('a prefix already used by another gateway of the same owner', async () => {
        await rejectsUnchanged(
          t.db,
          () => putGateway(deps, 'g3', { project: 'p1', type: 'test', prefixes: ['2547'] }),
          'prefixes[0]',
          /2547/,
        );
        await rejectsUnchanged(
          t.db,
          () => putGateway(deps, 'g3', { project: 'p1', type: 'test', prefixes: ['1', '25473'] }),
          'prefixes[1]',
        );
        // Changing an existing gateway to take another's prefix leaves both as they were.
        await rejectsUnchanged(
          t.db,
          () => putGateway(deps, 'g2', { prefixes: ['2547'], default: true }),
          'prefixes[0]',
        );
      });

      test('the same prefix is fine for a gateway of another owner', async () => {
        const gateway = await putGateway(deps, 'g-p2', { project: 'p2', type: 'test', prefixes: ['2547'] });
        assert.deepEqual(gateway.prefixes, ['2547']);
        assert.deepEqual((await t.store.gateways.get('g-p2'))?.prefixes, ['2547']);
      });

      test('shared_with an unknown project', async () => {
        await rejectsUnchanged(
          t.db,
          () => putGateway(deps, 'g4', { type: 'test', shared_with: ['ghost'] }),
          'shared_with[0]',
          /ghost/,
        );
        await rejectsUnchanged(
          t.db,
          () => putGateway(deps, 'g1', { shared_with: ['p2', 'ghost'] }),
          'shared_with[1]',
        );
      });
    });

    describe('an invalid time_zone on a contact is not an error (SPEC 2.4)', () => {
      test('a case: stored as given; the status shows the project zone and a warning', async () => {
        const outcome = await upsertCase(deps, {
          project: 'p1',
          id: 'c-tz',
          properties: { contact_phone_number: '+254 744 000 333', time_zone: 'Mars/Olympus_Mons' },
        });
        assert.equal(outcome.status, 'created');
        assert.equal((await t.store.cases.get('p1', 'c-tz'))?.properties.time_zone, 'Mars/Olympus_Mons');
        const project = await t.store.projects.get('p1');
        assert.ok(project);
        const status = await contactStatus(t.store, project, 'case', 'c-tz');
        assert.equal(status.time_zone, 'Africa/Nairobi');
        assert.equal(status.warnings.length, 1);
        assert.match(status.warnings[0] ?? '', /Mars\/Olympus_Mons/);
        assert.equal(status.phone_status, 'ONE_WAY');
      });

      test('a case in a project without a zone falls back to UTC, with the warning', async () => {
        await upsertCase(deps, { project: 'p2', id: 'c-tz', properties: { time_zone: 'Not/A_Zone' } });
        const project = await t.store.projects.get('p2');
        assert.ok(project);
        const status = await contactStatus(t.store, project, 'case', 'c-tz');
        assert.equal(status.time_zone, 'UTC');
        assert.match(status.warnings.join('\n'), /Not\/A_Zone/);
      });

      test('a valid zone gives no warning (control)', async () => {
        await upsertCase(deps, {
          project: 'p1',
          id: 'c-tz-ok',
          properties: { time_zone: 'America/New_York' },
        });
        const project = await t.store.projects.get('p1');
        assert.ok(project);
        const status = await contactStatus(t.store, project, 'case', 'c-tz-ok');
        assert.equal(status.time_zone, 'America/New_York');
        assert.deepEqual(status.warnings, []);
      });

      test('a mobile worker likewise', async () => {
        const outcome = await upsertMobileWorker(deps, {
          project: 'p1',
          id: 'w-tz',
          time_zone: 'Atlantis/Capital',
        });
        assert.equal(outcome.worker.timeZone, 'Atlantis/Capital');
        const project = await t.store.projects.get('p1');
        assert.ok(project);
        const status = await contactStatus(t.store, project, 'mobile_worker', 'w-tz');
        assert.equal(status.time_zone, 'Africa/Nairobi');
        assert.match(status.warnings.join('\n'), /Atlantis\/Capital/);
      });
    });
  });
}
