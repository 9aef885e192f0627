// SPEC 2.2: "Ownership holds under concurrency: two workers claiming the same number at once end
// with exactly one owner, on SQLite and on PostgreSQL." Two independent connections race many
// claims, each round on a fresh number.
//
// PostgreSQL: two connection pools in this process. SQLite: two connections to one database
// file, each in its own process, as two `caseline` processes would be. (In one process, two
// better-sqlite3 connections cannot wait for each other: the busy handler blocks the event loop
// the other connection needs to commit, so the waiter fails with SQLITE_BUSY after its retries.)
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import type { Store } from '../../src/app/ports/store.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { startVerification } from '../../src/app/registry/verification.ts';
import { upsertMobileWorker } from '../../src/app/contacts/workers.ts';
import { openDatabase } from '../../src/db/connection.ts';
import type { Db } from '../../src/db/dialect.ts';
import { createStore } from '../../src/db/store.ts';
import { openTestDb, START, testDeps, type TestDb } from '../support/databases.ts';

const ROUNDS = 60;

type Deps = ReturnType<typeof testDeps>;

/** One side of a race: claims a number for a case, or starts a worker's verification. */
interface Racer {
  /** The upsert's status (created, updated, ignored). */
  claim(project: string, id: string, number: string): Promise<string>;
  /** The verification result (WORKFLOW_STARTED, ALREADY_IN_USE, ...). */
  verify(project: string, worker: string, number: string): Promise<string>;
}

const caseClaim = (project: string, id: string, number: string) => ({
  project,
  id,
  properties: { contact_phone_number: `+${number}`, contact_phone_number_is_verified: '1' },
});

function inProcess(deps: Deps): Racer {
  return {
    claim: async (project, id, number) => (await upsertCase(deps, caseClaim(project, id, number))).status,
    verify: async (project, worker, number) =>
      (await startVerification(deps, { project, mobile_worker: worker, number })).result,
  };
}

const number = (round: number, series: number) => `1617${series}55${String(round).padStart(4, '0')}`;

/** The entries of a number as `project/kind/id: state`. */
async function entries(store: Store, n: string): Promise<string[]> {
  return (await store.phones.forNumber(n))
    .map((e) => `${e.projectId}/${e.contactKind}/${e.contactId}: ${e.state}`)
    .sort();
}

async function seed(deps: Deps): Promise<void> {
  await putProject(deps, 'p1', {});
  await putProject(deps, 'p2', {});
  await putGateway(deps, 'gw1', { project: 'p1', type: 'test', default: true });
  await putGateway(deps, 'gw2', { project: 'p2', type: 'test', default: true });
}

/** The races: `setup` prepares (and checks) through its own connection; one and two race. */
function races(sides: () => { setup: Deps; one: Racer; two: Racer }) {
  test(`two cases (in two projects) claim one number at once: one owner, one waiting (${ROUNDS} rounds)`, async (t) => {
    const { setup, one, two } = sides();
    const wins = { p1: 0, p2: 0 };
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 1);
      const statuses = await Promise.all([one.claim('p1', `a${round}`, n), two.claim('p2', `b${round}`, n)]);
      assert.deepEqual(statuses, ['created', 'created']);
      const rows = await setup.store.phones.forNumber(n);
      const got = await entries(setup.store, n);
      assert.equal(rows.length, 2, `round ${round}: ${got.join(', ')}`);
      assert.equal(
        rows.filter((e) => e.state === 'two_way').length,
        1,
        `round ${round}: exactly one two-way entry, got ${got.join(', ')}`,
      );
      assert.equal(
        rows.filter((e) => e.state === 'waiting').length,
        1,
        `round ${round}: the other waits, got ${got.join(', ')}`,
      );
      if (rows.find((e) => e.state === 'two_way')?.projectId === 'p1') wins.p1++;
      else wins.p2++;
    }
    t.diagnostic(`winners: ${JSON.stringify(wins)}`);
  });

  test(`a case claim races a worker verification of the same number: one owner (${ROUNDS} rounds)`, async (t) => {
    const { setup, one, two } = sides();
    const results: Record<string, number> = {};
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 2);
      await upsertMobileWorker(setup, { project: 'p1', id: `w${round}`, phone_numbers: [`+${n}`] });
      const [status, result] = await Promise.all([
        one.claim('p2', `c${round}`, n),
        two.verify('p1', `w${round}`, n),
      ]);
      assert.equal(status, 'created');
      results[result] = (results[result] ?? 0) + 1;
      const got = await entries(setup.store, n);
      if (result === 'WORKFLOW_STARTED') {
        assert.deepEqual(
          got,
          [`p1/mobile_worker/w${round}: pending`, `p2/case/c${round}: waiting`],
          `round ${round}`,
        );
      } else {
        assert.equal(result, 'ALREADY_IN_USE', `round ${round}`);
        assert.deepEqual(
          got,
          [`p1/mobile_worker/w${round}: one_way`, `p2/case/c${round}: two_way`],
          `round ${round}`,
        );
      }
    }
    t.diagnostic(`verification results: ${JSON.stringify(results)}`);
  });

  test(`two workers (in two projects) verify one number at once: one pending, one refused (${ROUNDS} rounds)`, async () => {
    const { setup, one, two } = sides();
    for (let round = 0; round < ROUNDS; round++) {
      const n = number(round, 3);
      await upsertMobileWorker(setup, { project: 'p1', id: `x${round}`, phone_numbers: [`+${n}`] });
      await upsertMobileWorker(setup, { project: 'p2', id: `y${round}`, phone_numbers: [`+${n}`] });
      const results = await Promise.all([one.verify('p1', `x${round}`, n), two.verify('p2', `y${round}`, n)]);
      assert.deepEqual([...results].sort(), ['ALREADY_IN_USE', 'WORKFLOW_STARTED'], `round ${round}`);
      const got = await entries(setup.store, n);
      const winner = results[0] === 'WORKFLOW_STARTED' ? 0 : 1;
      const expected =
        winner === 0
          ? [`p1/mobile_worker/x${round}: pending`, `p2/mobile_worker/y${round}: one_way`]
          : [`p1/mobile_worker/x${round}: one_way`, `p2/mobile_worker/y${round}: pending`];
      assert.deepEqual(got, expected, `round ${round}`);
    }
  });
}

