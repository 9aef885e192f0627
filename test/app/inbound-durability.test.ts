// An arriving SMS is stored and handled in one transaction; when handling fails, the SMS is
// stored on its own all the same (never lost) and handled later as due work (SPEC 5).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { handleInbound, processPendingInbound } from '../../src/app/inbound/inbound.ts';
import type { Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

const NUMBER = '254712345678';

/** The store with `inbound.handled` failing while `failures.left` > 0 (a fault, e.g. a lost connection). */
function failingHandled(store: Store, failures: { left: number }): Store {
  const wrap = (repos: Store): Store => ({
    ...repos,
    inbound: {
      ...repos.inbound,
      async handled(...args) {
        if (failures.left > 0) {
          failures.left -= 1;
          throw new Error('injected fault while handling');
        }
        return repos.inbound.handled(...args);
      },
    },
  });
  return { ...wrap(store), transaction: (fn) => store.transaction((tx) => fn(wrap(tx as Store))) };
}

for (const name of DATABASES) {
  describe(`inbound durability on ${name}`, () => {
    let db: TestDb;
    beforeEach(async () => {
      db = await openTestDb(name);
      const deps = testDeps(db.store);
      await putProject(deps, 'p', { default_reply: 'Thanks' });
      await putGateway(deps, 'GW', { project: 'p', type: 'test', default: true, inbound_secret: 's' });
      await upsertCase(deps, {
        project: 'p',
        id: 'c',
        properties: { contact_phone_number: `+${NUMBER}`, contact_phone_number_is_verified: '1' },
      });
    });
    afterEach(async () => db.close());

    const inboundRows = () =>
      db.db.kysely
        .selectFrom('messages')
        .select(['id', 'outcome', 'due_at'])
        .where('direction', '=', 'in')
        .execute();
    const replies = () =>
      db.db.kysely.selectFrom('messages').select('text').where('direction', '=', 'out').execute();

    test('a failure in the combined transaction falls back to storing first, then handling', async () => {
      const deps = { ...testDeps(db.store), store: failingHandled(db.store, { left: 1 }) };
      const result = await handleInbound(deps, { gateway: 'GW', from: `+${NUMBER}`, text: 'hello' });
      assert.equal(result.outcome, 'default_reply');
      const rows = await inboundRows();
      assert.equal(rows.length, 1, 'stored once, not twice');
      assert.deepEqual(rows[0], { id: result.messageId, outcome: 'default_reply', due_at: null });
      assert.deepEqual(await replies(), [{ text: 'Thanks' }]);
    });

    test('when handling keeps failing the SMS stays stored and due, and due work handles it later', async () => {
      const failures = { left: 2 };
      const deps = { ...testDeps(db.store), store: failingHandled(db.store, failures) };
      await assert.rejects(
        handleInbound(deps, { gateway: 'GW', from: `+${NUMBER}`, text: 'hello' }),
        /injected fault/,
      );
      const [stored] = await inboundRows();
      assert.ok(stored, 'the SMS was stored');
      assert.equal(stored.outcome, null);
      assert.notEqual(stored.due_at, null);
      assert.deepEqual(await replies(), []);
      assert.equal(await processPendingInbound(testDeps(db.store), 10), 1);
      assert.deepEqual(await inboundRows(), [{ id: stored.id, outcome: 'default_reply', due_at: null }]);
      assert.deepEqual(await replies(), [{ text: 'Thanks' }]);
    });
  });
}
