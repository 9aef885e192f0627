// Messages (the durable outbound queue and the inbound log) and their attempts. Every free text
// written here (message texts, error texts, a gateway's ids, details and traces) goes through
// storableText first: one row PostgreSQL refuses would fail its whole batch.
import type {
  Channel,
  ContactKind,
  MessageKind,
  MessageRecord,
  MessageStatus,
  NewMessage,
} from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { storableText } from '../../domain/storable-text.ts';
import { caseAssignments, insertChunks } from '../bulk.ts';
import type { Dialect, Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['messages']>;

/** storableText for a patch field, where undefined means "leave the column as it is". */
const storable = (text: string | null | undefined) => (text === undefined ? undefined : storableText(text));

export function toMessage(row: Row): MessageRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    eventId: row.event_id,
    subEventId: row.sub_event_id,
    direction: row.direction as 'out' | 'in',
    channel: row.channel as Channel,
    contact:
      row.contact_kind && row.contact_id
        ? { kind: row.contact_kind as ContactKind, id: row.contact_id }
        : null,
    phone: row.phone,
    email: row.email,
    gatewayId: row.gateway_id,
    subject: row.subject,
    text: row.text,
    segments: row.segments,
    status: row.status as MessageStatus,
    kind: row.kind as MessageKind,
    replyTo: row.reply_to,
    dueAt: row.due_at,
    outcome: row.outcome,
    attempts: row.attempts,
    errorCode: row.error_code,
    errorText: row.error_text,
    idempotencyKey: row.idempotency_key,
    providerMessageId: row.provider_message_id,
    createdAt: row.created_at,
    sentAt: row.sent_at,
  };
}

function messageRow(message: NewMessage, now: number) {
  return {
    project_id: message.projectId,
    event_id: message.eventId,
    sub_event_id: message.subEventId,
    direction: message.direction,
    channel: message.channel,
    contact_kind: message.contact?.kind ?? null,
    contact_id: message.contact?.id ?? null,
    phone: message.phone,
    email: message.email,
    gateway_id: message.gatewayId,
    subject: storableText(message.subject),
    text: storableText(message.text),
    segments: message.segments,
    status: message.status,
    kind: message.kind,
    reply_to: message.replyTo,
    due_at: message.dueAt,
    outcome: message.outcome,
    idempotency_key: randomUUID(),
    created_at: now,
    updated_at: now,
    error_code: null,
    error_text: null,
    wait_reason: null,
    lease_owner: null,
    lease_until: null,
    provider_message_id: null,
    sent_at: null,
    delivered_at: null,
  };
}

