// The phone registry at the use-case level (SPEC 2.2, 2.3): claims, promotion order, releases,
// the staleness guard, a worker's entries, verification and its lapse.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { upsertCase, type CaseUpsert } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { handleInbound } from '../../src/app/inbound/inbound.ts';
import type { Repos, Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { expireVerifications } from '../../src/app/registry/registry.ts';
import { startVerification } from '../../src/app/registry/verification.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import { nextOwner } from '../../src/domain/registry.ts';
import { DATABASES, openTestDb, START, testDeps, type TestDb } from '../support/databases.ts';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** The entries of a number as `project/kind/id: state`, sorted. */
async function entries(repos: Repos, number: string): Promise<string[]> {
  return (await repos.phones.forNumber(number))
    .map((e) => `${e.projectId}/${e.contactKind}/${e.contactId}: ${e.state}`)
    .sort();
}

/** The owner of a number as `project/kind/id`, or null. */
async function owner(repos: Repos, number: string): Promise<string | null> {
  const owners = (await repos.phones.forNumber(number)).filter(
    (e) => e.state === 'two_way' || e.state === 'pending',
  );
  assert.ok(owners.length <= 1, `more than one owner of ${number}: ${JSON.stringify(owners)}`);
  const first = owners[0];
  return first ? `${first.projectId}/${first.contactKind}/${first.contactId}` : null;
}

/** A store whose transactions record, just before they commit, the entries of `number`. */
function observing(store: Store, number: string, seen: string[][]): Store {
  return {
    ...store,
    transaction: (fn) =>
      store.transaction(async (tx) => {
        const result = await fn(tx);
        seen.push(await entries(tx, number));
        return result;
      }),
  };
}

for (const name of DATABASES) {
  describe(name, () => {
    let t: TestDb;
    let serial = 0;
    const freshNumber = () => `1617555${String(1000 + serial++).padStart(4, '0')}`;

    // A fresh database per test: cases and their staleness times never leak between tests.
    beforeEach(async () => {
      t = await openTestDb(name);
      const deps = testDeps(t.store);
      for (const id of ['p1', 'pa', 'pb', 'Pz']) await putProject(deps, id, {});
      await putGateway(deps, 'gw', { project: 'p1', type: 'test', default: true });
    });
    afterEach(() => t.close());

    /** Deps with their own virtual clock at START. */
    const fresh = () => testDeps(t.store);
    type TestDeps = ReturnType<typeof fresh>;

    const claim = (
      deps: TestDeps,
      project: string,
      id: string,
      number: string,
      extra: Partial<CaseUpsert> = {},
    ) =>
      upsertCase(deps, {
        project,
        id,
        ...extra,
        properties: {
          contact_phone_number: `+${number}`,
          contact_phone_number_is_verified: '1',
          ...extra.properties,
        },
      });

    describe('promotion when the owner releases (SPEC 2.2)', () => {
      test('the earliest waiting claim wins, then the next', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'owner', n);
        // One-way entries first, made in id order (a, m, z); then claims in the reverse order, so
        // neither row order nor id order can pass for claim order.
        for (const id of ['a-late', 'm-middle', 'z-early'])
          await upsertCase(deps, { project: 'p1', id, properties: { contact_phone_number: `+${n}` } });
        for (const [minutes, id] of [
          [1, 'z-early'],
          [2, 'm-middle'],
          [3, 'a-late'],
        ] as const) {
          deps.clock.set(START + minutes * MINUTE);
          await claim(deps, 'p1', id, n);
        }
        assert.deepEqual(await entries(t.store, n), [
          'p1/case/a-late: waiting',
          'p1/case/m-middle: waiting',
          'p1/case/owner: two_way',
          'p1/case/z-early: waiting',
        ]);

        deps.clock.set(START + 10 * MINUTE);
        await claim(deps, 'p1', 'owner', n, { closed: true });
        assert.equal(await owner(t.store, n), 'p1/case/z-early');
        await claim(deps, 'p1', 'z-early', n, { closed: true });
        assert.equal(await owner(t.store, n), 'p1/case/m-middle');
        await claim(deps, 'p1', 'm-middle', n, { closed: true });
        assert.equal(await owner(t.store, n), 'p1/case/a-late');
        await claim(deps, 'p1', 'a-late', n, { closed: true });
        assert.equal(await owner(t.store, n), null);
        assert.deepEqual(await entries(t.store, n), []);
      });

      test('claims at the same instant: by project id, then case id', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'owner', n);
        deps.clock.set(START + MINUTE);
        // Made in the opposite of the expected order, so row order cannot pass for it.
        for (const [project, id] of [
          ['pb', 'a'],
          ['pa', 'z'],
          ['pa', 'y'],
        ] as const)
          await claim(deps, project, id, n);
        const waiting = (await t.store.phones.forNumber(n)).filter((e) => e.state === 'waiting');
        assert.deepEqual(new Set(waiting.map((e) => e.claimedAt)), new Set([START + MINUTE]));

        const order: (string | null)[] = [];
        for (const [project, id] of [
          ['p1', 'owner'],
          ['pa', 'y'],
          ['pa', 'z'],
          ['pb', 'a'],
        ] as const) {
          await claim(deps, project, id, n, { deleted: true });
          order.push(await owner(t.store, n));
        }
        assert.deepEqual(order, ['pa/case/y', 'pa/case/z', 'pb/case/a', null]);
      });

      test('the tie order is the same on both databases as the domain rule, with mixed-case ids', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'owner', n);
        deps.clock.set(START + MINUTE);
        const claimants = [
          ['pa', 'beta'],
          ['pa', 'Zulu'],
          ['Pz', 'alpha'],
          ['pa', 'Alpha'],
        ] as const;
        for (const [project, id] of claimants) await claim(deps, project, id, n);
        const expected = nextOwner(
          claimants.map(([projectId, contactId]) => ({ claimedAt: START + MINUTE, projectId, contactId })),
        );
        assert.ok(expected);
        await claim(deps, 'p1', 'owner', n, { closed: true });
        assert.equal(await owner(t.store, n), `${expected.projectId}/case/${expected.contactId}`);
      });

      const releases: { label: string; change: Partial<CaseUpsert>; ownerAfter: (n: string) => string[] }[] =
        [
          { label: 'closing', change: { closed: true }, ownerAfter: () => [] },
          { label: 'deleting', change: { deleted: true }, ownerAfter: () => [] },
          {
            label: 'unverifying (keeps a one-way entry)',
            change: { properties: { contact_phone_number_is_verified: '0' } },
            ownerAfter: () => ['p1/case/owner: one_way'],
          },
          {
            label: 'clearing the verified flag',
            change: { properties: { contact_phone_number_is_verified: null } },
            ownerAfter: () => ['p1/case/owner: one_way'],
          },
          {
            label: 'changing its number',
            change: { properties: { contact_phone_number: '+16175559999' } },
            ownerAfter: () => [],
          },
        ];
      for (const { label, change, ownerAfter } of releases) {
        test(`${label} the owner promotes the waiting claim in the same transaction`, async () => {
          const deps = fresh();
          const n = freshNumber();
          await claim(deps, 'p1', 'owner', n);
          deps.clock.set(START + MINUTE);
          await claim(deps, 'p1', 'waiter', n);
          assert.equal(await owner(t.store, n), 'p1/case/owner');

          const seen: string[][] = [];
          deps.clock.set(START + 2 * MINUTE);
          await upsertCase(
            { ...deps, store: observing(t.store, n, seen) },
            {
              project: 'p1',
              id: 'owner',
              ...change,
              properties: {
                contact_phone_number: `+${n}`,
                contact_phone_number_is_verified: '1',
                ...change.properties,
              },
            },
          );
          const expected = [...ownerAfter(n), 'p1/case/waiter: two_way'].sort();
          assert.deepEqual(seen, [expected], 'one transaction, and the promotion is already in it');
          assert.deepEqual(await entries(t.store, n), expected);
        });
      }

      test('a case that changes its number to one nobody owns owns the new one', async () => {
        const deps = fresh();
        const [n, m] = [freshNumber(), freshNumber()];
        await claim(deps, 'p1', 'mover', n);
        await claim(deps, 'p1', 'mover', m);
        assert.deepEqual(await entries(t.store, n), []);
        assert.equal(await owner(t.store, m), 'p1/case/mover');
      });

      test('a mobile worker owner removing the number promotes a waiting case', async () => {
        const deps = fresh();
        const n = freshNumber();
        await upsertMobileWorker(deps, { project: 'p1', id: 'w-owner', phone_numbers: [`+${n}`] });
        assert.equal(
          (await startVerification(deps, { project: 'p1', mobile_worker: 'w-owner', number: n })).result,
          'WORKFLOW_STARTED',
        );
        await claim(deps, 'p1', 'waiter', n);
        assert.equal(await owner(t.store, n), 'p1/mobile_worker/w-owner');
        const seen: string[][] = [];
        await upsertMobileWorker(
          { ...deps, store: observing(t.store, n, seen) },
          { project: 'p1', id: 'w-owner', phone_numbers: [] },
        );
        assert.deepEqual(seen, [['p1/case/waiter: two_way']]);
      });
    });

    describe('waiting claims', () => {
      test('a waiting claim is dropped when its contact releases the number', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'owner', n);
        deps.clock.set(START + MINUTE);
        await claim(deps, 'p1', 'closer', n);
        await claim(deps, 'p1', 'unverifier', n);
        await claim(deps, 'p1', 'closer', n, { closed: true });
        await claim(deps, 'p1', 'unverifier', n, { properties: { contact_phone_number_is_verified: 'no' } });
        assert.deepEqual(await entries(t.store, n), [
          'p1/case/owner: two_way',
          'p1/case/unverifier: one_way',
        ]);
        await claim(deps, 'p1', 'owner', n, { closed: true });
        assert.equal(await owner(t.store, n), null);
        assert.deepEqual(await entries(t.store, n), ['p1/case/unverifier: one_way']);
      });

      test('a reopened case claims anew, behind claims made while it was closed', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'owner', n);
        deps.clock.set(START + 1 * MINUTE);
        await claim(deps, 'p1', 'first', n);
        deps.clock.set(START + 2 * MINUTE);
        await claim(deps, 'p1', 'second', n);
        deps.clock.set(START + 3 * MINUTE);
        await claim(deps, 'p1', 'first', n, { closed: true });
        deps.clock.set(START + 4 * MINUTE);
        await claim(deps, 'p1', 'first', n, { closed: false });
        const first = (await t.store.phones.forNumber(n)).find((e) => e.contactId === 'first');
        assert.equal(first?.state, 'waiting');
        assert.equal(first?.claimedAt, START + 4 * MINUTE);
        await claim(deps, 'p1', 'owner', n, { closed: true });
        assert.equal(await owner(t.store, n), 'p1/case/second');
      });

      test('"1" after trimming claims; anything else does not', async () => {
        const deps = fresh();
        const [n, m, k] = [freshNumber(), freshNumber(), freshNumber()];
        await claim(deps, 'p1', 'spaces', n, { properties: { contact_phone_number_is_verified: ' 1 ' } });
        await claim(deps, 'p1', 'yes', m, { properties: { contact_phone_number_is_verified: 'yes' } });
        await claim(deps, 'p1', 'eleven', k, { properties: { contact_phone_number_is_verified: '11' } });
        assert.deepEqual(await entries(t.store, n), ['p1/case/spaces: two_way']);
        assert.deepEqual(await entries(t.store, m), ['p1/case/yes: one_way']);
        assert.deepEqual(await entries(t.store, k), ['p1/case/eleven: one_way']);
      });

      test('an owner keeps its claim time across updates', async () => {
        const deps = fresh();
        const n = freshNumber();
        await claim(deps, 'p1', 'keeper', n);
        deps.clock.set(START + 30 * MINUTE);
        await claim(deps, 'p1', 'keeper', n, { name: 'Renamed' });
        const [entry] = await t.store.phones.forNumber(n);
        assert.equal(entry?.claimedAt, START);
      });
    });

    describe('the staleness guard', () => {
      const at = (minutes: number) => new Date(START + minutes * MINUTE).toISOString();

      test('an older update is ignored and reported; an equal one is applied', async () => {
        const deps = fresh();
        const n = freshNumber();
        const created = await claim(deps, 'p1', 'stale', n, {
          server_modified_on: at(10),
          properties: { note: 'v10' },
        });
        assert.equal(created.status, 'created');

        const older = await claim(deps, 'p1', 'stale', n, {
          server_modified_on: at(9),
          closed: true,
          properties: { note: 'v9' },
        });
        assert.equal(older.status, 'ignored');
        assert.ok(older.status === 'ignored' && older.reason.length > 0);
        const stored = await t.store.cases.get('p1', 'stale');
        assert.equal(stored?.properties.note, 'v10');
        assert.equal(stored?.closed, false);
        assert.deepEqual(
          await entries(t.store, n),
          ['p1/case/stale: two_way'],
          'an ignored close releases nothing',
        );

        const equal = await claim(deps, 'p1', 'stale', n, {
          server_modified_on: at(10),
          properties: { note: 'v10b' },
        });
        assert.equal(equal.status, 'updated');
        assert.equal((await t.store.cases.get('p1', 'stale'))?.properties.note, 'v10b');

        const newer = await claim(deps, 'p1', 'stale', n, { server_modified_on: at(11), closed: true });
        assert.equal(newer.status, 'updated');
        assert.deepEqual(await entries(t.store, n), []);
      });

      test('an ignored update cannot claim a number', async () => {
        const deps = fresh();
        const n = freshNumber();
        await upsertCase(deps, {
          project: 'p1',
          id: 'late',
          server_modified_on: at(10),
          properties: { contact_phone_number: `+${n}` },
        });
        const older = await claim(deps, 'p1', 'late', n, { server_modified_on: at(5) });
        assert.equal(older.status, 'ignored');
        assert.deepEqual(await entries(t.store, n), ['p1/case/late: one_way']);
      });
    });

    describe("a mobile worker's entries", () => {
      test('follow its list: one per valid number, without repeats; inactive releases all', async () => {
        const deps = fresh();
        const [a, b, c] = [freshNumber(), freshNumber(), freshNumber()];
        const pretty = (n: string) => `+${n.slice(0, 1)} (${n.slice(1, 4)}) ${n.slice(4, 7)}-${n.slice(7)}`;
        await upsertMobileWorker(deps, {
          project: 'p1',
          id: 'w-list',
          phone_numbers: [`+${a}`, pretty(a), 'not a number', `+${b}`],
        });
        const mine = async () =>
          (await t.store.phones.forContact({ projectId: 'p1', kind: 'mobile_worker', id: 'w-list' }))
            .map((e) => `${e.number}: ${e.state}`)
            .sort();
        assert.deepEqual(await mine(), [`${a}: one_way`, `${b}: one_way`].sort());
        const [entryB] = await t.store.phones.forNumber(b);

        await upsertMobileWorker(deps, { project: 'p1', id: 'w-list', phone_numbers: [`+${b}`, `+${c}`] });
        assert.deepEqual(await mine(), [`${b}: one_way`, `${c}: one_way`].sort());
        assert.equal((await t.store.phones.forNumber(b))[0]?.id, entryB?.id, 'a kept number keeps its entry');

        assert.equal(
          (await startVerification(deps, { project: 'p1', mobile_worker: 'w-list', number: `+${c}` })).result,
          'WORKFLOW_STARTED',
        );
        await claim(deps, 'p1', 'waits-for-c', c);
        assert.equal(await owner(t.store, c), 'p1/mobile_worker/w-list');

        const seen: string[][] = [];
        await upsertMobileWorker(
          { ...deps, store: observing(t.store, c, seen) },
          { project: 'p1', id: 'w-list', active: false },
        );
        assert.deepEqual(await mine(), []);
        assert.deepEqual(
          seen,
          [['p1/case/waits-for-c: two_way']],
          'deactivating promotes in the same transaction',
        );

        await upsertMobileWorker(deps, { project: 'p1', id: 'w-list', active: true });
        assert.deepEqual(
          await mine(),
          [`${b}: one_way`, `${c}: one_way`].sort(),
          'reactivated: one-way again, nothing owned',
        );
        assert.equal(await owner(t.store, c), 'p1/case/waits-for-c');
      });
    });

    describe('verification (SPEC 2.3)', () => {
      const outboundTo = async (id: string) =>
        t.db.kysely
          .selectFrom('messages')
          .select(['text', 'phone'])
          .where('direction', '=', 'out')
          .where('contact_kind', '=', 'mobile_worker')
          .where('contact_id', '=', id)
          .orderBy('id')
          .execute();

      test('WORKFLOW_STARTED, RESENT_PENDING, then ALREADY_VERIFIED after the reply', async () => {
        const deps = fresh();
        const n = freshNumber();
        await upsertMobileWorker(deps, {
          project: 'p1',
          id: 'w-v',
          name: 'Wanjiru',
          phone_numbers: [`+${n}`],
        });
        const welcome = "Welcome! Is this phone used by Wanjiru? If yes, reply '123' to start using SMS.";

        const started = await startVerification(deps, {
          project: 'p1',
          mobile_worker: 'w-v',
          number: `+${n}`,
        });
        assert.equal(started.result, 'WORKFLOW_STARTED');
        assert.notEqual(started.eventId, null);
        assert.deepEqual(await entries(t.store, n), ['p1/mobile_worker/w-v: pending']);
        assert.deepEqual(await outboundTo('w-v'), [{ text: welcome, phone: n }]);

        const again = await startVerification(deps, { project: 'p1', mobile_worker: 'w-v', number: n });
        assert.equal(again.result, 'RESENT_PENDING');
        assert.notEqual(again.eventId, null);
        assert.deepEqual(await entries(t.store, n), ['p1/mobile_worker/w-v: pending']);
        assert.deepEqual(await outboundTo('w-v'), [
          { text: welcome, phone: n },
          { text: welcome, phone: n },
        ]);

        const wrong = await handleInbound(deps, { gateway: 'gw', from: `+${n}`, text: '124' });
        assert.equal(wrong.outcome, 'awaiting_verification');
        assert.deepEqual(await entries(t.store, n), ['p1/mobile_worker/w-v: pending']);
        const reply = await handleInbound(deps, { gateway: 'gw', from: `+${n}`, text: ' 123 ' });
        assert.equal(reply.outcome, 'verified');
        assert.deepEqual(await entries(t.store, n), ['p1/mobile_worker/w-v: two_way']);
        assert.deepEqual((await outboundTo('w-v')).at(-1), {
          text: 'Thank you. This phone has been verified for SMS.',
          phone: n,
        });

        const verified = await startVerification(deps, { project: 'p1', mobile_worker: 'w-v', number: n });
        assert.deepEqual(verified, { result: 'ALREADY_VERIFIED', eventId: null });
        assert.equal((await outboundTo('w-v')).length, 3, 'nothing more sent');
      });

      test('ALREADY_IN_USE when another contact owns the number, in any project; nothing sent', async () => {
        const deps = fresh();
        const [n, m] = [freshNumber(), freshNumber()];
        await upsertMobileWorker(deps, { project: 'p1', id: 'w-first', phone_numbers: [`+${n}`] });
        await upsertMobileWorker(deps, { project: 'p1', id: 'w-second', phone_numbers: [`+${n}`, `+${m}`] });
        assert.equal(
          (await startVerification(deps, { project: 'p1', mobile_worker: 'w-first', number: n })).result,
          'WORKFLOW_STARTED',
        );
        assert.deepEqual(
          await startVerification(deps, { project: 'p1', mobile_worker: 'w-second', number: n }),
          { result: 'ALREADY_IN_USE', eventId: null },
        );
        await claim(deps, 'pb', 'case-owner', m);
        assert.deepEqual(
          await startVerification(deps, { project: 'p1', mobile_worker: 'w-second', number: m }),
          { result: 'ALREADY_IN_USE', eventId: null },
        );
        assert.deepEqual(await outboundTo('w-second'), []);
        assert.deepEqual(await entries(t.store, n), [
          'p1/mobile_worker/w-first: pending',
          'p1/mobile_worker/w-second: one_way',
        ]);
        assert.deepEqual(await entries(t.store, m), [
          'p1/mobile_worker/w-second: one_way',
          'pb/case/case-owner: two_way',
        ]);
      });

      test('a verification that is not answered lapses after 7 days and releases the number', async () => {
        const deps = fresh();
        const n = freshNumber();
        await upsertMobileWorker(deps, { project: 'p1', id: 'w-lapse', phone_numbers: [`+${n}`] });
        assert.equal(
          (await startVerification(deps, { project: 'p1', mobile_worker: 'w-lapse', number: n })).result,
          'WORKFLOW_STARTED',
        );
        deps.clock.set(START + 60 * MINUTE);
        await claim(deps, 'pa', 'patient', n);
        assert.deepEqual(await entries(t.store, n), [
          'p1/mobile_worker/w-lapse: pending',
          'pa/case/patient: waiting',
        ]);

        const expire = () => t.store.transaction((tx) => expireVerifications(tx, deps.clock.now(), 100));
        deps.clock.set(START + 7 * DAY - MINUTE);
        assert.equal(await expire(), 0);
        assert.equal(await owner(t.store, n), 'p1/mobile_worker/w-lapse');

        deps.clock.set(START + 7 * DAY);
        assert.equal(await expire(), 1);
        assert.deepEqual(await entries(t.store, n), [
          'p1/mobile_worker/w-lapse: one_way',
          'pa/case/patient: two_way',
        ]);
        assert.equal(await expire(), 0, 'a lapse happens once');

        // The late reply no longer verifies the worker.
        const late = await handleInbound(deps, { gateway: 'gw', from: n, text: '123' });
        assert.notEqual(late.outcome, 'verified');
        assert.deepEqual(await entries(t.store, n), [
          'p1/mobile_worker/w-lapse: one_way',
          'pa/case/patient: two_way',
        ]);
      });
    });
  });
}
