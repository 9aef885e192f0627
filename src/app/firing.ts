// Firing due schedule instances (SPEC 4): each firing is one event with one sub-event per
// recipient, queued in the same transaction that moves the instance to its next event. A
// firing is recorded per (instance, due instant, recipient), so a retried one never sends twice.
import type { Content } from '../domain/delivery.ts';
import { nextEventAt, parseLocalDate, type ScheduleSpec } from '../domain/schedule.ts';
import { loadContact } from './contacts.ts';
import type { Deps } from './deps.ts';
import { queueForRecipients } from './outbox.ts';
import type { GatewayRecord, ProjectRecord, Repos } from './ports.ts';
import { recipientKey, recipientOfKey } from './recipients.ts';
import type { AlertRecord, BroadcastRecord, InstanceRecord } from './schedule-ports.ts';
import type { Recipient } from './schemas.ts';

/** Events overdue by more than this (the engine was down) are skipped, not sent. */
export const MAX_OVERDUE_MS = 2 * 24 * 60 * 60 * 1000;

/** Fires up to `limit` due instances in one transaction; returns how many it handled. */
export async function fireDueSchedules(deps: Deps, limit: number): Promise<number> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const due = await tx.schedules.lockDue(now, limit);
    const projects = new Map<string, { project: ProjectRecord | null; gateways: GatewayRecord[] }>();
    for (const instance of due) {
      let cached = projects.get(instance.projectId);
      if (!cached) {
        const project = await tx.projects.get(instance.projectId);
        cached = { project, gateways: project ? await tx.gateways.visibleTo(project.id) : [] };
        projects.set(instance.projectId, cached);
      }
      await fireInstance(tx, instance, cached.project, cached.gateways, now);
    }
    return due.length;
  });
}

async function fireInstance(tx: Repos, instance: InstanceRecord, project: ProjectRecord | null, gateways: GatewayRecord[], now: number): Promise<void> {
  const dueAt = instance.nextDueAt ?? now;
  const source: AlertRecord | BroadcastRecord | null =
    instance.sourceKind === 'alert' ? await tx.alerts.get(instance.projectId, instance.sourceId) : await tx.broadcasts.get(instance.projectId, instance.sourceId);
  const start = parseLocalDate(instance.state.start);
  if (!project || !source || !source.active || !start) {
    await tx.schedules.update(instance.id, { nextDueAt: null }, now);
    return;
  }
  const schedule = source.definition.schedule as ScheduleSpec;
  const caseRecord = instance.sourceKind === 'alert' ? await tx.cases.get(project.id, instance.subjectKey) : null;
  const ctx = { zone: instance.state.zone, createdAt: instance.state.createdAt, properties: caseRecord?.properties ?? {}, seed: instance.state.seed };

  if (now - dueAt > MAX_OVERDUE_MS) {
    // Skipped events are not occurrences: move on to the first event that is not too late.
    const next = nextEventAt(schedule, start, ctx, Math.max(dueAt + 1, now - MAX_OVERDUE_MS), instance.occurrences);
    await tx.schedules.update(instance.id, { nextDueAt: next }, now);
    return;
  }

  const recipients = instance.sourceKind === 'alert' ? alertRecipients(source as AlertRecord, instance.subjectKey, caseRecord?.ownerId ?? null) : (instance.state.recipients ?? []).map(recipientOfKey);
  const content: Content = { text: source.definition.content.text, translations: source.definition.content.translations, subject: source.definition.content.subject ?? null };
  const channel = source.definition.content.channel ?? 'sms';
  const eventId = await tx.events.create({ projectId: project.id, source: instance.sourceKind, sourceId: instance.sourceId, channel, content }, now);
  const caseContext = caseRecord ? (await loadContact(tx, project, 'case', caseRecord.id))?.template.case : undefined;
  const fresh = await tx.schedules.recordFirings(instance.id, dueAt, recipients.map(recipientKey), now);
  const request = { project, eventId, channel, content, defaultLanguage: source.definition.default_language ?? null, gateways, caseContext };
  await queueForRecipients(tx, request, recipients.filter((to) => fresh.has(recipientKey(to))), now);
  await tx.events.refreshStatus(eventId, now);
  const fired = instance.occurrences + 1;
  await tx.schedules.update(instance.id, { occurrences: fired, nextDueAt: nextEventAt(schedule, start, ctx, dueAt + 1, fired) }, now);
}

/** An alert's recipients for one case: the case itself and/or its owner (a mobile worker). */
function alertRecipients(alert: AlertRecord, caseId: string, ownerId: string | null): Recipient[] {
  const recipients: Recipient[] = [];
  for (const kind of alert.definition.recipients ?? ['case']) {
    if (kind === 'case') recipients.push({ case: caseId });
    else recipients.push({ mobile_worker: ownerId ?? '' });
  }
  return recipients;
}
