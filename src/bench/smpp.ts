// smpp: N queued SMS dispatched through the real queue and the `smpp` adapter (one bind,
// window 10) to a local SMSC in its own process, every status persisted — against a bare
// client of the same package (smpp@0.5.1) submitting the same N texts on one bind with the
// same window of 10 outstanding submit_sm. Only the dispatch is timed; both sides bind first.
import smpp from 'smpp';
import type { Session } from 'smpp';
import { putGateway } from '../app/gateways/gateways.ts';
import { putProject } from '../app/projects/projects.ts';
import { systemClock } from '../clock.ts';
import { createAdapters } from '../gateways/registry.ts';
import type { DispatchDeps } from '../queue/dispatcher.ts';
import { dispatchPipelined } from '../queue/pipeline.ts';
import { insertRows } from './database.ts';
import { GATEWAY, PROJECT, noMailer, phoneNumber, queuedRows } from './fixtures.ts';
import { forkTs } from './gateway.ts';
import { expectEqual, seconds, type Benchmark } from './harness.ts';
import type { SmscRequest, SmscStats } from './smsc-process.ts';

const WINDOW = 10;
const OPTIONS = { batchSize: 200, leaseMs: 60_000, concurrency: 16 };

async function startSmsc() {
  // As the gateway's: dist/bench/smsc-process.js once built, the TypeScript through tsx before.
  const child = forkTs('smsc-process');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the SMSC process exited (${code})`)));
    child.once('message', (message: { port: number }) => resolve(message.port));
  });
  let next = 0;
  const ask = <T>(type: SmscRequest['type']): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      const onMessage = (message: { id?: number } & T) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ type, id });
    });
  return {
    port,
    stats: async () => (await ask<{ stats: SmscStats }>('stats')).stats,
    reset: () => ask('reset'),
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}

/** The bare client: one bind_transceiver, `count` submits with `window` outstanding. */
async function bareSubmit(port: number, from: number, count: number, window: number): Promise<void> {
  const session: Session = smpp.connect({ host: '127.0.0.1', port });
  session.on('error', () => undefined);
  await new Promise<void>((resolve) => session.once('connect', () => resolve()));
  session.socket.setNoDelay(true);
  await new Promise<void>((resolve) =>
    session.bind_transceiver({ system_id: 'bare', password: 'bare' }, () => resolve()),
  );
  let next = from;
  const end = from + count;
  const lane = async () => {
    while (next < end) {
      const i = next++;
      await new Promise<void>((resolve, reject) =>
        session.submit_sm(
          {
            destination_addr: phoneNumber(i),
            dest_addr_ton: 1,
            dest_addr_npi: 1,
            registered_delivery: 1,
            data_coding: 0,
            short_message: Buffer.from(`Benchmark message ${i}`, 'latin1'),
          },
          (pdu) => (pdu.command_status === 0 ? resolve() : reject(new Error(`status ${pdu.command_status}`))),
        ),
      );
    }
  };
  await Promise.all(Array.from({ length: window }, lane));
  session.destroy();
}

export const smppBench: Benchmark = {
  name: 'smpp',
  items: 'messages',
  fullSize: () => 50_000,
  async run(ctx) {
    const n = ctx.size;
    const smsc = await startSmsc();
    const adapters = createAdapters({ publicUrl: 'http://127.0.0.1' });
    try {
      const bench = await ctx.open();
      const deps: DispatchDeps = {
        store: ctx.instrument(bench.store),
        clock: systemClock,
        adapters,
        mailer: noMailer,
        workerId: 'bench',
      };
      await putProject(deps, PROJECT, { daily_sms_limit: 1_000_000_000 });
      await putGateway(deps, GATEWAY, {
        project: PROJECT,
        default: true,
        type: 'smpp',
        config: {
          host: '127.0.0.1',
          port: smsc.port,
          system_id: 'caseline',
          password: 'bench',
          window: WINDOW,
        },
      });
      const now = Date.now();
      const rows = queuedRows(n, now, () => now);
      await bench.db.kysely.transaction().execute(async (tx) => {
        await insertRows(tx, 'events', rows.events);
        await insertRows(tx, 'sub_events', rows.subEvents);
        await insertRows(tx, 'messages', rows.messages);
      });
      // Bind first (and warm the JIT) on submits that are not counted.
      adapters('smpp')?.connect?.([(await bench.store.gateways.get(GATEWAY))!]);
      await bareSubmit(smsc.port, n + 1, Math.min(1_000, n), WINDOW);
      await smsc.reset();

      ctx.progress('dispatching through the queue and the smpp adapter');
      const caselineSeconds = await ctx.measure('caseline', () =>
        seconds(async () => {
          while ((await dispatchPipelined(deps, OPTIONS)) > 0);
        }),
      );
      const sent =
        (await bench.store.messages.countByStatus()).find((s) => s.direction === 'out' && s.status === 'sent')
          ?.count ?? 0;
      expectEqual('messages sent', sent, n);
      expectEqual('distinct messages at the SMSC', (await smsc.stats()).distinct, n);

      await smsc.reset();
      ctx.progress('bare smpp client');
      const baselineSeconds = await ctx.measure('baseline', () =>
        seconds(() => bareSubmit(smsc.port, 1, n, WINDOW)),
      );
      expectEqual('distinct submits at the SMSC', (await smsc.stats()).distinct, n);
      return {
        unit: 'msg/s',
        higherIsBetter: true,
        caseline: n / caselineSeconds,
        baseline: n / baselineSeconds,
        details: { caseline_s: caselineSeconds, baseline_s: baselineSeconds, window: WINDOW },
      };
    } finally {
      await adapters('smpp')?.close?.();
      await smsc.close();
    }
  },
};
