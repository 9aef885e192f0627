// The console's lists over Kysely, the same on both dialects: the message history with its
// filters in keyset pages by creation time and id (the export reads it page by page too). The
// configuration objects' pages are the API's (config-reads.ts).
import { sql } from 'kysely';
import type { ConsoleLists } from '../app/ports/read-model.ts';
import type { MessageRow } from '../app/ports/read-model.ts';
import type { Db } from './dialect.ts';
import { toMessageRow } from './read-model.ts';

export function createConsoleLists(db: Db): ConsoleLists {
  const k = db.kysely;

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
      const items: MessageRow[] = rows.slice(0, limit).map(toMessageRow);
      const last = items.at(-1);
      return { items, nextCursor: more && last ? `${last.createdAt}-${last.id}` : null };
    },
    async repliesTo(inboundIds) {
      if (inboundIds.length === 0) return [];
      const rows = await k
        .selectFrom('messages')
        .selectAll()
        .where('reply_to', 'in', [...inboundIds])
        .orderBy('id')
        .execute();
      return rows.map(toMessageRow);
    },
  };
}
