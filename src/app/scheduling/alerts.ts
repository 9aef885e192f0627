// Conditional alerts (SPEC 4): every open case of the alert's type that matches its criteria has
// one schedule instance. Case upserts re-evaluate the rules of their type in the same
// transaction; creating or editing an alert processes the existing cases in batches, as due work.
import { caseMatches, type Criterion } from '../../domain/criteria.ts';
import { isoDate } from '../../domain/localtime.ts';
import { scheduleStart, type ScheduleSpec } from '../../domain/schedule.ts';
import { alertRecipients, ownerMembers, zonesOf } from './alert-recipients.ts';
import { clocksFor, earliestEvent, storedClocks } from './clocks.ts';
import { effectiveTimeZone } from '../../domain/timezone.ts';
import type { Deps } from '../ports/deps.ts';
import { reasonOf, runDueItems } from '../due-item.ts';
import type { CaseRecord, ProjectRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import type { AlertRecord, InstanceRecord, InstanceState, NewInstance } from '../ports/schedule-repos.ts';
import type { AlertBody } from '../../domain/definitions.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { beforeAlertResumes, pauseSource } from './activation.ts';

export interface AlertInput extends AlertBody {
  project: string;
  id: string;
}

const alertKey = (projectId: string, id: string) => `alert:${projectId}:${id}`;

/** Cases processed per transaction when an alert is created or edited. */
export const ALERT_BATCH = 2000;

/** Creates or replaces an alert; its existing cases are then processed as due work. */
export async function putAlert(deps: Deps, input: AlertInput): Promise<AlertRecord> {
  const now = deps.clock.now();
  const { project: projectId, id, ...definition } = input;
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    await tx.lock([alertKey(project.id, id)]);
    const current = await tx.alerts.get(project.id, id);
    const changed = !current || JSON.stringify(current.definition) !== JSON.stringify(definition);
    const active = definition.active ?? true;
    // A changed case type leaves cases of the old type without instances of this alert.
    if (current && current.definition.case_type !== definition.case_type)
      await tx.schedules.removeForSource('alert', project.id, id);
    // Off: the instances fire no more but stay; on again: activation.ts.
    if (!active) await pauseSource(tx, 'alert', project.id, id, now);
    const total = active ? await tx.countOpenCasesOfType(project.id, definition.case_type) : 0;
    const record: AlertRecord = {
      projectId: project.id,
      id,
      definition,
      active,
      version: (current?.version ?? 0) + (changed ? 1 : 0),
      processing: { total, done: 0, pending: active && changed, cursor: null },
    };
    if (!changed && current) record.processing = current.processing;
    if (active && current && !current.active) await beforeAlertResumes(tx, record);
    await tx.alerts.put(record, now);
    return record;
  });
}

/** Processes one batch of existing cases for alerts created or edited; returns how many cases. */
export async function processPendingAlerts(deps: Deps, limit = ALERT_BATCH): Promise<number> {
  const pending = (await deps.store.alerts.pendingProcessing(1))[0];
  if (!pending) return 0;
  const now = deps.clock.now();
  // A page that cannot be processed at all (the alert's definition or a case row does not
  // parse) stops this alert's processing, logged once; the other alerts and the round go on.
  const failed = async (reason: string) => {
    await deps.store.transaction((tx) =>
      tx.alerts.setProgress(pending.projectId, pending.id, { ...pending.processing, pending: false }, now),
    );
    const item = { kind: 'alert_processing', id: pending.id, projectId: pending.projectId };
    deps.log?.error({ item, reason }, `due alert_processing ${pending.id} failed and is stopped`);
    return 1;
  };
  return processPage(deps, pending, limit, now).catch((error: unknown) => failed(reasonOf(error)));
}

