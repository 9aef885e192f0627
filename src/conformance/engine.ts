// A fresh engine for one scenario: its own database (in-memory SQLite, or a new schema in a
// PostgreSQL database), a virtual clock, test gateways and a recording mailer.
import { randomBytes } from 'node:crypto';
import { VirtualClock } from '../clock.ts';
import { openDatabase } from '../db/connection.ts';
import type { Db } from '../db/dialect.ts';
import { dropSchema } from '../db/postgres/connection.ts';
import { createStore } from '../db/store.ts';
import { RecordingMailer } from '../gateways/test/mailer.ts';
import { TestGateway } from '../gateways/test/test.ts';
import type { DispatchDeps } from '../queue/dispatcher.ts';
import { nextDueAt, runDueWork } from '../queue/due.ts';

export interface ScenarioEngine {
  deps: DispatchDeps;
  clock: VirtualClock;
  gateway: TestGateway;
  mailer: RecordingMailer;
  /** Does all work due at or before `until`, each piece at its due instant, then moves the clock to `until`. */
  settle(until: number): Promise<void>;
  close(): Promise<void>;
}

/** How many rounds of due work one settle may take before the runner calls it a livelock. */
const MAX_ROUNDS = 100_000;

export async function createScenarioEngine(
  start: number,
  databaseUrl: string | undefined,
): Promise<ScenarioEngine> {
  const postgres = databaseUrl !== undefined && /^postgres(ql)?:\/\//.test(databaseUrl);
  const schema = postgres ? `caseline_scenario_${randomBytes(6).toString('hex')}` : undefined;
  let db: Db;
  if (databaseUrl === undefined || !postgres) db = await openDatabase(databaseUrl ?? ':memory:');
  else db = await openDatabase(databaseUrl, { schema, max: 2 });
  await db.migrate();

  const clock = new VirtualClock(start);
  const store = createStore(db);
  const gateway = new TestGateway(clock);
  const mailer = new RecordingMailer(clock);
  const deps: DispatchDeps = {
    store,
    clock,
    adapters: (type) => (type === 'test' ? gateway : null),
    mailer,
    workerId: 'conformance',
  };

  async function settle(until: number): Promise<void> {
    for (let round = 0; ; round++) {
      if (round > MAX_ROUNDS) throw new Error('work kept falling due without end (livelock)');
      const next = await nextDueAt(store);
      if (next === null || next > until) break;
      clock.set(next);
      if ((await runDueWork(deps)) === 0)
        throw new Error(`work due at ${new Date(next).toISOString()} could not be done`);
    }
    clock.set(until);
  }

  return {
    deps,
    clock,
    gateway,
    mailer,
    settle,
    async close() {
      await db.close();
      if (schema !== undefined && databaseUrl !== undefined) await dropSchema(databaseUrl, schema);
    },
  };
}
