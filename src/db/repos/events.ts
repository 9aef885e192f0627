// Events, their sub-events (one per recipient), and opt-outs.
import type { EventStatus, SubEventRecord } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';
import type { Dialect, Executor } from '../dialect.ts';
import { caseAssignments, insertChunks } from '../bulk.ts';
import { flag } from '../json.ts';

function subEventRow(sub: Omit<SubEventRecord, 'id'>, now: number) {
  return {
    event_id: sub.eventId,
    project_id: sub.projectId,
    recipient_kind: sub.recipientKind,
    recipient_id: sub.recipientId,
    status: sub.status,
    error_code: sub.errorCode,
    error_text: sub.errorText,
    created_at: now,
    updated_at: now,
  };
}

export function eventRepo(db: Executor, dialect: Dialect): Repos['events'] {
  return {
    async create(event, now) {
      const row = await db
        .insertInto('events')
        .values({
          project_id: event.projectId,
          source: event.source,
          source_id: event.sourceId,
          channel: event.channel,
          content: JSON.stringify(event.content ?? {}),
          status: 'in_progress',
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async addSubEvent(sub, now) {
      const row = await db
        .insertInto('sub_events')
        .values(subEventRow(sub, now))
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    },
    async addSubEvents(subs, now) {
      const ids = new Map<string, number>();
      const key = (kind: string, id: string) => `${kind}\u0000${id}`;
      const rows = await insertChunks<
        Omit<SubEventRecord, 'id'>,
        { id: number; recipient_kind: string; recipient_id: string }
      >(db, dialect, 'sub_events', subs, (sub) => subEventRow(sub, now), {
        returning: ['id', 'recipient_kind', 'recipient_id'],
      });
      for (const row of rows) ids.set(key(row.recipient_kind, row.recipient_id), row.id);
      return subs.map((sub) => ids.get(key(sub.recipientKind, sub.recipientId)) ?? 0);
    },
    async finishSubEvents(results, now) {
      if (results.length === 0) return;
      const set = caseAssignments(results, [
        { column: 'status', type: 'TEXT', value: (r) => r.status },
        { column: 'error_code', type: 'TEXT', value: (r) => r.error?.code ?? null },
        { column: 'error_text', type: 'TEXT', value: (r) => r.error?.text ?? null },
      ]);
      await db
        .updateTable('sub_events')
        .set({ ...set, updated_at: now })
        .where(
          'id',
          'in',
          results.map((r) => r.id),
        )
        .execute();
    },
    async refreshStatus(eventId, now) {
      // Two index probes rather than reading every sub-event: a broadcast's event has thousands.
      const has = async (status: EventStatus) =>
        (await db
          .selectFrom('sub_events')
          .select('id')
          .where('event_id', '=', eventId)
          .where('status', '=', status)
          .limit(1)
          .executeTakeFirst()) !== undefined;
      const status: EventStatus = (await has('error'))
        ? 'error'
        : (await has('in_progress'))
          ? 'in_progress'
          : 'completed';
      await db
        .updateTable('events')
        .set({ status, updated_at: now })
        .where('id', '=', eventId)
        .where('status', '!=', status)
        .execute();
    },
    async countSubEventErrors(projectId, recipientKind, recipientId, code) {
      const row = await db
        .selectFrom('sub_events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('project_id', '=', projectId)
        .where('recipient_kind', '=', recipientKind)
        .where('recipient_id', '=', recipientId)
        .where('error_code', '=', code)
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },
  };
}

export function optOutRepo(db: Executor): Repos['optOuts'] {
  return {
    async get(number) {
      const row = await db.selectFrom('opt_outs').selectAll().where('number', '=', number).executeTakeFirst();
      return row
        ? { number: row.number, optedOut: row.opted_out === 1, canOptIn: row.can_opt_in === 1 }
        : null;
    },
    async optedOut(numbers) {
      const found = new Map<string, { number: string; optedOut: boolean; canOptIn: boolean }>();
      if (numbers.length === 0) return found;
      const rows = await db
        .selectFrom('opt_outs')
        .selectAll()
        .where('number', 'in', [...new Set(numbers)])
        .where('opted_out', '=', 1)
        .execute();
      for (const row of rows)
        found.set(row.number, { number: row.number, optedOut: true, canOptIn: row.can_opt_in === 1 });
      return found;
    },
    async put(record, now) {
      const values = {
        opted_out: flag(record.optedOut),
        can_opt_in: flag(record.canOptIn),
        project_id: record.projectId,
        updated_at: now,
        ...(record.optedOut ? { opted_out_at: now } : { opted_in_at: now }),
      };
      await db
        .insertInto('opt_outs')
        .values({ number: record.number, opted_out_at: null, opted_in_at: null, ...values })
        .onConflict((oc) => oc.column('number').doUpdateSet(values))
        .execute();
    },
  };
}