async function processPage(deps: Deps, pending: AlertRecord, limit: number, now: number): Promise<number> {
  return deps.store.transaction(async (tx) => {
    // Several workers may pick the same alert: the lock makes them take its pages in turn, and
    // the progress is read again under it.
    await tx.lock([alertKey(pending.projectId, pending.id)]);
    const alert = await tx.alerts.get(pending.projectId, pending.id);
    if (!alert?.processing.pending) return 1;
    const project = await tx.projects.get(alert.projectId);
    const records = project
      ? await tx.openCasesOfType(alert.projectId, alert.definition.case_type, alert.processing.cursor, limit)
      : [];
    const last = records.at(-1)?.id ?? null;
    if (project && last !== null) {
      // The whole page in a few statements: its cases, their instances, then one write per kind.
      // The page is a run of case ids in order: its instances are those of that range (the
      // range may hold instances of closed cases too, which the page does not touch).
      const instances = new Map(
        (await tx.schedules.inRange('alert', alert.projectId, alert.id, alert.processing.cursor, last)).map(
          (instance) => [instance.subjectKey, instance],
        ),
      );
      let steps: AlertStep[] = [];
      // Item by item: a case that cannot be planned (a broken property) is logged once and left
      // as it was — the page's cursor moves past it — while the page's others are applied.
      await runDueItems(tx, deps.log, records, {
        describe: (record) => ({
          kind: 'alert_case',
          id: `${alert.id}/${record.id}`,
          projectId: alert.projectId,
        }),
        work: async (record) => {
          const instance = instances.get(record.id) ?? null;
          const recipients = await plannedRecipients(tx, project, alert, record, instance);
          steps.push(planAlert(project, alert, record, instance, now, recipients));
        },
        markError: async () => {},
        restart: () => {
          steps = [];
        },
      });
      await applySteps(tx, steps, now);
    }
    const done = alert.processing.done + records.length;
    const more = records.length === limit;
    await tx.alerts.setProgress(
      alert.projectId,
      alert.id,
      { total: Math.max(alert.processing.total, done), done, pending: more, cursor: more ? last : null },
      now,
    );
    return Math.max(1, records.length);
  });
}

/** After a case upsert: the instances of every alert on its type (and its old type) follow it. */
export async function evaluateAlertsForCase(
  tx: Repos,
  project: ProjectRecord,
  record: CaseRecord,
  previousType: string | null,
  now: number,
): Promise<void> {
  if (previousType !== null && previousType !== record.type) {
    for (const alert of await tx.alerts.forCaseType(project.id, previousType)) {
      const instance = await tx.schedules.get('alert', project.id, alert.id, record.id);
      if (instance) await tx.schedules.remove(instance.id);
    }
  }
  for (const alert of await tx.alerts.forCaseType(project.id, record.type)) {
    const instance = await tx.schedules.get('alert', project.id, alert.id, record.id);
    const recipients = await plannedRecipients(tx, project, alert, record, instance);
    await applySteps(tx, [planAlert(project, alert, record, instance, now, recipients)], now);
  }
}

/** What planning an instance needs to know of the case's recipients besides the case. */
export interface PlannedRecipients {
  /** The zones of the recipients (each has its own clock, SPEC 4.2). */
  zones: readonly string[];
  /** A group owner's members: kept from the instance while the owner stays, else expanded now. */
  ownerMembers: { owner: string; members: string[] } | null;
}

/**
 * The recipients of the alert for an open case; undefined when the case is its only recipient
 * (its zone is the instance's), which costs no read.
 */
async function plannedRecipients(
  tx: Repos,
  project: ProjectRecord,
  alert: AlertRecord,
  record: CaseRecord,
  instance: InstanceRecord | null,
): Promise<PlannedRecipients | undefined> {
  const kinds = alert.definition.recipients ?? ['case'];
  if (kinds.every((kind) => kind === 'case') || record.closed || record.deleted) return undefined;
  const members = kinds.includes('owner')
    ? await ownerMembers(tx, project, record, instance?.state.ownerMembers)
    : null;
  return {
    zones: zonesOf(await alertRecipients(tx, project, alert, record, members)),
    ownerMembers: members,
  };
}

/** What one alert does to one case's instance. */
export type AlertStep =
  | { kind: 'keep' }
  | { kind: 'remove'; id: number }
  | { kind: 'insert'; instance: NewInstance }
  | { kind: 'update'; id: number; patch: Pick<InstanceRecord, 'state' | 'occurrences' | 'nextDueAt'> };

/** Writes the steps: removals and insertions in multi-row statements, updates one by one. */
export async function applySteps(tx: Repos, steps: readonly AlertStep[], now: number): Promise<void> {
  const removals: number[] = [];
  const inserts: NewInstance[] = [];
  for (const step of steps) {
    if (step.kind === 'remove') removals.push(step.id);
    else if (step.kind === 'insert') inserts.push(step.instance);
    else if (step.kind === 'update') await tx.schedules.update(step.id, step.patch, now);
  }
  if (removals.length > 0) await tx.schedules.removeMany(removals);
  if (inserts.length > 0) await tx.schedules.insertMany(inserts, now);
}

