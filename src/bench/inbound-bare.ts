// The inbound benchmark's baseline (issue #19): a bare Fastify route making the least durable
// writes a reply to an inbound SMS needs — the inbound message and the queued reply, in one
// transaction — on its own fresh database; no gateway, owner, contact, session or keyword
// look-up, no events.
import Fastify, { type FastifyInstance } from 'fastify';
import type { BenchDb } from './database.ts';
import { GATEWAY, PROJECT } from './fixtures.ts';

const REPLY = 'Thank you, we got your message. A nurse will call you.';

export function bareInboundServer(bench: BenchDb): FastifyInstance {
  const bare = Fastify({ logger: false });
  let next = 0;
  bare.post<{ Body: { from?: string; text?: string } }>('/gateways/:id/inbound', async (request) => {
    const { from = '', text = '' } = request.body;
    const key = `bare-${process.pid}-${next++}`;
    const now = Date.now();
    await bench.db.kysely.transaction().execute(async (tx) => {
      const row = { project_id: PROJECT, channel: 'sms' as const, phone: from, gateway_id: GATEWAY };
      const inbound = await tx
        .insertInto('messages')
        .values({
          ...row,
          direction: 'in',
          text,
          status: 'received',
          idempotency_key: `${key}-in`,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await tx
        .insertInto('messages')
        .values({
          ...row,
          direction: 'out',
          text: REPLY,
          status: 'queued',
          kind: 'reply',
          reply_to: inbound.id,
          due_at: now,
          idempotency_key: `${key}-out`,
          created_at: now,
          updated_at: now,
        })
        .execute();
    });
    return { ok: true };
  });
  return bare;
}
