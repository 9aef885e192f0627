// SPEC 2.2: "Ownership holds under concurrency: two workers claiming the same number at once end
// with exactly one owner, on SQLite and on PostgreSQL." Two independent connections race many
// claims, each round on a fresh number.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { upsertCase } from '../../src/app/cases.ts';
import type { Store } from '../../src/app/ports.ts';
import { putGateway } from '../../src/app/gateways.ts';
import { putProject } from '../../src/app/projects.ts';
import { startVerification } from '../../src/app/verification.ts';
import { upsertMobileWorker } from '../../src/app/workers.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { createStore } from '../../src/db/store.ts';
import { openTestDb, testDeps, type TestDb } from '../support/databases.ts';

const ROUNDS = 60;

type Deps = ReturnType<typeof testDeps>;

const number = (round: number, series: number) => `1617${series}55${String(round).padStart(4, '0')}`;

const verifiedCase = (deps: Deps, project: string, id: string, n: string) =>
  upsertCase(deps, { project, id, properties: { contact_phone_number: `+${n}`, contact_phone_number_is_verified: '1' } });

/** The entries of a number as `project/kind/id: state`. */
async function entries(store: Store, n: string): Promise<string[]> {
  return (await store.phones.forNumber(n)).map((e) => `${e.projectId}/${e.contactKind}/${e.contactId}: ${e.state}`).sort();
}

/** The races, run through two Deps whose stores use independent connections. */
function races(connections: () => { one: Deps; two: Deps }) {
  test(`two cases (in two projects) claim one number at once: one owner, one waiting (${ROUNDS} rounds)`, async () => {
    const { one, two } = connections();
    const winners = new Map<string, number>();
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 1);
      const [a, b] = await Promise.all([verifiedCase(one, 'p1', `a${round}`, n), verifiedCase(two, 'p2', `b${round}`, n)]);
      assert.equal(a.status, 'created');
      assert.equal(b.status, 'created');
      const rows = await one.store.phones.forNumber(n);
      assert.equal(rows.length, 2, `round ${round}: ${JSON.stringify(rows)}`);
      const owners = rows.filter((e) => e.state === 'two_way');
      const waiting = rows.filter((e) => e.state === 'waiting');
      assert.equal(owners.length, 1, `round ${round}: exactly one two-way entry, got ${await entries(one.store, n)}`);
      assert.equal(waiting.length, 1, `round ${round}: the other waits, got ${await entries(one.store, n)}`);
      const winner = owners[0]?.projectId ?? '';
      winners.set(winner, (winners.get(winner) ?? 0) + 1);
      // The number, seen through the other connection, agrees.
      assert.deepEqual(await entries(two.store, n), await entries(one.store, n));
    }
    assert.equal([...winners.values()].reduce((x, y) => x + y, 0), ROUNDS);
  });

  test(`a case claim races a worker verification of the same number: one owner (${ROUNDS} rounds)`, async () => {
    const { one, two } = connections();
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 2);
      await upsertMobileWorker(one, { project: 'p1', id: `w${round}`, phone_numbers: [`+${n}`] });
      const [claimed, verification] = await Promise.all([
        verifiedCase(one, 'p2', `c${round}`, n),
        startVerification(two, { project: 'p1', mobile_worker: `w${round}`, number: n }),
      ]);
      assert.equal(claimed.status, 'created');
      const got = await entries(one.store, n);
      if (verification.result === 'WORKFLOW_STARTED') {
        assert.deepEqual(got, [`p1/mobile_worker/w${round}: pending`, `p2/case/c${round}: waiting`], `round ${round}`);
      } else {
        assert.equal(verification.result, 'ALREADY_IN_USE', `round ${round}`);
        assert.deepEqual(got, [`p1/mobile_worker/w${round}: one_way`, `p2/case/c${round}: two_way`], `round ${round}`);
      }
    }
  });

  test(`two workers verify one number at once: one pending, one refused (${ROUNDS} rounds)`, async () => {
    const { one, two } = connections();
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 3);
      await upsertMobileWorker(one, { project: 'p1', id: `x${round}`, phone_numbers: [`+${n}`] });
      await upsertMobileWorker(one, { project: 'p2', id: `y${round}`, phone_numbers: [`+${n}`] });
      const results = await Promise.all([
        startVerification(one, { project: 'p1', mobile_worker: `x${round}`, number: n }),
        startVerification(two, { project: 'p2', mobile_worker: `y${round}`, number: n }),
      ]);
      assert.deepEqual(results.map((r) => r.result).sort(), ['ALREADY_IN_USE', 'WORKFLOW_STARTED'], `round ${round}`);
      const states = (await one.store.phones.forNumber(n)).map((e) => e.state).sort();
      assert.deepEqual(states, ['one_way', 'pending'], `round ${round}`);
    }
  });
}

async function seed(deps: Deps): Promise<void> {
  await putProject(deps, 'p1', {});
  await putProject(deps, 'p2', {});
  await putGateway(deps, 'gw1', { project: 'p1', type: 'test', default: true });
}

describe('postgres: two connection pools', () => {
  let t: TestDb;
  let one: Deps;
  let two: Deps;
  before(async () => {
    t = await openTestDb('postgres');
    one = testDeps(t.store);
    two = testDeps(createStore(await t.another()));
    await seed(one);
  });
  after(() => t.close());
  races(() => ({ one, two }));
});

describe('sqlite: two connections to one file', () => {
  let folder: string;
  let dbs: Db[];
  let one: Deps;
  let two: Deps;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'caseline-race-'));
    const url = `sqlite:${join(folder, 'race.db')}`;
    const first = await openDatabase(url);
    await first.migrate();
    dbs = [first, await openDatabase(url)];
    one = testDeps(createStore(first));
    two = testDeps(createStore(dbs[1] as Db));
    await seed(one);
  });
  after(async () => {
    for (const db of dbs) await db.close();
    rmSync(folder, { recursive: true, force: true });
  });
  races(() => ({ one, two }));
});