export function messageRepo(db: Executor, dialect: Dialect): Repos['messages'] {
  return {
    async insert(message, now) {
      const row = await db
        .insertInto('messages')
        .values(messageRow(message, now))
        .returningAll()
        .executeTakeFirstOrThrow();
      return toMessage(row);
    },
    async insertMany(messages, now) {
      const ids = new Map<number, number>();
      const rows = await insertChunks<NewMessage, { id: number; sub_event_id: number | null }>(
        db,
        dialect,
        'messages',
        messages,
        (m) => messageRow(m, now),
        { returning: ['id', 'sub_event_id'] },
      );
      for (const row of rows) if (row.sub_event_id !== null) ids.set(row.sub_event_id, row.id);
      return messages.map((m) => (m.subEventId === null ? 0 : (ids.get(m.subEventId) ?? 0)));
    },
    async get(id) {
      const row = await db.selectFrom('messages').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toMessage(row) : null;
    },
    async claimDue(now, limit, lease) {
      const due = dialect.skipLocked(
        db
          .selectFrom('messages')
          .select('id')
          .where('due_at', '<=', now)
          .where('direction', '=', 'out')
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
          .orderBy('due_at')
          .orderBy('id')
          .limit(limit),
      );
      const rows = await db
        .updateTable('messages')
        .set({ lease_owner: lease.owner, lease_until: lease.until })
        .where('id', 'in', due)
        .returningAll()
        .execute();
      return rows.map(toMessage).sort((a, b) => (a.dueAt ?? 0) - (b.dueAt ?? 0) || a.id - b.id);
    },
    async nextDueAt() {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.min('due_at').as('next'))
        .where('due_at', 'is not', null)
        .executeTakeFirst();
      return row?.next ?? null;
    },
    async update(id, patch, now) {
      await db
        .updateTable('messages')
        .set({
          due_at: patch.dueAt,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
          ...(patch.status !== undefined ? { status: patch.status } : {}),
          ...(patch.errorCode !== undefined ? { error_code: patch.errorCode } : {}),
          ...(patch.errorText !== undefined ? { error_text: storableText(patch.errorText) } : {}),
          ...(patch.attempts !== undefined ? { attempts: patch.attempts } : {}),
          ...(patch.waitReason !== undefined ? { wait_reason: patch.waitReason } : {}),
          ...(patch.gatewayId !== undefined ? { gateway_id: patch.gatewayId } : {}),
          ...(patch.sentAt !== undefined ? { sent_at: patch.sentAt } : {}),
          ...(patch.providerMessageId !== undefined
            ? { provider_message_id: storableText(patch.providerMessageId) }
            : {}),
        })
        .where('id', '=', id)
        .execute();
    },
    async byProviderId(gatewayId, providerMessageId) {
      // Stored storable, so looked up the same way.
      const id = storableText(providerMessageId);
      const row =
        (await db
          .selectFrom('messages')
          .selectAll()
          .where('gateway_id', '=', gatewayId)
          .where('provider_message_id', '=', id)
          .where('direction', '=', 'out')
          .executeTakeFirst()) ??
        (await db
          .selectFrom('messages')
          .selectAll()
          .where(
            'id',
            '=',
            db
              .selectFrom('message_parts')
              .select('message_id')
              .where('gateway_id', '=', gatewayId)
              .where('provider_message_id', '=', id),
          )
          .executeTakeFirst());
      return row ? toMessage(row) : null;
    },
    async addParts(parts) {
      if (parts.length === 0) return;
      await db
        .insertInto('message_parts')
        .values(
          parts.map((p) => ({
            gateway_id: p.gatewayId,
            provider_message_id: storableText(p.providerMessageId),
            message_id: p.messageId,
            part: p.part,
          })),
        )
        // A part id seen again (a provider reusing ids) keeps its first message.
        .onConflict((oc) => oc.columns(['gateway_id', 'provider_message_id']).doNothing())
        .execute();
    },
    async partsOf(messageId) {
      const rows = await db
        .selectFrom('message_parts')
        .selectAll()
        .where('message_id', '=', messageId)
        .orderBy('part')
        .execute();
      return rows.map((r) => ({
        gatewayId: r.gateway_id,
        providerMessageId: r.provider_message_id,
        messageId: r.message_id,
        part: r.part,
        status: r.status as 'sent' | 'delivered' | 'error',
      }));
    },
    async setPartStatus(gatewayId, providerMessageId, status) {
      await db
        .updateTable('message_parts')
        .set({ status })
        .where('gateway_id', '=', gatewayId)
        .where('provider_message_id', '=', storableText(providerMessageId))
        .execute();
    },
    async lastInboundAt(gatewayId, phone) {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.max('created_at').as('at'))
        .where('gateway_id', '=', gatewayId)
        .where('phone', '=', phone)
        .where('direction', '=', 'in')
        .executeTakeFirst();
      return row?.at ?? null;
    },
    async setDelivery(id, delivery, now) {
      await db
        .updateTable('messages')
        .set({
          status: delivery.status,
          error_code: delivery.errorCode,
          error_text: storableText(delivery.errorText),
          ...(delivery.status === 'delivered' ? { delivered_at: now } : {}),
          updated_at: now,
        })
        .where('id', '=', id)
        .execute();
    },
    async updateMany(updates, now) {
      if (updates.length === 0) return;
      const rows = updates.map((u) => ({ id: u.id, ...u.patch }));
      const set = caseAssignments(rows, [
        { column: 'due_at', type: 'BIGINT', value: (r) => r.dueAt },
        { column: 'status', type: 'TEXT', value: (r) => r.status },
        { column: 'error_code', type: 'TEXT', value: (r) => r.errorCode },
        { column: 'error_text', type: 'TEXT', value: (r) => storable(r.errorText) },
        { column: 'attempts', type: 'INTEGER', value: (r) => r.attempts },
        { column: 'wait_reason', type: 'TEXT', value: (r) => r.waitReason },
        { column: 'gateway_id', type: 'TEXT', value: (r) => r.gatewayId },
        { column: 'sent_at', type: 'BIGINT', value: (r) => r.sentAt },
        { column: 'provider_message_id', type: 'TEXT', value: (r) => storable(r.providerMessageId) },
      ]);
      await db
        .updateTable('messages')
        .set({ ...set, lease_owner: null, lease_until: null, updated_at: now })
        .where(
          'id',
          'in',
          rows.map((r) => r.id),
        )
        .execute();
    },
    // The message's attempt is counted here, in the hand-off, before the send: a send whose
    // outcome is never recorded (a crash, a database refusing the outcome) has still counted,
    // so a message claimed again cannot be handed over more than max_attempts times. One
    // attempt per message per call.
    async addAttempts(attempts) {
      if (attempts.length === 0) return [];
      await db
        .updateTable('messages')
        .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
        .where(
          'id',
          'in',
          attempts.map((a) => a.messageId),
        )
        .execute();
      const rows = await insertChunks<(typeof attempts)[number], { id: number; message_id: number }>(
        db,
        dialect,
        'message_attempts',
        attempts,
        (attempt) => ({
          message_id: attempt.messageId,
          gateway_id: attempt.gatewayId,
          started_at: attempt.startedAt,
          finished_at: attempt.finishedAt,
          outcome: attempt.outcome,
          status_code: attempt.statusCode,
          detail: storableText(attempt.detail),
          request_trace: storableText(attempt.requestTrace),
          response_trace: storableText(attempt.responseTrace),
        }),
        { returning: ['id', 'message_id'] },
      );
      // RETURNING order is not promised: match the rows back by message.
      const byMessage = new Map(rows.map((row) => [row.message_id, row.id]));
      return attempts.map((attempt) => byMessage.get(attempt.messageId) ?? 0);
    },
    async finishAttempts(results) {
      if (results.length === 0) return;
      const set = caseAssignments(results, [
        { column: 'finished_at', type: 'BIGINT', value: (r) => r.finishedAt },
        { column: 'outcome', type: 'TEXT', value: (r) => r.outcome },
        { column: 'status_code', type: 'INTEGER', value: (r) => r.statusCode },
        { column: 'detail', type: 'TEXT', value: (r) => storableText(r.detail) },
        { column: 'request_trace', type: 'TEXT', value: (r) => storableText(r.requestTrace) },
        { column: 'response_trace', type: 'TEXT', value: (r) => storableText(r.responseTrace) },
      ]);
      await db
        .updateTable('message_attempts')
        .set(set)
        .where(
          'id',
          'in',
          results.map((r) => r.id),
        )
        .execute();
    },
    async recentAttemptStarts(gatewayId, since, until, limit) {
      const rows = await db
        .selectFrom('message_attempts')
        .select('started_at')
        .where('gateway_id', '=', gatewayId)
        .where('started_at', '>', since)
        .where('started_at', '<=', until)
        .orderBy('started_at', 'desc')
        .limit(limit)
        .execute();
      return rows.map((row) => row.started_at);
    },
    async countByStatus() {
      const rows = await db
        .selectFrom('messages')
        .select(['direction', 'status', 'gateway_id'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .groupBy(['direction', 'status', 'gateway_id'])
        .execute();
      return rows.map((r) => ({
        direction: r.direction,
        status: r.status,
        gatewayId: r.gateway_id,
        count: Number(r.n),
      }));
    },
    async queueDepth(now) {
      const rows = await db
        .selectFrom('messages')
        .select((eb) =>
          eb
            .case()
            .when('due_at', '<=', now)
            .then('due')
            .else(eb.fn.coalesce('wait_reason', eb.val('scheduled')))
            .end()
            .as('reason'),
        )
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('due_at', 'is not', null)
        .groupBy('reason')
        .execute();
      return rows.map((r) => ({ reason: String(r.reason), count: Number(r.n) }));
    },
    async countWaiting(projectId) {
      const row = await db
        .selectFrom('messages')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', projectId)
        .where('direction', '=', 'out')
        .where('due_at', 'is not', null)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}
