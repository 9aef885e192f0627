// A whole engine around one gateway type, for tests that speak a provider's protocol: a
// database (SQLite or PostgreSQL), a project with a two-way case, a keyword and a survey, the
// real dispatcher with the registry's adapters on a virtual clock, the webhook routes in a
// Fastify instance, and a local server standing in for the provider.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { createReceiver } from '../../src/app/gateways/receive.ts';
import { storeGateway } from '../../src/app/gateways/store.ts';
import { putKeyword } from '../../src/app/inbound/keywords.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import type { MessageRecord } from '../../src/app/ports/records.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { sendMessage } from '../../src/app/sending/send.ts';
import { putSurvey } from '../../src/app/surveys/surveys.ts';
import { createAdapters, gatewayCatalog } from '../../src/gateways/registry.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { webhookRoutes } from '../../src/http/webhooks.ts';
import type { DispatchDeps } from '../../src/queue/dispatcher.ts';
import { runDueWork } from '../../src/queue/due.ts';
import { openTestDb, testDeps, type DatabaseName, type TestDb } from './databases.ts';
import { closeServer, listen } from './net.ts';

export const PUBLIC = 'https://caseline.example.org';
/** The outbound address guard lifted (CASELINE_ALLOW_PRIVATE_GATEWAYS=true): local providers. */
export const NO_GUARD = { allowPrivate: true, resolve: () => Promise.resolve([]) };
export const SECRET = 'in-s3cret';
/** The case's number (two-way). */
export const NUMBER = '254712345678';

export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Answer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
}

/** A provider on 127.0.0.1: records each request and answers what `answer` says. */
export interface Provider {
  url: string;
  requests: Recorded[];
  answer: (request: Recorded, n: number) => Answer;
  close(): Promise<void>;
}

export async function startProvider(answer: Provider['answer']): Promise<Provider> {
  const provider: Provider = { url: '', requests: [], answer, close: async () => undefined };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const recorded: Recorded = {
        method: req.method ?? '',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      provider.requests.push(recorded);
      const reply = provider.answer(recorded, provider.requests.length);
      res
        .writeHead(reply.status, reply.headers ?? { 'content-type': 'application/json' })
        .end(reply.body ?? '');
    });
  });
  provider.url = await listen(server);
  provider.close = () => closeServer(server);
  return provider;
}

export interface Harness {
  t: TestDb;
  deps: DispatchDeps & ReturnType<typeof testDeps>;
  app: FastifyInstance;
  /** Creates or changes gateway GW of this type (the project's default, with the inbound secret). */
  gateway(type: string, config: Record<string, unknown>): Promise<void>;
  /** Queues an SMS to the case; returns its message id. */
  send(text: string): Promise<number>;
  /** Does the work due now (sends, retries). */
  work(): Promise<void>;
  message(id: number): Promise<MessageRecord>;
  /** Outbound messages to the case's number, oldest first. */
  outbound(): Promise<MessageRecord[]>;
  inboundCount(): Promise<number>;
  inject(options: InjectOptions): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** `port`: the webhooks listen there (for a provider that calls them over the network), and
 *  the public address is http://127.0.0.1:port. */
export async function openHarness(
  db: DatabaseName,
  options: { port?: number; allowPrivate?: boolean } = {},
): Promise<Harness> {
  const publicUrl = options.port === undefined ? PUBLIC : `http://127.0.0.1:${options.port}`;
  const t = await openTestDb(db);
  const base = testDeps(t.store);
  const deps: Harness['deps'] = {
    ...base,
    adapters: createAdapters({
      publicUrl,
      clock: base.clock,
      receiver: createReceiver(base),
      lastInboundAt: (gatewayId, number) => t.store.messages.lastInboundAt(gatewayId, number),
      ...(options.allowPrivate === undefined ? {} : { allowPrivate: options.allowPrivate }),
    }),
    mailer: new RecordingMailer(base.clock),
    workerId: 'test',
  };
  await putProject(deps, 'p', { default_country: 'KE' });
  await upsertCase(deps, {
    project: 'p',
    id: 'c',
    properties: { contact_phone_number: NUMBER, contact_phone_number_is_verified: '1' },
  });
  await putKeyword(deps, 'p', 'INFO', { action: 'reply', reply: { text: 'Clinic opens at 8.' } });
  await putSurvey(deps, 'p', 'visit', {
    questions: [{ id: 'kids', type: 'int', text: { '*': 'How many children?' }, save_to: 'children' }],
  });
  await putKeyword(deps, 'p', 'VISIT', { action: 'survey', survey: 'visit' });
  const app = Fastify();
  app.register(async (scope) => webhookRoutes(scope, { ...deps, publicUrl, gatewayTypes: gatewayCatalog }));
  await app.ready();
  if (options.port !== undefined) await app.listen({ port: options.port, host: '127.0.0.1' });
  const all = async (direction: 'in' | 'out') => {
    const rows = await t.db.kysely
      .selectFrom('messages')
      .select('id')
      .where('direction', '=', direction)
      .orderBy('id')
      .execute();
    return Promise.all(rows.map(async (r) => (await t.store.messages.get(r.id)) as MessageRecord));
  };
  return {
    t,
    deps,
    app,
    async gateway(type, config) {
      const current = await t.store.gateways.get('GW');
      // Saved as the admin key would: trusted, so the provider on 127.0.0.1 may be reached.
      await storeGateway(
        { ...deps, gatewayTypes: gatewayCatalog, outbound: NO_GUARD },
        'GW',
        { project: 'p', type, config, default: true, inbound_secret: SECRET, retry_minutes: 1 },
        current,
        'admin',
      );
    },
    async send(text) {
      const result = await sendMessage(deps, { project: 'p', to: { case: 'c' }, text });
      const sub = result.subEvents[0] as { messageId?: number | null } | undefined;
      const id = sub?.messageId;
      if (typeof id !== 'number') throw new Error(`not queued: ${JSON.stringify(result)}`);
      return id;
    },
    async work() {
      await runDueWork(deps, { batchSize: 50, leaseMs: 60_000, concurrency: 1 });
    },
    async message(id) {
      const message = await t.store.messages.get(id);
      if (!message) throw new Error(`no message ${id}`);
      return message;
    },
    outbound: () => all('out'),
    inboundCount: async () => (await all('in')).length,
    inject: (options) => app.inject(options),
    async close() {
      await app.close();
      await t.close();
    },
  };
}