describe('postgres: two connection pools', () => {
  let db: TestDb;
  let setup: Deps;
  let one: Racer;
  let two: Racer;
  before(async () => {
    db = await openTestDb('postgres');
    setup = testDeps(db.store);
    one = inProcess(testDeps(createStore(await db.another())));
    two = inProcess(testDeps(createStore(await db.another())));
    await seed(setup);
  });
  after(() => db.close());
  races(() => ({ setup, one, two }));
});

// ---------------------------------------------------------------------------------------------
// SQLite: each racer is a child process with its own connection, driven over IPC.

const srcUrl = (path: string) => JSON.stringify(new URL(`../../src/${path}`, import.meta.url).href);
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

function childCode(url: string): string {
  return `
import { upsertCase } from ${srcUrl('app/contacts/cases.ts')};
import { startVerification } from ${srcUrl('app/registry/verification.ts')};
import { VirtualClock } from ${srcUrl('clock.ts')};
import { openDatabase } from ${srcUrl('db/connection.ts')};
import { createStore } from ${srcUrl('db/store.ts')};
const db = await openDatabase(${JSON.stringify(url)});
const deps = { store: createStore(db), clock: new VirtualClock(${START}) };
process.on('message', async (message) => {
  if (message.op === 'close') {
    await db.close();
    process.disconnect();
    return;
  }
  try {
    const result = message.op === 'claim'
      ? (await upsertCase(deps, message.input)).status
      : (await startVerification(deps, message.input)).result;
    process.send({ id: message.id, result });
  } catch (error) {
    process.send({ id: message.id, error: String(error?.stack ?? error) });
  }
});
process.send({ ready: true });
`;
}

interface Reply {
  id?: number;
  ready?: boolean;
  result?: string;
  error?: string;
}

class ChildRacer implements Racer {
  private next = 0;
  private readonly waiting = new Map<
    number,
    { resolve: (value: string) => void; reject: (error: Error) => void }
  >();
  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: Reply) => {
      const pending = reply.id === undefined ? undefined : this.waiting.get(reply.id);
      if (!pending || reply.id === undefined) return;
      this.waiting.delete(reply.id);
      if (reply.error !== undefined) pending.reject(new Error(`child: ${reply.error}`));
      else pending.resolve(reply.result ?? '');
    });
  }

  static async start(url: string): Promise<ChildRacer> {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childCode(url)], {
      cwd: repoRoot,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    await new Promise<void>((resolve, reject) => {
      child.once('message', (reply: Reply) =>
        reply.ready ? resolve() : reject(new Error('child did not start')),
      );
      child.once('exit', (code) => reject(new Error(`child exited with ${code}`)));
    });
    return new ChildRacer(child);
  }

  private ask(op: string, input: unknown): Promise<string> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.child.send({ id, op, input });
    });
  }

  claim(project: string, id: string, n: string): Promise<string> {
    return this.ask('claim', caseClaim(project, id, n));
  }

  verify(project: string, worker: string, n: string): Promise<string> {
    return this.ask('verify', { project, mobile_worker: worker, number: n });
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.once('exit', resolve));
    this.child.send({ op: 'close' });
    return exited;
  }
}

describe('sqlite: two processes, one database file', () => {
  let folder: string;
  let db: Db;
  let setup: Deps;
  let one: ChildRacer;
  let two: ChildRacer;
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'caseline-race-'));
    const url = `sqlite:${join(folder, 'race.db')}`;
    db = await openDatabase(url);
    await db.migrate();
    setup = testDeps(createStore(db));
    await seed(setup);
    [one, two] = await Promise.all([ChildRacer.start(url), ChildRacer.start(url)]);
  });
  after(async () => {
    const codes = await Promise.all([one?.stop(), two?.stop()]);
    await db.close();
    rmSync(folder, { recursive: true, force: true });
    assert.deepEqual(codes, [0, 0]);
  });
  races(() => ({ setup, one, two }));
});
