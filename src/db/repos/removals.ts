// The end of a configuration object's life (app/ports/lifecycle-repos.ts): each removal in a few
// statements, inside the caller's transaction. What was sent stays: events and messages name
// their source by id only.
import type { LifecycleRepos } from '../../app/ports/lifecycle-repos.ts';
import type { SourceKind } from '../../app/ports/schedule-repos.ts';
import { keywordKey } from '../../domain/commands.ts';
import type { Executor } from '../dialect.ts';

const removed = (result: { numDeletedRows: bigint }) => Number(result.numDeletedRows) > 0;

export function removalRepo(db: Executor): LifecycleRepos['removals'] {
  /** An alert or broadcast with its instances. */
  const removeSource = async (kind: SourceKind, projectId: string, id: string) => {
    await db
      .deleteFrom('schedule_instances')
      .where('project_id', '=', projectId)
      .where('source_kind', '=', kind)
      .where('source_id', '=', id)
      .execute();
    const table = kind === 'alert' ? 'alerts' : 'broadcasts';
    return removed(
      await db.deleteFrom(table).where('project_id', '=', projectId).where('id', '=', id).executeTakeFirst(),
    );
  };
  return {
    alert: (projectId, id) => removeSource('alert', projectId, id),
    broadcast: (projectId, id) => removeSource('broadcast', projectId, id),
    async keyword(projectId, keyword) {
      return removed(
        await db
          .deleteFrom('keywords')
          .where('project_id', '=', projectId)
          .where('keyword_key', '=', keywordKey(keyword))
          .executeTakeFirst(),
      );
    },
    async survey(projectId, id) {
      return removed(
        await db
          .deleteFrom('surveys')
          .where('project_id', '=', projectId)
          .where('id', '=', id)
          .executeTakeFirst(),
      );
    },
    async group(projectId, id) {
      await db
        .deleteFrom('contact_group_members')
        .where('project_id', '=', projectId)
        .where('group_id', '=', id)
        .execute();
      return removed(
        await db
          .deleteFrom('contact_groups')
          .where('project_id', '=', projectId)
          .where('id', '=', id)
          .executeTakeFirst(),
      );
    },
    async pauseInstances(kind, projectId, sourceId, now) {
      await db
        .updateTable('schedule_instances')
        .set({ next_due_at: null, updated_at: now })
        .where('project_id', '=', projectId)
        .where('source_kind', '=', kind)
        .where('source_id', '=', sourceId)
        .execute();
    },
    async dropStaleAlertInstances(projectId, alertId, caseType) {
      const open = db
        .selectFrom('cases')
        .select('id')
        .where('project_id', '=', projectId)
        .where('type', '=', caseType)
        .where('closed', '=', 0)
        .where('deleted', '=', 0);
      const result = await db
        .deleteFrom('schedule_instances')
        .where('project_id', '=', projectId)
        .where('source_kind', '=', 'alert')
        .where('source_id', '=', alertId)
        .where('subject_key', 'not in', open)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
    async closeSurveySessions(projectId, surveyId, now) {
      const result = await db
        .updateTable('survey_sessions')
        .set({ open: 0, next_reminder_at: null, updated_at: now })
        .where('project_id', '=', projectId)
        .where('survey_id', '=', surveyId)
        .where('open', '=', 1)
        .executeTakeFirst();
      return Number(result.numUpdatedRows);
    },
  };
}
