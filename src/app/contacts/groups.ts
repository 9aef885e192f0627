// Groups of cases or of mobile workers (SPEC 4): broadcast recipients, and a case owner that is
// a group of mobile workers.
import type { Deps } from '../ports/deps.ts';
import type { ContactKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { InputError } from '../../lib/input.ts';
import type { BroadcastRecipient, Recipient } from '../../domain/recipients.ts';

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

/** Recipients with every group replaced by its members; a missing group is refused. */
export async function expandGroups(
  tx: Repos,
  projectId: string,
  recipients: readonly BroadcastRecipient[],
): Promise<Recipient[]> {
  const expanded: Recipient[] = [];
  for (const to of recipients) {
    if (!('group' in to)) {
      expanded.push(to);
      continue;
    }
    const group = await tx.groups.get(projectId, to.group);
    if (!group) throw new InputError('recipients', `no group '${to.group}' in project '${projectId}'`);
    for (const member of group.members)
      expanded.push(group.kind === 'case' ? { case: member } : { mobile_worker: member });
  }
  return expanded;
}