const property = (record: CaseRecord, name: string | undefined): string | null =>
  name === undefined ? null : (record.properties[name] ?? null);

/**
 * One alert against one case (pure): a new match creates an instance, a lost match removes it,
 * a changed start, stop, zone or alert recalculates it, a changed restart property restarts it,
 * and anything else changes nothing. Past events are skipped, never sent late.
 */
export function planAlert(
  project: ProjectRecord,
  alert: AlertRecord,
  record: CaseRecord,
  instance: InstanceRecord | null,
  now: number,
  /** The case's recipients besides the case (plannedRecipients); absent: the case only. */
  recipients?: PlannedRecipients,
): AlertStep {
  const definition = alert.definition;
  const matches =
    alert.active &&
    caseMatches(definition.criteria as Criterion[], definition.match ?? 'all', {
      open: !record.closed && !record.deleted,
      properties: record.properties,
    });
  if (!matches) return instance ? { kind: 'remove', id: instance.id } : { kind: 'keep' };
  const schedule = definition.schedule as ScheduleSpec;
  const zone = effectiveTimeZone(
    record.properties.time_zone,
    effectiveSettings(project.settings).timeZone,
  ).zone;
  const values = {
    startValue: property(record, schedule.start_property),
    stopValue: property(record, schedule.stop_property),
    restartValue: property(record, schedule.restart_property),
  };
  const restart =
    instance !== null &&
    schedule.restart_property !== undefined &&
    instance.state.restartValue !== values.restartValue;
  const fresh = instance === null || restart;
  const createdAt = fresh ? now : instance.state.createdAt;
  const seed = instance?.state.seed ?? `${project.id}/${alert.id}/${record.id}/${now}`;
  const ctx = { zone, createdAt, properties: record.properties, seed };
  const start = scheduleStart(schedule, ctx);
  if (!start.ok) return instance ? { kind: 'remove', id: instance.id } : { kind: 'keep' };
  const zones = [...new Set([zone, ...(recipients?.zones ?? [])])].sort();
  const basis: InstanceState = {
    start: isoDate(start.start),
    zone,
    seed,
    createdAt,
    version: alert.version,
    ...values,
    ...(zones.length > 1 ? { zones } : {}),
    // A fresh instance expands a group owner anew; otherwise the members kept for the owner stay.
    ...(recipients?.ownerMembers
      ? {
          ownerMembers:
            !fresh && instance.state.ownerMembers?.owner === recipients.ownerMembers.owner
              ? instance.state.ownerMembers
              : recipients.ownerMembers,
        }
      : {}),
    // A recalculation keeps the firings of the other zones' clocks; a fresh start has none.
    ...(!fresh && instance.state.clocks ? { clocks: instance.state.clocks } : {}),
    // Even a restart keeps the instant last fired: the same instant is never sent twice.
    ...(instance?.state.firedThrough !== undefined ? { firedThrough: instance.state.firedThrough } : {}),
  };
  if (!fresh && sameBasis(instance.state, basis)) return { kind: 'keep' };
  const fired = fresh ? 0 : instance.occurrences;
  const clocks = clocksFor(schedule, { state: basis, occurrences: fired }, zones, record.properties);
  const nextDueAt = earliestEvent(schedule, clocks.values(), now);
  const { state, occurrences } = storedClocks(basis, clocks.values(), fired);
  if (instance === null)
    return {
      kind: 'insert',
      instance: {
        projectId: project.id,
        sourceKind: 'alert',
        sourceId: alert.id,
        subjectKey: record.id,
        state,
        occurrences,
        nextDueAt,
      },
    };
  return { kind: 'update', id: instance.id, patch: { state, occurrences, nextDueAt } };
}

function sameBasis(a: InstanceState, b: InstanceState): boolean {
  return (
    a.start === b.start &&
    a.zone === b.zone &&
    a.version === b.version &&
    a.startValue === b.startValue &&
    a.stopValue === b.stopValue &&
    a.restartValue === b.restartValue &&
    (a.zones ?? []).join('|') === (b.zones ?? []).join('|') &&
    (a.ownerMembers?.owner ?? null) === (b.ownerMembers?.owner ?? null)
  );
}
