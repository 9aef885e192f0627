// The API's read queries over Kysely, the same on both dialects: keyset pages by id (so pages
// stay stable while rows are added), every query scoped to its project.
import type { Selectable } from 'kysely';
import type { EventStatus, RecipientKind } from '../app/ports/records.ts';
import type { ProjectSettings } from '../domain/project-settings.ts';
import {
  ALL_PROJECTS,
  type EventRow,
  type MessageRow,
  type Page,
  type ReadModel,
  type SubEventRow,
} from '../app/ports/read-model.ts';
import { createConfigReads } from './config-reads.ts';
import type { Db } from './dialect.ts';
import { parseJson } from './json.ts';
import type { Database } from './schema.ts';
import { toCase, toWorker } from './repos/contacts.ts';
import { toMessage as toMessageRecord } from './repos/messages.ts';

type Tables = { [T in keyof Database]: Selectable<Database[T]> };

/** Fetches limit + 1 rows to know whether another page follows. */
function page<Row, Item>(
  rows: Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => string,
): Page<Item> {
  const more = rows.length > limit;
  const kept = more ? rows.slice(0, limit) : rows;
  const last = kept.at(-1);
  return { items: kept.map(toItem), nextCursor: more && last !== undefined ? cursorOf(last) : null };
}

/** A numeric cursor (the log's ids); anything else starts from the top. */
function numericCursor(cursor: string | undefined): number | null {
  if (cursor === undefined || !/^\d{1,15}$/.test(cursor)) return null;
  return Number(cursor);
}

/** A stored message with the log's extra columns. */
export function toMessageRow(row: Tables['messages']): MessageRow {
  return {
    ...toMessageRecord(row),
    waitReason: row.wait_reason,
    deliveredAt: row.delivered_at,
    updatedAt: row.updated_at,
  };
}

export function createReadModel(db: Db): ReadModel {
  const k = db.kysely;
  return {
    ...createConfigReads(db),
    async listProjects({ cursor, limit }) {
      let query = k
        .selectFrom('projects')
        .selectAll()
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      const rows = await query.execute();
      return page(
        rows,
        limit,
        (row) => ({ id: row.id, settings: parseJson<ProjectSettings>(row.settings, {}) }),
        (row) => row.id,
      );
    },

    async listCases(projectId, { cursor, limit, type, open }) {
      let query = k
        .selectFrom('cases')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (type !== undefined) query = query.where('type', '=', type);
      if (open === true) query = query.where('closed', '=', 0).where('deleted', '=', 0);
      if (open === false) query = query.where((eb) => eb.or([eb('closed', '=', 1), eb('deleted', '=', 1)]));
      return page(await query.execute(), limit, toCase, (row) => row.id);
    },

    async listWorkers(projectId, { cursor, limit }) {
      let query = k
        .selectFrom('mobile_workers')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      return page(await query.execute(), limit, toWorker, (row) => row.id);
    },

    async workerByUsername(projectId, username) {
      const row = await k
        .selectFrom('mobile_workers')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('username', '=', username)
        .executeTakeFirst();
      return row ? toWorker(row) : null;
    },

    async listMessages(scope, filter) {
      let query = k
        .selectFrom('messages')
        .selectAll()
        .orderBy('id', 'desc')
        .limit(filter.limit + 1);
      if (scope === null) query = query.where('project_id', 'is', null);
      else if (scope !== ALL_PROJECTS) query = query.where('project_id', '=', scope);
      const cursor = numericCursor(filter.cursor);
      if (cursor !== null) query = query.where('id', '<', cursor);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.direction !== undefined) query = query.where('direction', '=', filter.direction);
      if (filter.contact !== undefined) {
        query = query
          .where('contact_kind', '=', filter.contact.kind)
          .where('contact_id', '=', filter.contact.id);
      }
      if (filter.number !== undefined) query = query.where('phone', '=', filter.number);
      if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
      if (filter.errorCode !== undefined) query = query.where('error_code', '=', filter.errorCode);
      return page(await query.execute(), filter.limit, toMessageRow, (row) => String(row.id));
    },

    async message(projectId, id) {
      const row = await k
        .selectFrom('messages')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toMessageRow(row) : null;
    },

    async attempts(messageId) {
      const rows = await k
        .selectFrom('message_attempts')
        .selectAll()
        .where('message_id', '=', messageId)
        .orderBy('id')
        .execute();
      return rows.map((row) => ({
        id: row.id,
        messageId: row.message_id,
        gatewayId: row.gateway_id,
        startedAt: row.started_at,
        finishedAt: row.finished_at,
        outcome: row.outcome,
        statusCode: row.status_code,
        detail: row.detail,
        requestTrace: row.request_trace,
        responseTrace: row.response_trace,
      }));
    },

    async listEvents(projectId, filter) {
      let query = k
        .selectFrom('events')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id', 'desc')
        .limit(filter.limit + 1);
      const cursor = numericCursor(filter.cursor);
      if (cursor !== null) query = query.where('id', '<', cursor);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.source !== undefined) query = query.where('source', '=', filter.source);
      if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
      return page(await query.execute(), filter.limit, toEvent, (row) => String(row.id));
    },

    async event(projectId, id) {
      const row = await k
        .selectFrom('events')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row ? toEvent(row) : null;
    },

    async subEvents(eventId) {
      const rows = await k
        .selectFrom('sub_events')
        .selectAll()
        .where('event_id', '=', eventId)
        .orderBy('id')
        .execute();
      return rows.map(toSubEventRow);
    },

    async failedWithoutMessage(projectId, contact, limit) {
      const rows = await k
        .selectFrom('sub_events')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('recipient_kind', '=', contact.kind)
        .where('recipient_id', '=', contact.id)
        .where('status', '=', 'error')
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('messages')
                .select('messages.id')
                .whereRef('messages.sub_event_id', '=', 'sub_events.id'),
            ),
          ),
        )
        .orderBy('id', 'desc')
        .limit(limit)
        .execute();
      return rows.map(toSubEventRow);
    },

    async projectOptOuts(projectId) {
      const rows = await k
        .selectFrom('opt_outs')
        .select(['number', 'can_opt_in', 'opted_out_at'])
        .where('opted_out', '=', 1)
        .where((eb) =>
          eb.or([
            eb(
              'number',
              'in',
              eb.selectFrom('phone_entries').select('number').where('project_id', '=', projectId),
            ),
            eb(
              'number',
              'in',
              eb
                .selectFrom('messages')
                .select('phone')
                .where('project_id', '=', projectId)
                .where('phone', 'is not', null),
            ),
          ]),
        )
        .orderBy('number')
        .execute();
      return rows.map((row) => ({
        number: row.number,
        canOptIn: row.can_opt_in === 1,
        optedOutAt: row.opted_out_at,
      }));
    },
  };
}

function toEvent(row: Tables['events']): EventRow {
  return {
    id: row.id,
    projectId: row.project_id,
    source: row.source,
    sourceId: row.source_id,
    channel: row.channel,
    content: parseJson<unknown>(row.content, {}),
    status: row.status as EventStatus,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toSubEventRow(row: Selectable<Database['sub_events']>): SubEventRow {
  return {
    id: row.id,
    eventId: row.event_id,
    projectId: row.project_id,
    recipientKind: row.recipient_kind as RecipientKind,
    recipientId: row.recipient_id,
    status: row.status as EventStatus,
    errorCode: row.error_code,
    errorText: row.error_text,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
