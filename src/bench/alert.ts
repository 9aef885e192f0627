// alert: a conditional alert created over N open cases, from putAlert until every instance and
// its next due instant is stored (processPendingAlerts run until it has nothing left) — against
// the least work that result needs: one bulk insert of one row per matching case holding its
// next due instant (an instance row with no state of its own), into a fresh database. The cases themselves are
// bulk-inserted first, untimed. With --quick the processing stops at the time budget and both
// sides are measured on the cases it finished.
import { sql, type Insertable } from 'kysely';
import { processPendingAlerts, putAlert } from '../app/scheduling/alerts.ts';
import { systemClock } from '../clock.ts';
import type { Database } from '../db/schema.ts';
import { countRows, insertRows } from './database.ts';
import { PROJECT, setupProject } from './fixtures.ts';
import { expectEqual, seconds, untilDone, type Benchmark } from './harness.ts';

/** Per-case zones, so that instants are computed per zone and across a DST change. */
const ZONES = ['Africa/Nairobi', 'Asia/Kolkata', 'America/New_York', 'Europe/London'];

export const alert: Benchmark = {
  name: 'alert',
  items: 'cases',
  fullSize: (database) => (database === 'postgres' ? 1_000_000 : 200_000),
  async run(ctx) {
    const n = ctx.size;
    const bench = await ctx.open();
    const deps = { store: ctx.instrument(bench.store), clock: systemClock };
    await setupProject(deps, { time_zone: 'Africa/Nairobi' }, null);
    ctx.progress('bulk insert of the cases (untimed)');
    const now = Date.now();
    await bench.db.kysely.transaction().execute(async (tx) => {
      const page = 50_000;
      for (let start = 0; start < n; start += page) {
        const rows: Insertable<Database['cases']>[] = [];
        for (let i = start; i < Math.min(n, start + page); i++) {
          const properties = JSON.stringify({
            status: 'active',
            time_zone: ZONES[i % ZONES.length],
            edd: '2031-03-0' + ((i % 9) + 1),
          });
          rows.push({
            project_id: PROJECT,
            id: `c${String(i).padStart(7, '0')}`,
            type: 'patient',
            name: `Case ${i}`,
            owner_id: null,
            closed: 0,
            deleted: 0,
            properties,
            server_modified_on: now,
            created_at: now,
            updated_at: now,
          });
        }
        await insertRows(tx, 'cases', rows);
      }
    });

    ctx.progress('alert processing');
    let batches = 0;
    const started = performance.now();
    const { finished } = await ctx.measure('caseline', async () => {
      await putAlert(deps, {
        project: PROJECT,
        id: 'a1',
        case_type: 'patient',
        criteria: [{ property: 'status', op: 'equals', value: 'active' }],
        schedule: { type: 'weekly', days: ['mon', 'thu'], time: '09:00', occurrences: 8 },
        content: { text: 'Your clinic day is {case.edd}: please come.' },
      });
      const budget =
        ctx.budgetSeconds === null ? null : ctx.budgetSeconds - (performance.now() - started) / 1000;
      return untilDone(async () => {
        if ((await processPendingAlerts(deps)) === 0) return false;
        batches++;
        return true;
      }, budget);
    });
    const caseline = (performance.now() - started) / 1000;
    const scheduled = await bench.db.kysely
      .selectFrom('schedule_instances')
      .select(sql<number>`count(*)`.as('n'))
      .where('next_due_at', 'is not', null)
      .executeTakeFirst();
    const done = Number(scheduled?.n ?? 0);
    expectEqual(
      'alert instances with a next due instant',
      done,
      finished ? n : await countRows(bench.db.kysely, 'schedule_instances'),
    );
    if (!finished) ctx.progress(`time budget: ${done} of ${n} cases done`);

    ctx.progress('bulk insert of one row per case with its next due instant');
    // The due instants caseline computed, read untimed: the baseline stores them, no more.
    const due = await bench.db.kysely
      .selectFrom('schedule_instances')
      .select(['subject_key', 'next_due_at'])
      .where('next_due_at', 'is not', null)
      .execute();
    const rows = due.map((row): Insertable<Database['schedule_instances']> => ({
      project_id: PROJECT,
      source_kind: 'alert',
      source_id: 'a1',
      subject_key: row.subject_key,
      next_due_at: row.next_due_at,
      state: '{}',
      occurrences: 0,
      active: 1,
      created_at: now,
      updated_at: now,
    }));
    const copy = await ctx.open();
    const baseline = await ctx.measure('baseline', () =>
      seconds(() => copy.db.kysely.transaction().execute((tx) => insertRows(tx, 'schedule_instances', rows))),
    );
    expectEqual('copied instances', await countRows(copy.db.kysely, 'schedule_instances'), done);
    return {
      unit: 's',
      higherIsBetter: false,
      caseline,
      baseline,
      done,
      details: { batches, instances_per_s: done / caseline },
    };
  },
};
