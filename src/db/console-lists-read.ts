// The console's lists over Kysely, the same on both dialects: the message history with its
// filters in keyset pages by id (the export reads it page by page too), and the project's
// alerts, broadcasts, keywords and surveys with what their tables show.
import { sql } from 'kysely';
import type { ConsoleLists, NamedDefinition, ScheduleSummary } from '../app/ports/read-model.ts';
import type { MessageRow } from '../app/ports/read-model.ts';
import type { Db } from './dialect.ts';
import { parseJson } from './json.ts';
import { toMessage } from './repos/messages.ts';

type Definition = Record<string, unknown>;

export function createConsoleLists(db: Db): ConsoleLists {
  const k = db.kysely;

  /** Instances per source of one kind: how many, and the earliest next event. */
  async function instances(
    projectId: string,
    kind: 'alert' | 'broadcast',
  ): Promise<Map<string, { count: number; nextDueAt: number | null }>> {
    const rows = await k
      .selectFrom('schedule_instances')
      .select((eb) => [
        'source_id',
        eb.fn.countAll<number | string>().as('count'),
        eb.fn.min('next_due_at').as('next'),
      ])
      .where('project_id', '=', projectId)
      .where('source_kind', '=', kind)
      .groupBy('source_id')
      .execute();
    return new Map(
      rows.map((r) => [
        r.source_id,
        { count: Number(r.count), nextDueAt: r.next === null ? null : Number(r.next) },
      ]),
    );
  }

  return {
    async messages(projectId, filter, { before, limit }) {
      let query = k
        .selectFrom('messages')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit + 1);
      const cursor = /^(\d{1,15})-(\d{1,15})$/.exec(before ?? '');
      // A row-value comparison, which SQLite and PostgreSQL both serve from the index's range.
      if (cursor)
        query = query.where(sql<boolean>`(created_at, id) < (${Number(cursor[1])}, ${Number(cursor[2])})`);
      if (filter.status !== undefined) query = query.where('status', '=', filter.status);
      if (filter.direction !== undefined) query = query.where('direction', '=', filter.direction);
      if (filter.channel !== undefined) query = query.where('channel', '=', filter.channel);
      if (filter.errorCode !== undefined) query = query.where('error_code', '=', filter.errorCode);
      if (filter.contact !== undefined)
        query = query
          .where('contact_kind', '=', filter.contact.kind)
          .where('contact_id', '=', filter.contact.id);
      if (filter.number !== undefined) query = query.where('phone', '=', filter.number);
      if (filter.from !== undefined) query = query.where('created_at', '>=', filter.from);
      if (filter.to !== undefined) query = query.where('created_at', '<', filter.to);
      const rows = await query.execute();
      const more = rows.length > limit;
      const items: MessageRow[] = rows.slice(0, limit).map((row) => ({
        ...toMessage(row),
        waitReason: row.wait_reason,
        deliveredAt: row.delivered_at,
        updatedAt: row.updated_at,
      }));
      const last = items.at(-1);
      return { items, nextCursor: more && last ? `${last.createdAt}-${last.id}` : null };
    },

    async alerts(projectId) {
      const [rows, counts] = await Promise.all([
        k.selectFrom('alerts').selectAll().where('project_id', '=', projectId).orderBy('id').execute(),
        instances(projectId, 'alert'),
      ]);
      return rows.map((row): ScheduleSummary => ({
        id: row.id,
        caseType: row.case_type,
        active: row.active === 1,
        definition: parseJson<Definition>(row.definition, {}),
        processing: {
          done: row.processing_done,
          total: row.processing_total,
          pending: row.processing_pending === 1,
        },
        instances: counts.get(row.id)?.count ?? 0,
        nextDueAt: counts.get(row.id)?.nextDueAt ?? null,
        updatedAt: row.updated_at,
      }));
    },

    async broadcasts(projectId) {
      const [rows, counts] = await Promise.all([
        k.selectFrom('broadcasts').selectAll().where('project_id', '=', projectId).orderBy('id').execute(),
        instances(projectId, 'broadcast'),
      ]);
      return rows.map((row): ScheduleSummary => ({
        id: row.id,
        caseType: null,
        active: row.active === 1,
        definition: parseJson<Definition>(row.definition, {}),
        processing: null,
        instances: counts.get(row.id)?.count ?? 0,
        nextDueAt: counts.get(row.id)?.nextDueAt ?? null,
        updatedAt: row.updated_at,
      }));
    },

    async keywords(projectId) {
      const rows = await k
        .selectFrom('keywords')
        .select(['keyword', 'definition', 'updated_at'])
        .where('project_id', '=', projectId)
        .orderBy('keyword_key')
        .execute();
      return rows.map((row): NamedDefinition => ({
        id: row.keyword,
        definition: parseJson<Definition>(row.definition, {}),
        updatedAt: row.updated_at,
      }));
    },

    async surveys(projectId) {
      const rows = await k
        .selectFrom('surveys')
        .select(['id', 'definition', 'updated_at'])
        .where('project_id', '=', projectId)
        .orderBy('id')
        .execute();
      return rows.map((row): NamedDefinition => ({
        id: row.id,
        definition: parseJson<Definition>(row.definition, {}),
        updatedAt: row.updated_at,
      }));
    },
  };
}
