// Daily SMS counts per project and project-local day. A slot is reserved before the hand-off
// with one conditional update, so concurrent workers never exceed the limit.
import type { Repos } from '../../app/ports.ts';
import type { Executor } from '../dialect.ts';

export function limitRepo(db: Executor): Repos['limits'] {
  return {
    async reserveDaily(projectId, day, limit) {
      await db.insertInto('daily_counts').values({ project_id: projectId, day, accepted: 0 }).onConflict((oc) => oc.doNothing()).execute();
      const result = await db
        .updateTable('daily_counts')
        .set((eb) => ({ accepted: eb('accepted', '+', 1) }))
        .where('project_id', '=', projectId)
        .where('day', '=', day)
        .where('accepted', '<', limit)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async releaseDaily(projectId, day) {
      await db
        .updateTable('daily_counts')
        .set((eb) => ({ accepted: eb('accepted', '-', 1) }))
        .where('project_id', '=', projectId)
        .where('day', '=', day)
        .where('accepted', '>', 0)
        .execute();
    },
    async accepted(projectId, day) {
      const row = await db.selectFrom('daily_counts').select('accepted').where('project_id', '=', projectId).where('day', '=', day).executeTakeFirst();
      return row?.accepted ?? 0;
    },
  };
}
