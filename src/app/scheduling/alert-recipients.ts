// Whom an alert's firing goes to (SPEC 4.2), each with the time zone its clock runs in: the
// case; its owner (a mobile worker, or every member of a group of them); its parent case (the
// case its `parent` index names); its open child cases (those whose `parent` index names it).
import { effectiveTimeZone } from '../../domain/timezone.ts';
import type { Recipient } from '../../domain/recipients.ts';
import type { CaseRecord, ProjectRecord } from '../ports/records.ts';
import type { AlertRecord } from '../ports/schedule-repos.ts';
import type { Repos } from '../ports/store.ts';
import { effectiveSettings } from '../projects/settings.ts';

export interface ZonedRecipient {
  to: Recipient;
  /** The recipient's effective zone (SPEC 2.4): its clock's zone. */
  zone: string;
}

/** A group owner's members as expanded when the alert's instance was created (SPEC 4.2: a
 * group is expanded then, not at each firing); they stand while the case keeps that owner. */
export interface OwnerMembers {
  owner: string;
  members: string[];
}

/** The members to use for the case's owner: those kept for it, else the group's now; null when
 * the owner is not a group of mobile workers. */
export async function ownerMembers(
  tx: Repos,
  project: ProjectRecord,
  record: CaseRecord,
  kept: OwnerMembers | null | undefined,
): Promise<OwnerMembers | null> {
  const ownerId = record.ownerId;
  if (!ownerId) return null;
  if (kept && kept.owner === ownerId) return kept;
  if (await tx.workers.get(project.id, ownerId)) return null;
  const group = await tx.groups.get(project.id, ownerId);
  return group?.kind === 'mobile_worker' ? { owner: ownerId, members: group.members } : null;
}

/** The alert's recipients for one case, in the order of the alert's list; a group owner's
 * members are `kept` ones when the instance has them for that owner. */
export async function alertRecipients(
  tx: Repos,
  project: ProjectRecord,
  alert: AlertRecord,
  record: CaseRecord,
  kept?: OwnerMembers | null,
): Promise<ZonedRecipient[]> {
  const projectZone = effectiveSettings(project.settings).timeZone;
  const zoneOf = (own: string | null | undefined) => effectiveTimeZone(own, projectZone).zone;
  const caseZone = zoneOf(record.properties.time_zone);
  const recipients: ZonedRecipient[] = [];
  for (const kind of alert.definition.recipients ?? ['case']) {
    if (kind === 'case') {
      recipients.push({ to: { case: record.id }, zone: caseZone });
    } else if (kind === 'owner') {
      const ownerId = record.ownerId;
      const group = await ownerMembers(tx, project, record, kept);
      const worker = ownerId && !group ? await tx.workers.get(project.id, ownerId) : null;
      if (group) {
        const members = await tx.workers.getMany(project.id, group.members);
        const zones = new Map(members.map((member) => [member.id, zoneOf(member.timeZone)]));
        for (const id of group.members)
          recipients.push({ to: { mobile_worker: id }, zone: zones.get(id) ?? caseZone });
      } else {
        // No such worker: the sub-event says NO_RECIPIENT, in the case's zone.
        recipients.push({
          to: { mobile_worker: ownerId ?? '' },
          zone: worker ? zoneOf(worker.timeZone) : caseZone,
        });
      }
    } else if (kind === 'parent') {
      const parentId = record.indices?.parent?.case_id;
      const parent = parentId ? await tx.cases.get(project.id, parentId) : null;
      // A link to a case that does not exist (yet), or a deleted one, resolves to nothing.
      if (parent && !parent.deleted)
        recipients.push({ to: { case: parent.id }, zone: zoneOf(parent.properties.time_zone) });
    } else {
      for (const child of await tx.cases.children(project.id, record.id))
        if (!child.closed && !child.deleted)
          recipients.push({ to: { case: child.id }, zone: zoneOf(child.properties.time_zone) });
    }
  }
  return recipients;
}

/** The distinct zones of these recipients, sorted. */
export function zonesOf(recipients: readonly ZonedRecipient[]): string[] {
  return [...new Set(recipients.map((recipient) => recipient.zone))].sort();
}
