// inbound: webhooks (POST /gateways/GW/inbound) from autocannon in another process against the
// real listening server; each request returns once the SMS is stored and handled and the
// project's default reply to the two-way case that sent it is queued — against a bare route
// making only the durable writes a reply needs (inbound-bare.ts). Throughput is measured at
// saturation (an offered rate above both sides' capacity), latency at half of caseline's
// measured capacity (issue #19: at a fixed offered rate the ratio measured the load generator).
// With --quick the caseline side stops at the time budget; the bare route then gets as many
// requests.
import type { FastifyInstance } from 'fastify';
import type { AddressInfo } from 'node:net';
import { parseCaseItems, upsertCases } from '../app/contacts/case-batch.ts';
import { systemClock } from '../clock.ts';
import { sql } from 'kysely';
import { countRows } from './database.ts';
import { GATEWAY, INBOUND_SECRET, PROJECT, phoneNumber, setupProject } from './fixtures.ts';
import { forkTs } from './gateway.ts';
import { expectEqual, Skip, type Benchmark } from './harness.ts';
import { bareInboundServer } from './inbound-bare.ts';
import type { LoadJob, LoadResult } from './load-process.ts';
import { benchServer } from './server.ts';

/** Requests per second offered for throughput: above what either side serves on this machine. */
const SATURATION_RATE = 5_000;
/** How long the latency runs at half capacity last, at most. */
const LATENCY_SECONDS = 5;
const CONNECTIONS = 25;
/** Two-way cases texting in turn. */
const SENDERS = 1_000;

async function load(job: LoadJob): Promise<LoadResult> {
  const child = forkTs('load-process', [JSON.stringify(job)]);
  const answer = await new Promise<{ result?: LoadResult; missing?: string }>((resolve, reject) => {
    child.once('message', (message: { result?: LoadResult; missing?: string }) => resolve(message));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the load generator exited (${code}) without a result`)));
  });
  if (answer.missing !== undefined) throw new Skip(answer.missing);
  if (!answer.result) throw new Error('the load generator sent no result');
  const result = answer.result;
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${result.non2xx} non-2xx answers and ${result.errors} errors of ${job.amount} requests`);
  return result;
}

export const inbound: Benchmark = {
  name: 'inbound',
  items: 'requests',
  fullSize: () => 30_000,
  async run(ctx) {
    const n = ctx.size;
    const senders = Math.min(SENDERS, n);
    const bench = await ctx.open();
    const store = ctx.instrument(bench.store);
    const deps = { store, clock: systemClock };
    await setupProject(
      deps,
      { default_reply: 'Thank you, we got your message. A nurse will call you.' },
      null,
    );
    const cases = Array.from({ length: senders }, (_, i) => ({
      id: `case-${i}`,
      properties: { contact_phone_number: `+${phoneNumber(i + 1)}`, contact_phone_number_is_verified: '1' },
    }));
    await upsertCases(deps, PROJECT, parseCaseItems(cases));

    const app = await benchServer(bench, store);
    const bareDb = await ctx.open();
    const bare = bareInboundServer(bareDb);
    let closing: Promise<void> | null = null;
    const closeApp = () => (closing ??= app.close());
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      await bare.listen({ port: 0, host: '127.0.0.1' });
      const path = `/gateways/${GATEWAY}/inbound`;
      const urlOf = (server: FastifyInstance) =>
        `http://127.0.0.1:${(server.server.address() as AddressInfo).port}${path}`;
      const job = {
        secret: INBOUND_SECRET,
        text: 'When is my next visit?',
        senders,
        amount: n,
        rate: SATURATION_RATE,
        connections: Math.min(CONNECTIONS, n),
        budgetSeconds: null,
      };

      ctx.progress(`autocannon at ${SATURATION_RATE}/s offered against caseline`);
      const caseline = await ctx.measure('caseline', () =>
        load({ ...job, url: urlOf(app), budgetSeconds: ctx.budgetSeconds }),
      );
      const done = caseline.ok;
      if (done < n) ctx.progress(`time budget: ${done} of ${n} requests answered`);
      ctx.progress(`autocannon at ${SATURATION_RATE}/s offered against the bare route`);
      const baseline = await ctx.measure('baseline', () => load({ ...job, amount: done, url: urlOf(bare) }));
      expectEqual('bare route: messages written', await countRows(bareDb.db.kysely, 'messages'), 2 * done);

      const capacity = caseline.ok / caseline.seconds;
      const half = Math.max(1, Math.round(capacity / 2));
      const amount = Math.max(1, Math.min(n, Math.round(half * LATENCY_SECONDS)));
      ctx.progress(`latency: ${amount} requests at ${half}/s offered (half of caseline's capacity)`);
      const latency = await load({ ...job, amount, rate: half, url: urlOf(app) });
      const baselineLatency = await load({ ...job, amount, rate: half, url: urlOf(bare) });

      // Requests abandoned at the budget may still be handled: let them finish before counting.
      await closeApp();
      const replies = await sql<{
        n: number;
      }>`select count(*) as n from messages where kind = 'reply' and direction = 'out'`.execute(
        bench.db.kysely,
      );
      const queued = Number(replies.rows[0]?.n ?? 0);
      const answered = done + latency.ok;
      if (done === n) expectEqual('replies queued', queued, answered);
      else if (queued < answered || queued > answered + job.connections)
        throw new Error(
          `replies queued: ${queued} for ${answered} answered requests and ${job.connections} in flight`,
        );
      return {
        unit: 'req/s',
        higherIsBetter: true,
        caseline: capacity,
        baseline: baseline.ok / baseline.seconds,
        done,
        details: {
          offered_rate: SATURATION_RATE,
          connections: job.connections,
          latency_rate: half,
          latency_requests: amount,
          p50_ms: latency.p50,
          p99_ms: latency.p99,
          baseline_p50_ms: baselineLatency.p50,
          baseline_p99_ms: baselineLatency.p99,
          saturated_p99_ms: caseline.p99,
        },
      };
    } finally {
      await closeApp();
      await bare.close();
    }
  },
};
