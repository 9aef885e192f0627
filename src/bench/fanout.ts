// fanout: an immediate broadcast to N phone recipients, from putBroadcast until every message
// row is queued (the due firing run to the end) — against the least work that result needs:
// one bulk insert of one queued message row per recipient into a fresh database (issue #19;
// the rows caseline chooses to write besides, instance, event and sub-events, are
// its own cost, so writing fewer shows).
import { putBroadcast } from '../app/scheduling/broadcasts.ts';
import { fireDueSchedules } from '../app/scheduling/firing.ts';
import { systemClock } from '../clock.ts';
import { countRows, insertRows } from './database.ts';
import { PROJECT, phoneNumber, queuedRows, setupProject } from './fixtures.ts';
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
    const putSeconds = await ctx.measure('caseline', () =>
      seconds(() =>
        putBroadcast(deps, {
          project: PROJECT,
          id: 'b1',
          recipients,
          schedule: { type: 'immediate' },
          content: { text: 'A message to everyone in the programme' },
        }),
      ),
    );
    let rounds = 0;
    const fireSeconds = await ctx.measure('caseline', () =>
      seconds(async () => {
        while ((await fireDueSchedules(deps, FIRE_BATCH)) > 0) rounds++;
      }),
    );
    const queued =
      (await bench.store.messages.countByStatus()).find((s) => s.status === 'queued')?.count ?? 0;
    expectEqual('queued messages', queued, n);

    ctx.progress('bulk insert of one queued message row per recipient');
    const copy = await ctx.open();
    const now = Date.now();
    // Built before the clock starts, as the recipients list is: only the insert is timed.
    const { messages } = queuedRows(n, now, () => now);
    const rows = messages.map((row) => ({
      ...row,
      sub_event_id: null,
      text: 'A message to everyone in the programme',
    }));
    const baseline = await ctx.measure('baseline', () =>
      seconds(() => copy.db.kysely.transaction().execute((tx) => insertRows(tx, 'messages', rows))),
    );
    expectEqual('inserted messages', await countRows(copy.db.kysely, 'messages'), n);
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
