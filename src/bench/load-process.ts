// The load generator of the inbound benchmark, in its own process so that it does not share an
// event loop with the server it measures: autocannon posting inbound SMS at a fixed offered
// rate, each from the next of `senders` numbers, for `amount` requests or until the time
// budget (requests in flight then are abandoned). Reads its job as JSON from argv[2] and sends
// back autocannon's result over IPC.
import { phoneNumber } from './fixtures.ts';

export interface LoadJob {
  url: string;
  secret: string;
  text: string;
  senders: number;
  amount: number;
  rate: number;
  connections: number;
  /** Stop after this many seconds even if `amount` requests have not all been answered. */
  budgetSeconds: number | null;
}

export interface LoadResult {
  ok: number;
  non2xx: number;
  errors: number;
  seconds: number;
  p50: number;
  p99: number;
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
let autocannon: typeof import('autocannon').default;
try {
  autocannon = (await import('autocannon')).default;
} catch {
  process.send?.({ missing: 'autocannon is not installed (npm i -D autocannon@9.0.0)' });
  process.exit(0);
}
let next = 0;
const url = new URL(job.url);
// Timed here: autocannon's own `duration` counts whole ticks of its one-second timer, so 3,000
// requests in 3.0 s and in 3.9 s read alike.
const started = performance.now();
const instance = autocannon({
  url: url.origin,
  connections: job.connections,
  amount: job.amount,
  overallRate: job.rate,
  timeout: 30,
  requests: [
    {
      method: 'POST',
      path: url.pathname,
      headers: { 'content-type': 'application/json', 'x-caseline-secret': job.secret },
      setupRequest: (request) => ({
        ...request,
        body: JSON.stringify({ from: `+${phoneNumber((next++ % job.senders) + 1)}`, text: job.text }),
      }),
    },
  ],
});
const timer = job.budgetSeconds === null ? null : setTimeout(() => instance.stop(), job.budgetSeconds * 1000);
const result = await instance;
const elapsed = (performance.now() - started) / 1000;
if (timer) clearTimeout(timer);
const loadResult: LoadResult = {
  ok: result['2xx'],
  non2xx: result.non2xx,
  errors: result.errors,
  seconds: elapsed,
  p50: result.latency.p50,
  p99: result.latency.p99,
};
process.send?.({ result: loadResult });
process.disconnect();
