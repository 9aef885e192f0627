// A local aggregator speaking the `http` gateway's protocol (form posts with a `ref` field)
// that fails a share of requests: 5xx, no answer within the adapter's timeout, 429 with or
// without Retry-After, and connection resets. What each request gets is drawn from a random
// stream per message reference seeded from one seed, so a run is reproducible whatever order
// concurrent requests arrive in. Every request is logged, per reference, at arrival.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { closeServer, listen } from '../support/net.ts';

export type Fault = '5xx' | 'timeout' | '429' | 'reset';

export interface Answer {
  kind: 'ok' | Fault;
  /** The HTTP status sent (none for a timeout or a reset). */
  status: number | null;
  /** The delay a 429's Retry-After asked for, in ms; null when it had none. */
  retryAfterMs: number | null;
  /** `now()` when the request arrived: the virtual instant of the attempt. */
  at: number;
}

export interface FlakyGatewayOptions {
  seed: number;
  /** Share of requests that fail, 0..1. */
  failureRate: number;
  /** A "timeout" answers 200 this long after the request, in ms: later than the adapter waits. */
  lateAnswerMs: number;
  /** Retry-After values of 429s, in seconds; null sends none. Each is drawn equally often. */
  retryAfterSeconds: readonly (number | null)[];
  /** 429s give their Retry-After as an HTTP date (relative to `now`) for these values. */
  dateForm: (seconds: number) => boolean;
  now: () => number;
}

export interface FlakyGateway {
  url: string;
  /** Every request per `ref`, in arrival order. */
  log: Map<string, Answer[]>;
  close(): Promise<void>;
}

const FAULTS: readonly Fault[] = ['5xx', 'timeout', '429', 'reset'];
const SERVER_ERRORS = [500, 502, 503, 504] as const;

/** mulberry32: a small, well-mixed 32-bit generator. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** FNV-1a of a string mixed with the seed. */
function hash(seed: number, text: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}

async function formOf(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startFlakyGateway(options: FlakyGatewayOptions): Promise<FlakyGateway> {
  const log = new Map<string, Answer[]>();
  const streams = new Map<string, () => number>();
  const late = new Set<NodeJS.Timeout>();

  function decide(ref: string): Answer {
    let random = streams.get(ref);
    if (!random) {
      random = mulberry32(hash(options.seed, ref));
      streams.set(ref, random);
    }
    const at = options.now();
    if (random() >= options.failureRate) return { kind: 'ok', status: 200, retryAfterMs: null, at };
    const kind = pick(random, FAULTS);
    if (kind === '5xx') return { kind, status: pick(random, SERVER_ERRORS), retryAfterMs: null, at };
    if (kind === '429') {
      const seconds = pick(random, options.retryAfterSeconds);
      return { kind, status: 429, retryAfterMs: seconds === null ? null : seconds * 1000, at };
    }
    return { kind, status: null, retryAfterMs: null, at };
  }

  function reply(response: ServerResponse, answer: Answer, ref: string): void {
    const json = { 'content-type': 'application/json' };
    switch (answer.kind) {
      case 'ok':
        response.writeHead(200, json).end(JSON.stringify({ id: `gw-${ref}` }));
        return;
      case '5xx':
        response.writeHead(answer.status ?? 500, json).end('{"error":"injected failure"}');
        return;
      case '429': {
        const headers: Record<string, string> = { ...json };
        if (answer.retryAfterMs !== null) {
          const seconds = answer.retryAfterMs / 1000;
          headers['retry-after'] = options.dateForm(seconds)
            ? new Date(answer.at + answer.retryAfterMs).toUTCString()
            : String(seconds);
        }
        response.writeHead(429, headers).end('{"error":"slow down"}');
        return;
      }
      case 'timeout': {
        // The gateway got the message and says yes, but only after the adapter gave up.
        const timer = setTimeout(() => {
          late.delete(timer);
          if (!response.destroyed) response.writeHead(200, json).end(JSON.stringify({ id: `gw-${ref}` }));
        }, options.lateAnswerMs);
        late.add(timer);
        return;
      }
      case 'reset':
        response.socket?.destroy();
        return;
    }
  }

  const server = createServer((request, response) => {
    response.on('error', () => undefined);
    // A GET warms the client up (fetch loads its HTTP stack on first use, on the clock of the
    // first request's timeout); only posts are messages.
    if (request.method !== 'POST') {
      response.writeHead(204).end();
      return;
    }
    formOf(request).then(
      (form) => {
        const ref = form.get('ref') ?? '';
        const decided = decide(ref);
        const entries = log.get(ref) ?? [];
        entries.push(decided);
        log.set(ref, entries);
        reply(response, decided, ref);
      },
      () => response.destroy(),
    );
  });
  const base = await listen(server);
  return {
    url: `${base}/send`,
    log,
    async close() {
      for (const timer of late) clearTimeout(timer);
      await closeServer(server);
    },
  };
}
