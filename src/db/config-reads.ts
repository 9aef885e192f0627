// Pages of configuration objects (app/ports/config-reads.ts) over Kysely, the same on both
// dialects: keyset pages by each table's key, so a page stays stable while rows are added, and
// limit + 1 rows read to know whether another page follows.
import type { ConfigPage, ConfigReads, GroupRecord } from '../app/ports/config-reads.ts';
import type { ContactKind } from '../app/ports/records.ts';
import type { SurveyDefinition } from '../domain/survey.ts';
import type { Db } from './dialect.ts';
import { flag, parseJson } from './json.ts';
import { assemble } from './repos/gateways.ts';
import { toKeyword } from './repos/inbound.ts';
import { toAlert, toBroadcast } from './repos/schedules.ts';

/** The first `limit` rows as a page, with the cursor of the next one when a further row was read. */
function pageOf<Row, Item>(
  rows: readonly Row[],
  limit: number,
  toItem: (row: Row) => Item,
  cursorOf: (row: Row) => string,
): ConfigPage<Item> {
  const kept = rows.slice(0, limit);
  const last = kept.at(-1);
  return {
    items: kept.map(toItem),
    nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null,
  };
}

export function createConfigReads(db: Db): ConfigReads {
  const k = db.kysely;
  return {
    async alertPage(projectId, { cursor, limit, active, caseType }) {
      let query = k
        .selectFrom('alerts')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (active !== undefined) query = query.where('active', '=', flag(active));
      if (caseType !== undefined) query = query.where('case_type', '=', caseType);
      return pageOf(await query.execute(), limit, toAlert, (row) => row.id);
    },

    async broadcastPage(projectId, { cursor, limit, active }) {
      let query = k
        .selectFrom('broadcasts')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (active !== undefined) query = query.where('active', '=', flag(active));
      return pageOf(await query.execute(), limit, toBroadcast, (row) => row.id);
    },

    async keywordPage(projectId, { cursor, limit }) {
      let query = k
        .selectFrom('keywords')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('keyword_key')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('keyword_key', '>', cursor.trim().toUpperCase());
      return pageOf(await query.execute(), limit, toKeyword, (row) => row.keyword_key);
    },

    async surveyPage(projectId, { cursor, limit }) {
      let query = k
        .selectFrom('surveys')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      return pageOf(
        await query.execute(),
        limit,
        (row) => parseJson<SurveyDefinition>(row.definition, { id: row.id, questions: [] }),
        (row) => row.id,
      );
    },

    async groupPage(projectId, { cursor, limit, kind }) {
      let query = k
        .selectFrom('contact_groups')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (kind !== undefined) query = query.where('kind', '=', kind);
      const rows = await query.execute();
      const ids = rows.slice(0, limit).map((row) => row.id);
      const members =
        ids.length === 0
          ? []
          : await k
              .selectFrom('contact_group_members')
              .select(['group_id', 'member_id'])
              .where('project_id', '=', projectId)
              .where('group_id', 'in', ids)
              .orderBy('member_id')
              .execute();
      return pageOf(
        rows,
        limit,
        (row): GroupRecord => ({
          projectId,
          id: row.id,
          kind: row.kind as ContactKind,
          name: row.name,
          members: members.filter((m) => m.group_id === row.id).map((m) => m.member_id),
        }),
        (row) => row.id,
      );
    },

    async gatewayPage(owner, { cursor, limit, type }) {
      let query = k
        .selectFrom('gateways')
        .selectAll()
        .where('owner', '=', owner ?? '')
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (type !== undefined) query = query.where('type', '=', type);
      const rows = await query.execute();
      const gateways = await assemble(k, rows.slice(0, limit));
      const last = gateways.at(-1);
      return { items: gateways, nextCursor: rows.length > limit && last ? last.id : null };
    },

    async prefixPage(owner, { cursor, limit }) {
      let query = k
        .selectFrom('gateway_prefixes')
        .selectAll()
        .where('owner', '=', owner ?? '')
        .orderBy('prefix')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('prefix', '>', cursor);
      return pageOf(
        await query.execute(),
        limit,
        (row) => ({
          prefix: row.prefix,
          gatewayId: row.gateway_id,
          owner: row.owner === '' ? null : row.owner,
        }),
        (row) => row.prefix,
      );
    },

    async instanceSummaries(kind, projectId, sourceIds) {
      if (sourceIds.length === 0) return new Map();
      const rows = await k
        .selectFrom('schedule_instances')
        .select((eb) => [
          'source_id',
          eb.fn.countAll<number | string>().as('count'),
          eb.fn.min('next_due_at').as('next'),
        ])
        .where('project_id', '=', projectId)
        .where('source_kind', '=', kind)
        .where('source_id', 'in', sourceIds)
        .groupBy('source_id')
        .execute();
      return new Map(
        rows.map((row) => [
          row.source_id,
          { count: Number(row.count), nextDueAt: row.next === null ? null : Number(row.next) },
        ]),
      );
    },
  };
}
