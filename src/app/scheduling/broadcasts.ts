// Broadcasts (SPEC 4): a list of recipients, now or on a schedule. Recipients are grouped by
// time zone, one schedule instance per zone, so "09:00" is 09:00 for each of them.
import { isoDate } from '../../domain/localtime.ts';
import { nextEventAt, scheduleStart, type ScheduleSpec } from '../../domain/schedule.ts';
import { effectiveTimeZone } from '../../domain/timezone.ts';
import { contactKeyOf, loadContacts } from '../contacts/contacts.ts';
import type { Deps } from '../ports/deps.ts';
import { expandGroups } from '../contacts/groups.ts';
import { requireProject } from '../projects/projects.ts';
import { recipientKey } from '../../domain/recipients.ts';
import type { BroadcastRecord } from '../ports/schedule-repos.ts';
import type { BroadcastBody } from '../../domain/definitions.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { afterBroadcastSaved } from './activation.ts';

export interface BroadcastInput extends BroadcastBody {
  project: string;
  id: string;
}

/** Creates or replaces a broadcast; replacing it reschedules every recipient from now. */
export async function putBroadcast(deps: Deps, input: BroadcastInput): Promise<BroadcastRecord> {
  const now = deps.clock.now();
  const { project: projectId, id, ...definition } = input;
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const settings = effectiveSettings(project.settings);
    const record: BroadcastRecord = {
      projectId: project.id,
      id,
      definition,
      active: definition.active ?? true,
    };
    await tx.broadcasts.put(record, now);
    await tx.schedules.removeForSource('broadcast', project.id, id);

    const schedule = definition.schedule as ScheduleSpec;
    const recipientList = await expandGroups(tx, project.id, definition.recipients);
    // Timed schedules follow each contact's zone; an immediate one is the same instant for all.
    const contacts =
      schedule.type === 'immediate'
        ? new Map()
        : await loadContacts(
            tx,
            project,
            recipientList.flatMap((to) =>
              'phone' in to
                ? []
                : [
                    'case' in to
                      ? { kind: 'case' as const, id: to.case }
                      : { kind: 'mobile_worker' as const, id: to.mobile_worker },
                  ],
            ),
          );
    const byZone = new Map<string, Set<string>>();
    for (const to of recipientList) {
      const contact =
        'phone' in to
          ? undefined
          : contacts.get(
              'case' in to ? contactKeyOf('case', to.case) : contactKeyOf('mobile_worker', to.mobile_worker),
            );
      const zone =
        schedule.type === 'immediate'
          ? (settings.timeZone ?? 'UTC')
          : effectiveTimeZone(contact?.timeZone, settings.timeZone).zone;
      const keys = byZone.get(zone) ?? new Set<string>();
      keys.add(recipientKey(to));
      byZone.set(zone, keys);
    }
    for (const [zone, recipients] of byZone) {
      const seed = `${project.id}/${id}/${zone}/${now}`;
      const ctx = { zone, createdAt: now, properties: {}, seed };
      const start = scheduleStart(schedule, ctx);
      if (!start.ok) continue;
      const state = {
        start: isoDate(start.start),
        zone,
        seed,
        createdAt: now,
        version: 1,
        startValue: null,
        stopValue: null,
        restartValue: null,
        recipients: [...recipients],
      };
      await tx.schedules.insert(
        {
          projectId: project.id,
          sourceKind: 'broadcast',
          sourceId: id,
          subjectKey: zone,
          state,
          occurrences: 0,
          nextDueAt: nextEventAt(schedule, start.start, ctx, now, 0),
        },
        now,
      );
    }
    await afterBroadcastSaved(tx, record, now);
    return record;
  });
}
