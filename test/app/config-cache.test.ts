// The inbound pipeline's configuration cache (app/config-cache.ts, issue #19): a change to a
// keyword, a gateway or a project's settings answers the very next inbound — made through this
// store, through a removal, or (PostgreSQL) through another connection pool on the same schema,
// as another server would — and every write to those tables moves the version the cache checks.
import { afterEach, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { currentConfig } from '../../src/app/config-cache.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { handleInbound } from '../../src/app/inbound/inbound.ts';
import { deleteKeyword, putKeyword } from '../../src/app/inbound/keywords.ts';
import type { Deps } from '../../src/app/ports/deps.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import type { Db } from '../../src/db/dialect.ts';
import { createStore } from '../../src/db/store.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

const AMINA = '254712000301';

/** The texts queued in reply to one inbound message. */
async function repliesTo(db: Db, inboundId: number): Promise<string[]> {
  const { rows } = await sql<{
    text: string;
  }>`SELECT text FROM messages WHERE reply_to = ${inboundId} ORDER BY id`.execute(db.kysely);
  return rows.map((row) => row.text);
}

/** Amina texts in (through deps' store and its cache); what it came to and the replies queued. */
async function textIn(deps: Deps, db: Db, body: string) {
  const result = await handleInbound(deps, { gateway: 'GW', from: AMINA, text: body });
  return { outcome: result.outcome, replies: await repliesTo(db, result.messageId) };
}

async function fixture(deps: Deps): Promise<void> {
  await putProject(deps, 'p', { default_reply: 'first default' });
  await putGateway(deps, 'GW', { type: 'test', default: true });
  await upsertCase(deps, {
    project: 'p',
    id: 'c',
    name: 'Amina',
    properties: { contact_phone_number: AMINA, contact_phone_number_is_verified: '1' },
  });
}

for (const name of DATABASES) {
  describe(`configuration cache on ${name}`, () => {
    let t: TestDb;
    let deps: ReturnType<typeof testDeps>;

    const text = (body: string) => textIn(deps, t.db, body);

    beforeEach(async () => {
      t = await openTestDb(name);
      deps = testDeps(t.store);
      await fixture(deps);
    });
    afterEach(async () => t.close());

    test('a keyword created, changed or deleted answers the next inbound', async () => {
      assert.deepEqual(await text('INFO please'), { outcome: 'default_reply', replies: ['first default'] });
      await putKeyword(deps, 'p', 'info', { reply: { text: 'info text' } });
      assert.deepEqual(await text('INFO please'), { outcome: 'keyword', replies: ['info text'] });
      await putKeyword(deps, 'p', 'INFO', { reply: { text: 'new info text' } });
      assert.deepEqual(await text('info'), { outcome: 'keyword', replies: ['new info text'] });
      assert.equal(await deleteKeyword(deps, 'p', 'Info'), true);
      assert.deepEqual(await text('INFO'), { outcome: 'default_reply', replies: ['first default'] });
    });

    test("a project's settings changed answer the next inbound", async () => {
      assert.deepEqual((await text('hello')).replies, ['first default']);
      await putProject(deps, 'p', { default_reply: 'second default' });
      assert.deepEqual((await text('hello')).replies, ['second default']);
    });

    test("a gateway's opt-out words changed answer the next inbound", async () => {
      assert.equal((await text('QUITNOW')).outcome, 'default_reply');
      await putGateway(deps, 'GW', { type: 'test', default: true, opt_out_keywords: ['QUITNOW'] });
      assert.equal((await text('QUITNOW')).outcome, 'opted_out');
    });

    test('a gateway created is known to the next inbound', async () => {
      const config = await currentConfig(deps.store);
      assert.equal(await config.gateway(deps.store, 'GW2'), null);
      await putGateway(deps, 'GW2', { type: 'test' });
      const after = await currentConfig(deps.store);
      assert.equal((await after.gateway(deps.store, 'GW2'))?.id, 'GW2');
    });

    test('every write to projects, gateways, their prefixes and shares, and keywords moves the version', async () => {
      const moves = async (label: string, write: () => Promise<unknown>) => {
        const before = await deps.store.configVersion();
        await write();
        assert.ok((await deps.store.configVersion()) > before, `${label} moved the version`);
      };
      await moves('a project', () => putProject(deps, 'q', {}));
      await moves('a gateway', () => putGateway(deps, 'GW3', { type: 'test', project: 'q' }));
      // Written directly, as no repository writes these tables alone: the triggers still count them.
      await moves('a prefix', () =>
        sql`INSERT INTO gateway_prefixes (owner, prefix, gateway_id) VALUES ('q', '25471', 'GW3')`.execute(
          t.db.kysely,
        ),
      );
      await moves('shares', () =>
        sql`INSERT INTO gateway_shares (gateway_id, project_id) VALUES ('GW3', 'p')`.execute(t.db.kysely),
      );
      await moves('a keyword', () => putKeyword(deps, 'q', 'HI', { reply: { text: 'hi' } }));
      await moves('a keyword deleted', () => deleteKeyword(deps, 'q', 'hi'));
    });

    test('an inbound moves nothing: the cache stays whole', async () => {
      await text('hello');
      const before = await deps.store.configVersion();
      await text('hello');
      await text('INFO');
      assert.equal(await deps.store.configVersion(), before);
      const config = await currentConfig(deps.store);
      const again = await currentConfig(deps.store);
      assert.equal(await config.project(deps.store, 'p'), await again.project(deps.store, 'p'));
    });
  });
}

describe('configuration cache across connection pools on one PostgreSQL schema', () => {
  let t: TestDb;
  let other: Db;
  let deps: ReturnType<typeof testDeps>;
  /** The same use cases through another pool and store: another server's. */
  let elsewhere: ReturnType<typeof testDeps>;

  const text = (body: string) => textIn(deps, t.db, body);

  beforeEach(async () => {
    t = await openTestDb('postgres');
    other = await t.another();
    deps = testDeps(t.store);
    elsewhere = testDeps(createStore(other));
    await fixture(deps);
  });
  afterEach(async () => t.close());

  test('a keyword, settings and a gateway changed by another server answer the next inbound here', async () => {
    assert.deepEqual(await text('INFO'), { outcome: 'default_reply', replies: ['first default'] });
    await putKeyword(elsewhere, 'p', 'INFO', { reply: { text: 'info text' } });
    assert.deepEqual(await text('INFO'), { outcome: 'keyword', replies: ['info text'] });
    await putProject(elsewhere, 'p', { default_reply: 'second default' });
    assert.deepEqual((await text('hello')).replies, ['second default']);
    await putGateway(elsewhere, 'GW', { type: 'test', default: true, opt_out_keywords: ['QUITNOW'] });
    assert.equal((await text('QUITNOW')).outcome, 'opted_out');
  });

  test('a configuration write is not seen before it commits, and is after', async () => {
    await text('hello');
    const before = await deps.store.configVersion();
    await elsewhere.store.transaction(async (tx) => {
      await tx.keywords.put(
        { projectId: 'p', keyword: 'LATER', definition: { reply: { text: 'later' } } },
        0,
      );
      // Not committed yet: this server still reads the old version and answers as before.
      assert.equal(await deps.store.configVersion(), before);
      assert.equal((await text('LATER')).outcome, 'default_reply');
    });
    assert.deepEqual(await text('LATER'), { outcome: 'keyword', replies: ['later'] });
  });
});
