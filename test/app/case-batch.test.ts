// A batch of case updates is applied in bulk (batch-repos.ts) but must leave exactly what the
// same updates leave when applied one at a time: the same cases, the same registry entries in
// the same states (owners, waiting claims, promotions), the same alert instances.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { putAlert, processPendingAlerts } from '../../src/app/scheduling/alerts.ts';
import { parseCaseItems, upsertCases } from '../../src/app/contacts/case-batch.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import type { Deps } from '../../src/app/ports/deps.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { DATABASES, openTestDb, START, testDeps, type TestDb } from '../support/databases.ts';

const NUMBERS = ['+14155552671', '+12025550123', '+447911123456', '+254712345678'];

/** A small pseudo-random generator, so a failure can be replayed from its seed. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

type Item = {
  id: string;
  type?: string;
  closed?: boolean;
  server_modified_on?: string;
  properties?: Record<string, string | null>;
};

/** Updates over few ids and few numbers, so batches repeat ids and share numbers. */
function randomItems(random: () => number, count: number, minute: number): Item[] {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const properties: Record<string, string | null> = {};
    const roll = random();
    if (roll < 0.6) properties.contact_phone_number = pick(NUMBERS);
    else if (roll < 0.7) properties.contact_phone_number = null;
    else if (roll < 0.75) properties.contact_phone_number = 'not a number';
    if (random() < 0.5) properties.contact_phone_number_is_verified = pick(['1', '0']);
    if (random() < 0.3) properties.stage = pick(['a', 'b']);
    const item: Item = { id: `c${Math.floor(random() * 8)}`, properties };
    if (random() < 0.15) item.closed = random() < 0.7;
    if (random() < 0.1) item.type = pick(['patient', 'household']);
    // Now and then an update older than the last applied one, which is ignored.
    if (random() < 0.1) item.server_modified_on = new Date(START + (minute + i - 30) * 60_000).toISOString();
    return item;
  });
}

async function snapshot(test: TestDb): Promise<{ cases: string[]; entries: string[]; instances: string[] }> {
  const kysely = test.db.kysely;
  const cases = await kysely
    .selectFrom('cases')
    .select(['project_id', 'id', 'type', 'closed', 'properties', 'server_modified_on'])
    .orderBy('id')
    .execute();
  const entries = await kysely
    .selectFrom('phone_entries')
    .select(['number', 'project_id', 'contact_id', 'state', 'claimed_at'])
    .execute();
  const instances = await kysely
    .selectFrom('schedule_instances')
    .select(['source_id', 'subject_key', 'next_due_at'])
    .execute();
  return {
    cases: cases.map((row) => JSON.stringify(row)),
    entries: entries.map((row) => JSON.stringify(row)).sort(),
    instances: instances.map((row) => JSON.stringify(row)).sort(),
  };
}

async function setUp(deps: Deps): Promise<void> {
  await putProject(deps, 'p', {});
  // Another project's case owns one number, so claims in p wait behind it.
  await putProject(deps, 'q', {});
  await upsertCase(deps, {
    project: 'q',
    id: 'other',
    properties: { contact_phone_number: NUMBERS[3] as string, contact_phone_number_is_verified: '1' },
  });
  await putAlert(deps, {
    project: 'p',
    id: 'stage-a',
    case_type: 'patient',
    criteria: [{ property: 'stage', op: 'equals', value: 'a' }],
    schedule: { type: 'daily', time: '09:00', occurrences: 3 },
    content: { text: 'hello' },
  });
  while ((await processPendingAlerts(deps)) > 0);
}

for (const name of DATABASES) {
  describe(`case batch on ${name}`, () => {
    let bulk: TestDb;
    let single: TestDb;
    before(async () => {
      bulk = await openTestDb(name);
      single = await openTestDb(name);
    });
    after(async () => {
      await bulk.close();
      await single.close();
    });

    test('a batch leaves the same cases, registry and alert instances as its items applied one by one', async () => {
      const bulkDeps = testDeps(bulk.store);
      const singleDeps = testDeps(single.store);
      await setUp(bulkDeps);
      await setUp(singleDeps);
      const random = generator(name === 'sqlite' ? 7 : 11);
      const seen = { waiting: false, instances: false, ignored: false };
      for (let round = 0; round < 12; round++) {
        const items = randomItems(random, 10, round * 10);
        for (const deps of [bulkDeps, singleDeps]) deps.clock.set(deps.clock.now() + 60_000);
        const result = await upsertCases(bulkDeps, 'p', parseCaseItems(items));
        const statuses: string[] = [];
        for (const item of items)
          statuses.push(
            (await upsertCase(singleDeps, { project: 'p', ...item } as Parameters<typeof upsertCase>[1]))
              .status,
          );
        assert.deepEqual(
          result.results.map((r) => r.status),
          statuses,
          `round ${round}: statuses`,
        );
        const state = await snapshot(bulk);
        assert.deepEqual(state, await snapshot(single), `round ${round}: ${JSON.stringify(items)}`);
        seen.waiting ||= state.entries.some((entry) => entry.includes('"waiting"'));
        seen.instances ||= state.instances.length > 0;
        seen.ignored ||= statuses.includes('ignored');
      }
      // The rounds went through the interesting cases, or the comparison proved little.
      assert.deepEqual(seen, { waiting: true, instances: true, ignored: true });
    });
  });
}
