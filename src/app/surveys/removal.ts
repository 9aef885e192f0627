// Deleting a survey (SPEC 7): refused (409) while a keyword, an alert or a broadcast starts it;
// otherwise its open sessions are closed (no more questions or reminders go out) and it goes.
// Sessions and their answers stay for the record.
import { surveyUsers } from '../../domain/usage.ts';
import { InUseError, notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import { requireProject } from '../projects/projects.ts';

export async function deleteSurvey(deps: Deps, projectId: string, id: string): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    if (!(await tx.surveys.get(project.id, id)))
      throw notFound(`no survey '${id}' in project '${project.id}'`);
    const users = surveyUsers(id, await tx.usage.definitions(project.id));
    if (users.length > 0) throw new InUseError(`survey '${id}'`, users);
    await tx.removals.closeSurveySessions(project.id, id, now);
    await tx.removals.survey(project.id, id);
  });
}
