// A gateway whose answers carry what PostgreSQL cannot store (a NUL byte in a body, in a JSON id)
// and a message text with a NUL and a lone surrogate: each message reaches the gateway once, and
// everything is stored made storable (NUL → ␀, a lone surrogate → U+FFFD), the same on both
// databases. Before, PostgreSQL refused the batch's record and the batch was sent again every
// lease. The real dispatcher and `http` adapter against a local gateway.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage } from 'node:http';
import { describe, test } from 'node:test';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { createAdapters } from '../../src/gateways/registry.ts';
import { RecordingMailer } from '../../src/gateways/test/mailer.ts';
import { dispatchDue, type DispatchDeps } from '../../src/queue/dispatcher.ts';
import { DATABASES, openTestDb, START, testDeps, type DatabaseName } from '../support/databases.ts';
import { closeServer, listen } from '../support/net.ts';
import { queuedSms } from './support.ts';

async function form(request: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function run(name: DatabaseName): Promise<void> {
  const t = await openTestDb(name);
  /** Requests per message reference, and the texts they carried. */
  const requests = new Map<string, number>();
  const texts = new Map<string, string>();
  // RAW answers in plain text with a NUL byte (a 503 first, then a 200); JSON answers 200 with a
  // NUL escaped inside the id the gateway reads from it.
  const server = createServer((request, response) => {
    void form(request).then((fields) => {
      const ref = fields.get('ref') ?? '';
      const n = (requests.get(ref) ?? 0) + 1;
      requests.set(ref, n);
      texts.set(ref, fields.get('text') ?? '');
      if (request.url === '/raw' && n === 1) response.writeHead(503).end('busy\u0000try later');
      else if (request.url === '/raw') response.writeHead(200).end('OK\u0000queued');
      else response.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"gw\\u0000${ref}"}`);
    });
  });
  const url = await listen(server);
  try {
    const deps0 = testDeps(t.store);
    const { clock } = deps0;
    await putProject(deps0, 'p', {});
    for (const [id, path] of [
      ['RAW', '/raw'],
      ['JSON', '/json'],
    ] as const)
      await putGateway(deps0, id, {
        project: 'p',
        type: 'http',
        config: {
          url: `${url}${path}`,
          params: { to: '{to}', text: '{text}', ref: '{message_id}' },
          ...(id === 'JSON' ? { message_id_path: 'id' } : {}),
        },
      });
    const [raw, json] = queuedSms(2, 'p', (i) => (i === 0 ? 'RAW' : 'JSON'), START);
    assert.ok(raw && json);
    const rawMessage = await t.store.messages.insert(raw, START);
    const jsonMessage = await t.store.messages.insert({ ...json, text: 'hi\u0000 \ud83d there' }, START);
    const deps: DispatchDeps = {
      ...deps0,
      adapters: createAdapters({ publicUrl: 'http://127.0.0.1', clock }),
      mailer: new RecordingMailer(clock),
      workerId: 'w',
    };

    // The first round: RAW's 503 is stored for the retry, JSON's 200 as sent.
    assert.equal(await dispatchDue(deps), 2);
    const waiting = await t.store.messages.get(rawMessage.id);
    assert.equal(waiting?.status, 'queued');
    assert.match(waiting?.errorText ?? '', /busy␀try later/);
    for (let round = 0; ; round++) {
      assert.ok(round < 5, 'the queue keeps finding work');
      const next = await t.store.messages.nextDueAt();
      if (next === null) break;
      clock.set(next);
      await dispatchDue(deps);
    }

    assert.deepEqual(Object.fromEntries(requests), {
      [rawMessage.id]: 2,
      [jsonMessage.id]: 1,
    });
    assert.equal(texts.get(String(jsonMessage.id)), 'hi␀ \ufffd there', 'the stored text is the text sent');
    const messages = await t.db.kysely
      .selectFrom('messages')
      .select(['id', 'status', 'attempts', 'text', 'provider_message_id'])
      .orderBy('id')
      .execute();
    assert.deepEqual(messages, [
      { id: rawMessage.id, status: 'sent', attempts: 2, text: raw.text, provider_message_id: null },
      {
        id: jsonMessage.id,
        status: 'sent',
        attempts: 1,
        text: 'hi␀ \ufffd there',
        provider_message_id: `gw␀${jsonMessage.id}`,
      },
    ]);
    // A delivery report names the id as the gateway sent it.
    const byId = await t.store.messages.byProviderId('JSON', `gw\u0000${jsonMessage.id}`);
    assert.equal(byId?.id, jsonMessage.id);

    const attempts = await t.db.kysely
      .selectFrom('message_attempts')
      .select(['message_id', 'outcome', 'detail', 'response_trace'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      attempts.map((a) => [a.message_id, a.outcome]),
      [
        [rawMessage.id, 'temporary'],
        [jsonMessage.id, 'accepted'],
        [rawMessage.id, 'accepted'],
      ],
    );
    assert.match(attempts[0]?.detail ?? '', /busy␀try later/);
    assert.match(attempts[0]?.response_trace ?? '', /busy␀try later/);
    assert.equal(attempts[1]?.detail, `gw␀${jsonMessage.id}`);
    assert.match(attempts[2]?.response_trace ?? '', /OK␀queued/);
    for (const attempt of attempts)
      for (const value of Object.values(attempt))
        assert.ok(typeof value !== 'string' || !value.includes('\u0000'), `no NUL stored: ${value}`);
  } finally {
    await closeServer(server);
    await t.close();
  }
}

for (const name of DATABASES) {
  describe(`a gateway answer with a NUL byte, on ${name}`, () => {
    test('each message is sent once and stored made storable', () => run(name));
  });
}
