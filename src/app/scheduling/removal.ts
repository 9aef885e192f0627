// Deleting an alert or a broadcast: the definition and its schedule instances go
// in one transaction; the events and messages it sent stay in the history.
import { notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import type { SourceKind } from '../ports/schedule-repos.ts';
import { requireProject } from '../projects/projects.ts';

export async function deleteSchedule(
  deps: Deps,
  kind: SourceKind,
  projectId: string,
  id: string,
): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    // The same lock putAlert takes, so a delete never interleaves with a save of the same alert.
    await tx.lock([`${kind}:${project.id}:${id}`]);
    const gone =
      kind === 'alert'
        ? await tx.removals.alert(project.id, id)
        : await tx.removals.broadcast(project.id, id);
    if (!gone) throw notFound(`no ${kind} '${id}' in project '${project.id}'`);
  });
}
