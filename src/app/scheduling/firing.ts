// Firing due schedule instances (SPEC 4): each firing is one event with one sub-event per
// recipient, queued in the same transaction that moves the instance to its next event. A
// firing is recorded per (instance, due instant, recipient), so a retried one never sends twice.
import type { Content } from '../../domain/delivery.ts';
import { nextEventAt, parseLocalDate, type ScheduleSpec } from '../../domain/schedule.ts';
import { chooseGateway } from '../../domain/gateway-choice.ts';
import { contactOwnership, loadContact } from '../contacts/contacts.ts';
import type { Deps } from '../ports/deps.ts';
import { queueForRecipients } from '../sending/outbox.ts';
import type { ContactKind, GatewayRecord, ProjectRecord, RecipientKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { recipientKey, recipientOfKey } from '../../domain/recipients.ts';
import type { AlertRecord, BroadcastRecord, InstanceRecord } from '../ports/schedule-repos.ts';
import type { Recipient } from '../../domain/recipients.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { startSurvey } from '../surveys/surveys.ts';

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

async function fireInstance(
  tx: Repos,
  instance: InstanceRecord,
  project: ProjectRecord | null,
  gateways: GatewayRecord[],
  now: number,
): Promise<void> {
  const dueAt = instance.nextDueAt ?? now;
  const source: AlertRecord | BroadcastRecord | null =
    instance.sourceKind === 'alert'
      ? await tx.alerts.get(instance.projectId, instance.sourceId)
      : await tx.broadcasts.get(instance.projectId, instance.sourceId);
  const start = parseLocalDate(instance.state.start);
  if (!project || !source || !source.active || !start) {
    await tx.schedules.update(instance.id, { nextDueAt: null }, now);
    return;
  }
  const schedule = source.definition.schedule as ScheduleSpec;
  const caseRecord =
    instance.sourceKind === 'alert' ? await tx.cases.get(project.id, instance.subjectKey) : null;
  const ctx = {
    zone: instance.state.zone,
    createdAt: instance.state.createdAt,
    properties: caseRecord?.properties ?? {},
    seed: instance.state.seed,
  };

  if (now - dueAt > MAX_OVERDUE_MS) {
    // Skipped events are not occurrences: move on to the first event that is not too late.
    const next = nextEventAt(
      schedule,
      start,
      ctx,
      Math.max(dueAt + 1, now - MAX_OVERDUE_MS),
      instance.occurrences,
    );
    await tx.schedules.update(instance.id, { nextDueAt: next }, now);
    return;
  }

  const recipients =
    instance.sourceKind === 'alert'
      ? await alertRecipients(
          tx,
          source as AlertRecord,
          project.id,
          instance.subjectKey,
          caseRecord?.ownerId ?? null,
        )
      : (instance.state.recipients ?? []).map(recipientOfKey);
  const content: Content = {
    text: source.definition.content.text,
    translations: source.definition.content.translations,
    subject: source.definition.content.subject ?? null,
  };
  const channel = source.definition.content.channel ?? 'sms';
  const eventId = await tx.events.create(
    { projectId: project.id, source: instance.sourceKind, sourceId: instance.sourceId, channel, content },
    now,
  );
  const caseContext = caseRecord
    ? (await loadContact(tx, project, 'case', caseRecord.id))?.template.case
    : undefined;
  const fresh = await tx.schedules.recordFirings(instance.id, dueAt, recipients.map(recipientKey), now);
  const due = recipients.filter((to) => fresh.has(recipientKey(to)));
  const survey = source.definition.content.survey;
  if (survey !== undefined) {
    await startSurveys(tx, project, eventId, survey, due, gateways, now);
  } else {
    const request = {
      project,
      eventId,
      channel,
      content,
      defaultLanguage: source.definition.default_language ?? null,
      gateways,
      caseContext,
    };
    await queueForRecipients(tx, request, due, now);
  }
  await tx.events.refreshStatus(eventId, now);
  const fired = instance.occurrences + 1;
  await tx.schedules.update(
    instance.id,
    { occurrences: fired, nextDueAt: nextEventAt(schedule, start, ctx, dueAt + 1, fired) },
    now,
  );
}

/**
 * A survey sent by an alert or broadcast starts with each recipient that owns its number
 * two-way; any other gets NO_TWO_WAY_PHONE_NUMBER on its sub-event (SPEC 5).
 */
async function startSurveys(
  tx: Repos,
  project: ProjectRecord,
  eventId: number,
  surveyId: string,
  recipients: readonly Recipient[],
  gateways: GatewayRecord[],
  now: number,
): Promise<void> {
  for (const to of recipients) {
    const kind: ContactKind | null = 'case' in to ? 'case' : 'mobile_worker' in to ? 'mobile_worker' : null;
    const id = 'case' in to ? to.case : 'mobile_worker' in to ? to.mobile_worker : to.phone;
    const contact = kind ? await loadContact(tx, project, kind, id) : null;
    const ownership = contact ? await contactOwnership(tx, contact) : null;
    const number = contact?.number.kind === 'valid' ? contact.number.number : null;
    const choice = number ? chooseGateway(project.id, number, contact?.backend, gateways) : null;
    const base = {
      eventId,
      projectId: project.id,
      recipientKind: (kind ?? 'phone') as RecipientKind,
      recipientId: id,
    };
    let error: { code: string; text: string } | null = null;
    if (!kind)
      error = {
        code: 'NO_TWO_WAY_PHONE_NUMBER',
        text: 'a survey needs a contact with a two-way number, not a bare number',
      };
    else if (!contact)
      error = { code: 'NO_RECIPIENT', text: `no ${kind === 'case' ? 'case' : 'mobile worker'} '${id}'` };
    else if (!contact.active)
      error = { code: 'CONTACT_IS_INACTIVE', text: 'the contact is closed, deleted or inactive' };
    else if (ownership?.by !== 'self' || ownership.state !== 'two_way' || !number)
      error = { code: 'NO_TWO_WAY_PHONE_NUMBER', text: 'the contact does not own a verified two-way number' };
    else if (!choice?.ok)
      error = { code: choice?.error ?? 'NO_SUITABLE_GATEWAY', text: choice?.reason ?? '' };
    if (error || !contact || !kind || !number || !choice?.ok) {
      await tx.events.addSubEvent(
        {
          ...base,
          status: 'error',
          errorCode: error?.code ?? 'NO_TWO_WAY_PHONE_NUMBER',
          errorText: error?.text ?? '',
        },
        now,
      );
      continue;
    }
    const target = {
      projectId: project.id,
      contact: { kind, id },
      number,
      gatewayId: choice.gateway.id,
      inboundId: null,
      settings: effectiveSettings(project.settings),
      language: contact.language,
    };
    const started = await startSurvey(tx, project, surveyId, target, now);
    await tx.events.addSubEvent(
      started
        ? { ...base, status: 'completed', errorCode: null, errorText: null }
        : { ...base, status: 'error', errorCode: 'NO_MESSAGE', errorText: `no survey '${surveyId}'` },
      now,
    );
  }
}

/** An alert's recipients for one case: the case itself and/or its owner — a mobile worker, or each member of a group of them. */
async function alertRecipients(
  tx: Repos,
  alert: AlertRecord,
  projectId: string,
  caseId: string,
  ownerId: string | null,
): Promise<Recipient[]> {
  const recipients: Recipient[] = [];
  for (const kind of alert.definition.recipients ?? ['case']) {
    if (kind === 'case') {
      recipients.push({ case: caseId });
      continue;
    }
    const group = ownerId ? await tx.groups.get(projectId, ownerId) : null;
    if (group?.kind === 'mobile_worker' && !(ownerId && (await tx.workers.get(projectId, ownerId)))) {
      recipients.push(...group.members.map((id) => ({ mobile_worker: id })));
    } else {
      recipients.push({ mobile_worker: ownerId ?? '' });
    }
  }
  return recipients;
}
