// fanout: an immediate broadcast to N phone recipients, from putBroadcast until every message
// row is queued (the due firing run to the end) — against one bulk insert of the same rows
// (instance, event, sub-events, messages, firings) into a fresh database.
import { putBroadcast } from '../app/scheduling/broadcasts.ts';
import { fireDueSchedules } from '../app/scheduling/firing.ts';
import { systemClock } from '../clock.ts';
import { copyTables, countRows } from './database.ts';
import { PROJECT, phoneNumber, setupProject } from './fixtures.ts';
import { expectEqual, seconds, type Benchmark } from './harness.ts';

/** Instances fired per round, as the worker's batch. */
const FIRE_BATCH = 100;

export const fanout: Benchmark = {
  name: 'fanout',
  items: 'recipients',
  fullSize: () => 100_000,
  async run(ctx) {
    const n = ctx.size;
    const bench = await ctx.open();
    const deps = { store: ctx.instrument(bench.store), clock: systemClock };
    await setupProject(deps, {}, null);
    const recipients = Array.from({ length: n }, (_, i) => ({ phone: `+${phoneNumber(i + 1)}` }));

    ctx.progress('broadcast and firing');
    const putSeconds = await seconds(() =>
      putBroadcast(deps, {
        project: PROJECT,
        id: 'b1',
        recipients,
        schedule: { type: 'immediate' },
        content: { text: 'A message to everyone in the programme' },
      }),
    );
    let rounds = 0;
    const fireSeconds = await seconds(async () => {
      while ((await fireDueSchedules(deps, FIRE_BATCH)) > 0) rounds++;
    });
    const queued =
      (await bench.store.messages.countByStatus()).find((s) => s.status === 'queued')?.count ?? 0;
    expectEqual('queued messages', queued, n);

    ctx.progress('bulk insert of the same rows');
    const copy = await ctx.open();
    const baseline = await copyTables(bench.db.kysely, copy.db, [
      'schedule_instances',
      'events',
      'sub_events',
      'messages',
      'schedule_firings',
    ]);
    expectEqual('copied messages', await countRows(copy.db.kysely, 'messages'), n);
    const caseline = putSeconds + fireSeconds;
    return {
      unit: 's',
      higherIsBetter: false,
      caseline,
      baseline,
      details: { put_s: putSeconds, fire_s: fireSeconds, rounds, messages_per_s: n / caseline },
    };
  },
};
