// Multi-row inserts whose text is built once per shape (db/bulk.ts insertChunks), on both
// databases in one process: the cached text must not cross dialects (their placeholders differ),
// every row of every chunk must arrive with its own values, and RETURNING must give the rows in
// the order inserted, as the repositories map ids by it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CHUNK, insertChunks, type Row } from '../../src/db/bulk.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';

/** Rows given as they are. */
const asRow = (row: Row): Row => row;

for (const name of DATABASES) {
  describe(`multi-row inserts on ${name}`, () => {
    let db: TestDb;
    before(async () => {
      db = await openTestDb(name);
      await putProject(testDeps(db.store), 'p', {});
    });
    after(() => db?.close());

    const subEvent = (i: number) => ({
      event_id: 1,
      project_id: 'p',
      recipient_kind: 'phone',
      recipient_id: `r${i}`,
      status: i % 3 === 0 ? 'error' : 'in_progress',
      error_code: i % 3 === 0 ? 'INVALID_PHONE_NUMBER' : null,
      error_text: i % 3 === 0 ? `bad ${i}` : null,
      created_at: 1000 + i,
      updated_at: 1000 + i,
    });

    test('rows over several chunks (the last one partial) arrive with their values, ids returned in order', async () => {
      const kysely = db.db.kysely;
      const eventId = (
        await kysely
          .insertInto('events')
          .values({
            project_id: 'p',
            source: 'api',
            source_id: null,
            channel: 'sms',
            content: '{}',
            status: 'in_progress',
            created_at: 1,
            updated_at: 1,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      // Two batches of different sizes: the second reuses the first's full-chunk text.
      for (const count of [2 * CHUNK + 7, CHUNK + 1]) {
        const rows = Array.from({ length: count }, (_, i) => ({ ...subEvent(i), event_id: eventId }));
        await kysely.deleteFrom('sub_events').execute();
        const returned = await insertChunks<Row, { id: number; recipient_id: string }>(
          kysely,
          db.db.dialect,
          'sub_events',
          rows,
          asRow,
          { returning: ['id', 'recipient_id'] },
        );
        assert.deepEqual(
          returned.map((r) => r.recipient_id),
          rows.map((r) => r.recipient_id),
        );
        const ids = returned.map((r) => Number(r.id));
        assert.ok(
          ids.every((id, i) => i === 0 || id > (ids[i - 1] as number)),
          'ids ascend with the rows',
        );
        const stored = await kysely
          .selectFrom('sub_events')
          .select(['id', 'recipient_id', 'status', 'error_code', 'error_text', 'created_at'])
          .orderBy('id')
          .execute();
        assert.equal(stored.length, count);
        for (const [i, row] of stored.entries()) {
          const want = subEvent(i);
          assert.deepEqual(
            [row.recipient_id, row.status, row.error_code, row.error_text, Number(row.created_at)],
            [want.recipient_id, want.status, want.error_code, want.error_text, want.created_at],
          );
        }
      }
    });

    test('texts that an array literal must escape arrive unchanged', async () => {
      const kysely = db.db.kysely;
      await kysely.deleteFrom('sub_events').execute();
      const events = await kysely.selectFrom('events').select('id').executeTakeFirstOrThrow();
      const texts = [
        '',
        'NULL',
        'a,b',
        '{x}',
        '"quoted"',
        'back\\slash',
        "it's",
        'line\nbreak',
        'ñ ü 中文 🙂',
        ' padded ',
      ];
      const rows = texts.map((text, i) => ({
        ...subEvent(i),
        event_id: events.id,
        recipient_id: `t${i}`,
        error_text: text,
      }));
      await insertChunks(kysely, db.db.dialect, 'sub_events', rows, asRow);
      const stored = await kysely
        .selectFrom('sub_events')
        .select(['recipient_id', 'error_text'])
        .orderBy('id')
        .execute();
      assert.deepEqual(
        stored.map((r) => r.error_text),
        texts,
      );
    });

    test('an upsert sets the update columns of rows that exist and inserts the others', async () => {
      const kysely = db.db.kysely;
      const caseRow = (id: string, name: string, at: number) => ({
        project_id: 'p',
        id,
        type: 'mother',
        name,
        owner_id: null,
        closed: 0,
        deleted: 0,
        properties: '{}',
        server_modified_on: at,
        indices: '{}',
        parent_id: null,
        created_at: at,
        updated_at: at,
      });
      const upsert = { key: ['project_id', 'id'], update: ['name', 'updated_at'] };
      await insertChunks(
        kysely,
        db.db.dialect,
        'cases',
        [caseRow('a', 'Ann', 1), caseRow('b', 'Bo', 1)],
        asRow,
        {
          upsert,
        },
      );
      await insertChunks(
        kysely,
        db.db.dialect,
        'cases',
        [caseRow('b', 'Bob', 2), caseRow('c', 'Cy', 2)],
        asRow,
        {
          upsert,
        },
      );
      const stored = await kysely
        .selectFrom('cases')
        .select(['id', 'name', 'created_at', 'updated_at', 'server_modified_on'])
        .where('project_id', '=', 'p')
        .orderBy('id')
        .execute();
      assert.deepEqual(
        stored.map((r) => [
          r.id,
          r.name,
          Number(r.created_at),
          Number(r.updated_at),
          Number(r.server_modified_on),
        ]),
        [
          ['a', 'Ann', 1, 1, 1],
          ['b', 'Bob', 1, 2, 1], // only the update columns changed
          ['c', 'Cy', 2, 2, 2],
        ],
      );
    });

    test('items are turned into rows a slice at a time and every row is returned in order', async () => {
      const kysely = db.db.kysely;
      await kysely.deleteFrom('sub_events').execute();
      const events = await kysely.selectFrom('events').select('id').executeTakeFirstOrThrow();
      const items = Array.from({ length: 5_003 }, (_, i) => i); // over one slice of 5,000
      const returned = await insertChunks<number, { recipient_id: string }>(
        kysely,
        db.db.dialect,
        'sub_events',
        items,
        (i) => ({ ...subEvent(i), event_id: events.id }),
        { returning: ['recipient_id'] },
      );
      assert.deepEqual(
        returned.map((r) => r.recipient_id),
        items.map((i) => `r${i}`),
      );
    });

    test('without RETURNING, and nothing at all for no rows', async () => {
      const kysely = db.db.kysely;
      assert.deepEqual(await insertChunks(kysely, db.db.dialect, 'sub_events', [], asRow), []);
      await kysely.deleteFrom('sub_events').execute();
      const events = await kysely.selectFrom('events').select('id').executeTakeFirstOrThrow();
      const rows = [subEvent(1), subEvent(2)].map((r) => ({ ...r, event_id: events.id }));
      assert.deepEqual(await insertChunks(kysely, db.db.dialect, 'sub_events', rows, asRow), []);
      const count = await kysely
        .selectFrom('sub_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      assert.equal(Number(count.n), 2);
    });
  });
}
