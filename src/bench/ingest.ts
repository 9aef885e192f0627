// ingest: cases through the batch API (POST /api/v1/projects/p/cases/batch, 1,000 a request,
// injected into the real server), each with a verified phone number so the registry syncs —
// against one bulk insert of the same case and registry rows into a fresh database. With
// --quick the requests stop at the time budget and both sides are measured on what was sent.
import { systemClock } from '../clock.ts';
import { countRows, insertTables, readTables } from './database.ts';
import { PROJECT, phoneNumber, setupProject } from './fixtures.ts';
import { expectEqual, seconds, untilDone, type Benchmark } from './harness.ts';
import { ADMIN_KEY, benchServer } from './server.ts';

const BATCH = 1_000;

export const ingest: Benchmark = {
  name: 'ingest',
  items: 'cases',
  fullSize: () => 100_000,
  async run(ctx) {
    const n = ctx.size;
    const bench = await ctx.open();
    const store = ctx.instrument(bench.store);
    await setupProject({ store, clock: systemClock }, {}, null);
    const app = await benchServer(bench, store);
    try {
      const bodies: string[] = [];
      for (let start = 0; start < n; start += BATCH) {
        const cases = [];
        for (let i = start; i < Math.min(n, start + BATCH); i++) {
          cases.push({
            id: `case-${i}`,
            type: 'patient',
            name: `Case ${i}`,
            owner: `worker-${i % 50}`,
            properties: {
              contact_phone_number: `+${phoneNumber(i + 1)}`,
              contact_phone_number_is_verified: '1',
              status: 'active',
              village: `Village ${i % 300}`,
            },
          });
        }
        bodies.push(JSON.stringify({ cases }));
      }
      ctx.progress(`${bodies.length} batch requests`);
      let done = 0;
      const { seconds: caseline, finished } = await ctx.measure('caseline', () =>
        untilDone(async () => {
          const payload = bodies[done / BATCH];
          if (payload === undefined) return false;
          const response = await app.inject({
            method: 'POST',
            url: `/api/v1/projects/${PROJECT}/cases/batch`,
            headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
            payload,
          });
          if (response.statusCode !== 200)
            throw new Error(`the batch API answered ${response.statusCode}: ${response.body.slice(0, 300)}`);
          done = Math.min(n, done + BATCH);
          return done < n;
        }, ctx.budgetSeconds),
      );
      if (!finished) ctx.progress(`time budget: ${done} of ${n} cases done`);
      expectEqual('cases', await countRows(bench.db.kysely, 'cases'), done);
      expectEqual('registry entries', await countRows(bench.db.kysely, 'phone_entries'), done);

      ctx.progress('bulk insert of the case rows and one registry row per number');
      // The rows are the least the result needs: each case, and its number in the registry.
      const rows = await readTables(bench.db.kysely, ['projects', 'cases', 'phone_entries']);
      const copy = await ctx.open();
      const baseline = await ctx.measure('baseline', () => seconds(() => insertTables(copy.db, rows)));
      expectEqual('copied cases', await countRows(copy.db.kysely, 'cases'), done);
      return {
        unit: 'cases/s',
        higherIsBetter: true,
        caseline: done / caseline,
        baseline: done / baseline,
        done,
        details: { caseline_s: caseline, baseline_s: baseline },
      };
    } finally {
      await app.close();
    }
  },
};
