// Changing or cancelling an outbound message before it goes (app/ports/lifecycle-repos.ts). One
// conditional UPDATE each: it applies only while the message is queued and no worker holds a
// live lease on it. A worker that claims it first makes the update match nothing; a cancel that
// commits first leaves nothing due for the worker to claim (PostgreSQL's claim skips the locked
// row, SQLite runs one write at a time).
import type { LifecycleRepos } from '../../app/ports/lifecycle-repos.ts';
import { storableText } from '../../domain/storable-text.ts';
import type { Executor } from '../dialect.ts';

export function queuedRepo(db: Executor): LifecycleRepos['queued'] {
  const waiting = (id: number, now: number) =>
    db
      .updateTable('messages')
      .where('id', '=', id)
      .where('direction', '=', 'out')
      .where('status', '=', 'queued')
      .where('due_at', 'is not', null)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]));
  return {
    async cancel(id, now) {
      const result = await waiting(id, now)
        .set({
          status: 'cancelled',
          due_at: null,
          wait_reason: null,
          lease_owner: null,
          lease_until: null,
          updated_at: now,
        })
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async edit(id, patch, now) {
      const result = await waiting(id, now)
        .set({
          updated_at: now,
          ...(patch.dueAt !== undefined ? { due_at: patch.dueAt, wait_reason: null } : {}),
          ...(patch.text !== undefined ? { text: storableText(patch.text) } : {}),
          ...(patch.segments !== undefined ? { segments: patch.segments } : {}),
        })
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
