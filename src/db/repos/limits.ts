// Daily SMS counts per project and project-local day. A slot is reserved before the hand-off
// under a lock on the (project, day), so concurrent workers never exceed the limit.
import type { Repos } from '../../app/ports/store.ts';
import type { Executor } from '../dialect.ts';

export function limitRepo(db: Executor): Repos['limits'] {
  return {
    async reserveDaily(projectId, day, limit, count) {
      // The caller holds the lock on this (project, day), so read-then-write is exact.
      await db
        .insertInto('daily_counts')
        .values({ project_id: projectId, day, accepted: 0 })
        .onConflict((oc) => oc.doNothing())
        .execute();
      const row = await db
        .selectFrom('daily_counts')
        .select('accepted')
        .where('project_id', '=', projectId)
        .where('day', '=', day)
        .executeTakeFirstOrThrow();
      const granted = Math.max(0, Math.min(count, limit - row.accepted));
      if (granted > 0) {
        await db
          .updateTable('daily_counts')
          .set((eb) => ({ accepted: eb('accepted', '+', granted) }))
          .where('project_id', '=', projectId)
          .where('day', '=', day)
          .execute();
      }
      return granted;
    },
    async releaseDaily(projectId, day, count) {
      await db
        .updateTable('daily_counts')
        .set((eb) => ({
          accepted: eb
            .case()
            .when('accepted', '>', count)
            .then(eb('accepted', '-', count))
            .else(0)
            .end(),
        }))
        .where('project_id', '=', projectId)
        .where('day', '=', day)
        .execute();
    },
    async accepted(projectId, day) {
      const row = await db
        .selectFrom('daily_counts')
        .select('accepted')
        .where('project_id', '=', projectId)
        .where('day', '=', day)
        .executeTakeFirst();
      return row?.accepted ?? 0;
    },
  };
}
