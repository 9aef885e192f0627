// inbound: webhooks (POST /gateways/GW/inbound) at a fixed offered rate from autocannon in
// another process, against the real listening server; each request returns once the SMS is
// stored and handled and the project's default reply to the two-way case that sent it is
// queued — against the same autocannon run on a bare Fastify route that does nothing. With
// --quick the caseline side stops at the time budget; the bare route then gets as many requests.
import Fastify from 'fastify';
import type { AddressInfo } from 'node:net';
import { parseCaseItems, upsertCases } from '../app/contacts/case-batch.ts';
import { systemClock } from '../clock.ts';
import { sql } from 'kysely';
import { GATEWAY, INBOUND_SECRET, PROJECT, phoneNumber, setupProject } from './fixtures.ts';
import { forkTs } from './gateway.ts';
import { expectEqual, Skip, type Benchmark } from './harness.ts';
import type { LoadJob, LoadResult } from './load-process.ts';
import { benchServer } from './server.ts';

/** Requests per second offered: the inbound target of peers.md §4.4. */
const OFFERED_RATE = 1_000;
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
    const bare = Fastify({ logger: false });
    let closing: Promise<void> | null = null;
    const closeApp = () => (closing ??= app.close());
    bare.post('/gateways/:id/inbound', async () => ({ ok: true }));
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      await bare.listen({ port: 0, host: '127.0.0.1' });
      const path = `/gateways/${GATEWAY}/inbound`;
      const job = {
        secret: INBOUND_SECRET,
        text: 'When is my next visit?',
        senders,
        amount: n,
        rate: OFFERED_RATE,
        connections: Math.min(CONNECTIONS, n),
        budgetSeconds: null,
      };

      ctx.progress(`autocannon at ${OFFERED_RATE}/s against caseline`);
      const caseline = await load({
        ...job,
        url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}${path}`,
        budgetSeconds: ctx.budgetSeconds,
      });
      const done = caseline.ok;
      if (done < n) ctx.progress(`time budget: ${done} of ${n} requests answered`);
      // Requests abandoned at the budget may still be handled: let them finish before counting.
      await closeApp();
      const replies = await sql<{
        n: number;
      }>`select count(*) as n from messages where kind = 'reply' and direction = 'out'`.execute(
        bench.db.kysely,
      );
      const queued = Number(replies.rows[0]?.n ?? 0);
      if (done === n) expectEqual('replies queued', queued, n);
      else if (queued < done || queued > done + job.connections)
        throw new Error(
          `replies queued: ${queued} for ${done} answered requests and ${job.connections} in flight`,
        );

      ctx.progress(`autocannon at ${OFFERED_RATE}/s against a bare route`);
      const baseline = await load({
        ...job,
        amount: done,
        url: `http://127.0.0.1:${(bare.server.address() as AddressInfo).port}${path}`,
      });
      return {
        unit: 'req/s',
        higherIsBetter: true,
        caseline: caseline.ok / caseline.seconds,
        baseline: baseline.ok / baseline.seconds,
        done,
        details: {
          offered_rate: OFFERED_RATE,
          connections: job.connections,
          p50_ms: caseline.p50,
          p99_ms: caseline.p99,
          baseline_p50_ms: baseline.p50,
          baseline_p99_ms: baseline.p99,
        },
      };
    } finally {
      await closeApp();
      await bare.close();
    }
  },
};
