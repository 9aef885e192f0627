// Groups of cases or of mobile workers (SPEC 4): broadcast recipients, and a case owner that is
// a group of mobile workers.
import type { Deps } from '../ports/deps.ts';
import type { ContactKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { InputError } from '../../lib/input.ts';
import type { BroadcastRecipient, Recipient } from '../../domain/recipients.ts';
import { groupUsers } from '../../domain/usage.ts';
import { InUseError, notFound } from '../errors.ts';

export interface GroupInput {
  kind: ContactKind;
  name?: string | null;
  /** Contact ids of that kind; the list replaces the group's members. */
  members: string[];
}

export async function putGroup(
  deps: Deps,
  projectId: string,
  id: string,
  input: GroupInput,
): Promise<GroupInput & { id: string }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const members = [...new Set(input.members)];
    await tx.groups.put(
      { projectId: project.id, id, kind: input.kind, name: input.name ?? null, members },
      now,
    );
    return { id, kind: input.kind, name: input.name ?? null, members };
  });
}

/** Cases of a group listed when a group in use cannot be deleted. */
const USERS_SHOWN = 50;

/**
 * Deletes a group (SPEC 7): refused (409) while a broadcast names it or open cases have it as
 * their owner (their owner alerts go to its members).
 */
export async function deleteGroup(deps: Deps, projectId: string, id: string): Promise<void> {
  await deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    if (!(await tx.groups.get(project.id, id))) throw notFound(`no group '${id}' in project '${project.id}'`);
    const { broadcasts } = await tx.usage.definitions(project.id);
    const owned = await tx.usage.casesOwnedBy(project.id, id, USERS_SHOWN);
    const users = [...groupUsers(id, broadcasts), ...owned.map((caseId) => ({ kind: 'case', id: caseId }))];
    if (users.length > 0) throw new InUseError(`group '${id}'`, users);
    await tx.removals.group(project.id, id);
  });
}

/** Recipients with every group replaced by its members; a missing group is refused. */
export async function expandGroups(
  tx: Repos,
  projectId: string,
  recipients: readonly BroadcastRecipient[],
): Promise<Recipient[]> {
  const expanded: Recipient[] = [];
  for (const [i, to] of recipients.entries()) {
    if (!('group' in to)) {
      expanded.push(to);
      continue;
    }
    const group = await tx.groups.get(projectId, to.group);
    if (!group)
      throw new InputError(`recipients[${i}].group`, `no group '${to.group}' in project '${projectId}'`);
    for (const member of group.members)
      expanded.push(group.kind === 'case' ? { case: member } : { mobile_worker: member });
  }
  return expanded;
}
