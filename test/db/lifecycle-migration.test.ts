// Migration 0005 (issue 15) on both databases: a message may be `cancelled` (and still not just
// anything); SQLite's rebuilt messages table keeps every index PostgreSQL has, and its attempts
// still need a message; gateways have default_country.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { DATABASES, openTestDb, type TestDb } from '../support/databases.ts';

const row = (status: string, key: string) => ({
  direction: 'out',
  channel: 'sms',
  text: 'x',
  status,
  idempotency_key: key,
  created_at: 1,
  updated_at: 1,
});

async function messageIndexes(t: TestDb): Promise<string[]> {
  const query =
    t.db.dialect.name === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'messages' AND sql IS NOT NULL`
      : sql<{
          name: string;
        }>`SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'messages' AND indexname <> 'messages_pkey'`;
  return (await query.execute(t.db.kysely)).rows.map((r) => r.name).sort();
}

const indexes: Record<string, string[]> = {};

for (const name of DATABASES) {
  describe(`migration 0005 on ${name}`, () => {
    let t: TestDb;
    before(async () => {
      t = await openTestDb(name);
    });
    after(() => t?.close());

    test("a message may be 'cancelled', not anything else", async () => {
      await t.db.kysely.insertInto('messages').values(row('cancelled', 'a')).execute();
      await assert.rejects(t.db.kysely.insertInto('messages').values(row('bogus', 'b')).execute());
    });

    test('attempts still need their message', async () => {
      await assert.rejects(
        t.db.kysely
          .insertInto('message_attempts')
          .values({ message_id: 999_999, started_at: 1, finished_at: 1, outcome: 'ok' })
          .execute(),
      );
    });

    test('the messages table has the same indexes on both databases', async () => {
      indexes[name] = await messageIndexes(t);
      assert.ok(indexes[name].includes('messages_inbound') && indexes[name].includes('messages_due'));
      const other = indexes[name === 'sqlite' ? 'postgres' : 'sqlite'];
      if (other) assert.deepEqual(indexes[name], other);
    });

    test('gateways have default_country', async () => {
      await t.db.kysely
        .insertInto('gateways')
        .values({
          id: 'g',
          name: 'g',
          name_key: 'G',
          owner: '',
          type: 'test',
          config: '{}',
          is_default: 0,
          max_attempts: 3,
          retry_minutes: 5,
          default_country: 'KE',
          created_at: 1,
          updated_at: 1,
        })
        .execute();
      const stored = await t.db.kysely.selectFrom('gateways').select('default_country').executeTakeFirst();
      assert.equal(stored?.default_country, 'KE');
    });
  });
}
