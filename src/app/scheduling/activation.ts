// Stopping and restarting alerts and broadcasts (SPEC 7 `active`, SPEC 4). Deactivating stops
// every future firing at once: the instances stay, with no next event, so their history (what
// they sent, how many occurrences) is kept. Reactivating recalculates each instance from that
// instant with its occurrences so far, so an event that fell while it was stopped is skipped,
// never sent late, and a schedule of N occurrences never sends more than N in all.
//
// An alert's instances are recalculated by processing its cases again (alerts.ts: a changed
// definition bumps the version, and every instance of an older version is recalculated from
// now); a broadcast's here, one instance per recipient zone.
import { nextEventAt, parseLocalDate, type ScheduleSpec } from '../../domain/schedule.ts';
import type { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import { notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import type { AlertRecord, BroadcastRecord, SourceKind } from '../ports/schedule-repos.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { putAlert } from './alerts.ts';
import { putBroadcast, type BroadcastInput } from './broadcasts.ts';

/** Hook for putAlert and putBroadcast: an inactive source's instances fire no more. */
export async function pauseSource(
  tx: Repos,
  kind: SourceKind,
  projectId: string,
  id: string,
  now: number,
): Promise<void> {
  await tx.removals.pauseInstances(kind, projectId, id, now);
}

/** Hook for putAlert: before an alert that was off is processed again, the instances of cases
 *  that closed or changed type meanwhile go (processing walks only the open cases). */
export async function beforeAlertResumes(tx: Repos, alert: AlertRecord): Promise<void> {
  await tx.removals.dropStaleAlertInstances(alert.projectId, alert.id, alert.definition.case_type);
}

/** Hook for putBroadcast: a broadcast saved inactive is scheduled, then paused at once. */
export async function afterBroadcastSaved(tx: Repos, broadcast: BroadcastRecord, now: number): Promise<void> {
  if (!broadcast.active) await pauseSource(tx, 'broadcast', broadcast.projectId, broadcast.id, now);
}

/** Switches an alert on or off (PATCH `{active}`), keeping the rest of its definition. */
export async function setAlertActive(
  deps: Deps,
  projectId: string,
  id: string,
  active: boolean,
): Promise<AlertRecord> {
  const current = await deps.store.alerts.get(projectId, id);
  if (!current) throw notFound(`no alert '${id}' in project '${projectId}'`);
  const definition: AlertBody = { ...current.definition, active };
  return putAlert(deps, { ...definition, project: projectId, id });
}

/** The definitions equal but for `active`: a save that only switches the broadcast. */
function onlyActiveDiffers(a: BroadcastBody, b: BroadcastBody): boolean {
  const { active: _a, ...restA } = a;
  const { active: _b, ...restB } = b;
  return JSON.stringify(restA) === JSON.stringify(restB);
}

/**
 * Saves a broadcast (PUT or PATCH). A changed definition schedules every recipient afresh from
 * now (putBroadcast); one that only switches `active` stops or restarts the instances it has.
 */
export async function saveBroadcast(deps: Deps, input: BroadcastInput): Promise<BroadcastRecord> {
  const { project: projectId, id, ...definition } = input;
  const current = await deps.store.broadcasts.get(projectId, id);
  if (current && onlyActiveDiffers(current.definition, definition)) {
    return setBroadcastActive(deps, projectId, id, definition.active ?? true, definition);
  }
  return putBroadcast(deps, input);
}

/** Switches a broadcast on or off; on again, each instance goes on from now. */
export async function setBroadcastActive(
  deps: Deps,
  projectId: string,
  id: string,
  active: boolean,
  definition?: BroadcastBody,
): Promise<BroadcastRecord> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    await tx.lock([`broadcast:${project.id}:${id}`]);
    const current = await tx.broadcasts.get(project.id, id);
    if (!current) throw notFound(`no broadcast '${id}' in project '${project.id}'`);
    const record: BroadcastRecord = {
      ...current,
      definition: { ...(definition ?? current.definition), active },
      active,
    };
    await tx.broadcasts.put(record, now);
    if (!active) await pauseSource(tx, 'broadcast', project.id, id, now);
    else if (!current.active) await resumeBroadcast(tx, record, now);
    return record;
  });
}

/** Each instance's next event from now, its occurrences kept: what passed while off is skipped. */
async function resumeBroadcast(tx: Repos, broadcast: BroadcastRecord, now: number): Promise<void> {
  const schedule = broadcast.definition.schedule as ScheduleSpec;
  for (const instance of await tx.schedules.forSource('broadcast', broadcast.projectId, broadcast.id)) {
    const start = parseLocalDate(instance.state.start);
    const ctx = {
      zone: instance.state.zone,
      createdAt: instance.state.createdAt,
      properties: {},
      seed: instance.state.seed,
    };
    const nextDueAt = start ? nextEventAt(schedule, start, ctx, now, instance.occurrences) : null;
    await tx.schedules.update(instance.id, { nextDueAt }, now);
  }
}
