// API keys, stored as SHA-256 hashes (api_keys). project_id NULL is the admin key.
import type { Selectable } from 'kysely';
import { ADMIN_KEY_ID } from '../../app/access/keys.ts';
import { type ApiKeyRecord, type ApiKeyRepo } from '../../app/ports/access.ts';
import type { Executor } from '../dialect.ts';
import type { Database } from '../schema.ts';

type Row = Selectable<Database['api_keys']>;

function toRecord(row: Row): ApiKeyRecord {
  return {
    id: row.id,
    projectId: row.project_id,
    keyHash: row.key_hash,
    name: row.name,
    createdAt: Number(row.created_at),
    revokedAt: row.revoked_at === null ? null : Number(row.revoked_at),
  };
}

export function createApiKeyRepo(db: Executor): ApiKeyRepo {
  return {
    async findByHash(keyHash) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('key_hash', '=', keyHash)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async insert(record) {
      await db
        .insertInto('api_keys')
        .values({
          id: record.id,
          project_id: record.projectId,
          key_hash: record.keyHash,
          name: record.name,
          created_at: record.createdAt,
          revoked_at: record.revokedAt,
        })
        .execute();
    },
    async putAdmin(keyHash, now) {
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom('api_keys').where('id', '=', ADMIN_KEY_ID).execute();
        // The same secret cannot serve as a project key and as the admin key.
        await tx.deleteFrom('api_keys').where('key_hash', '=', keyHash).execute();
        await tx
          .insertInto('api_keys')
          .values({
            id: ADMIN_KEY_ID,
            project_id: null,
            key_hash: keyHash,
            name: 'admin',
            created_at: now,
            revoked_at: null,
          })
          .execute();
      });
    },
    async hasAdmin() {
      const row = await db
        .selectFrom('api_keys')
        .select('id')
        .where('id', '=', ADMIN_KEY_ID)
        .executeTakeFirst();
      return row !== undefined;
    },
    async forProject(projectId) {
      const rows = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return rows.map(toRecord);
    },
    async page(projectId, { cursor, limit, revoked }) {
      let query = db
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .orderBy('id')
        .limit(limit + 1);
      if (cursor !== undefined) query = query.where('id', '>', cursor);
      if (!revoked) query = query.where('revoked_at', 'is', null);
      const rows = await query.execute();
      const items = rows.slice(0, limit).map(toRecord);
      const last = items.at(-1);
      return { items, nextCursor: rows.length > limit && last ? last.id : null };
    },
    async live(projectId, id) {
      const row = await db
        .selectFrom('api_keys')
        .selectAll()
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? toRecord(row) : null;
    },
    async rename(projectId, id, name) {
      const result = await db
        .updateTable('api_keys')
        .set({ name })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async revoke(projectId, id, now) {
      const result = await db
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) return true;
      const row = await db
        .selectFrom('api_keys')
        .select('id')
        .where('project_id', '=', projectId)
        .where('id', '=', id)
        .executeTakeFirst();
      return row !== undefined;
    },
  };
}
