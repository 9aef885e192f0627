// Console sessions (console_sessions), joined to api_keys by the key's hash so a revoked or
// replaced key ends its sessions at once.
import type { ConsoleSessionRepo } from '../app/ports/access.ts';
import type { Executor } from './dialect.ts';

export function createConsoleSessionRepo(db: Executor): ConsoleSessionRepo {
  return {
    async insert(record) {
      await db
        .insertInto('console_sessions')
        .values({
          id_hash: record.idHash,
          key_hash: record.keyHash,
          created_at: record.createdAt,
          expires_at: record.expiresAt,
        })
        .execute();
    },
    async liveKey(idHash, now) {
      const row = await db
        .selectFrom('console_sessions as s')
        .innerJoin('api_keys as k', 'k.key_hash', 's.key_hash')
        .select(['k.id', 'k.project_id', 's.expires_at'])
        .where('s.id_hash', '=', idHash)
        .where('s.expires_at', '>', now)
        .where('k.revoked_at', 'is', null)
        .executeTakeFirst();
      return row ? { keyId: row.id, projectId: row.project_id, expiresAt: Number(row.expires_at) } : null;
    },
    async remove(idHash) {
      await db.deleteFrom('console_sessions').where('id_hash', '=', idHash).execute();
    },
    async removeExpired(now) {
      const result = await db
        .deleteFrom('console_sessions')
        .where('expires_at', '<=', now)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}
