// Firing due schedule instances (SPEC 4): each firing is one event with one sub-event per
// recipient, queued in the same transaction that moves the instance to its next event and
// records the instant fired (state.firedThrough), so a retried firing never sends twice.
import type { Content as MessageContent } from '../../domain/delivery.ts';
import type { Content } from '../../domain/content.ts';
import type { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import {
  customEventsAt,
  isCustomSchedule,
  nextEventAt,
  parseLocalDate,
  type ScheduleSpec,
} from '../../domain/schedule.ts';
import type { TemplateContext } from '../../domain/template.ts';
import { alertRecipients, zonesOf, type ZonedRecipient } from './alert-recipients.ts';
import { clocksFor, earliestEvent, storedClocks } from './clocks.ts';
import { chooseGateway } from '../../domain/gateway-choice.ts';
import { contactOwnership, loadContact } from '../contacts/contacts.ts';
import type { Deps } from '../ports/deps.ts';
import { runDueItems } from '../due-item.ts';
import { queueForRecipients } from '../sending/outbox.ts';
import type { ContactKind, GatewayRecord, ProjectRecord, RecipientKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { recipientOfKey } from '../../domain/recipients.ts';
import type { AlertRecord, BroadcastRecord, InstanceRecord } from '../ports/schedule-repos.ts';
import type { Recipient } from '../../domain/recipients.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { hasQuestions, startSurvey } from '../surveys/surveys.ts';

/** Events overdue by more than this (the engine was down) are skipped, not sent. */
export const MAX_OVERDUE_MS = 2 * 24 * 60 * 60 * 1000;

/** Fires up to `limit` due instances in one transaction; returns how many it handled. */
export async function fireDueSchedules(deps: Deps, limit: number): Promise<number> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const due = await tx.schedules.lockDue(now, limit);
    const projects = new Map<string, { project: ProjectRecord | null; gateways: GatewayRecord[] }>();
    // Item by item: an instance that cannot be fired is marked in error, the others go out.
    await runDueItems(tx, deps.log, due, {
      describe: (instance) => ({ kind: 'schedule_instance', id: instance.id, projectId: instance.projectId }),
      work: async (instance) => {
        let cached = projects.get(instance.projectId);
        if (!cached) {
          const project = await tx.projects.get(instance.projectId);
          cached = { project, gateways: project ? await tx.gateways.visibleTo(project.id) : [] };
          projects.set(instance.projectId, cached);
        }
        await fireInstance(tx, instance, cached.project, cached.gateways, now);
      },
      markError: (instance, reason) => tx.schedules.markError(instance.id, reason, now),
    });
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
  if (!project || !source || !source.active || !parseLocalDate(instance.state.start)) {
    await tx.schedules.update(instance.id, { nextDueAt: null }, now);
    return;
  }
  const schedule = source.definition.schedule as ScheduleSpec;
  const caseRecord =
    instance.sourceKind === 'alert' ? await tx.cases.get(project.id, instance.subjectKey) : null;
  const recipients: ZonedRecipient[] =
    instance.sourceKind === 'alert'
      ? caseRecord
        ? await alertRecipients(tx, project, source as AlertRecord, caseRecord, instance.state.ownerMembers)
        : []
      : (instance.state.recipients ?? []).map((key) => ({
          to: recipientOfKey(key),
          zone: instance.state.zone,
        }));
  // The instance's own zone always keeps a clock, so it goes on ticking while it has no
  // recipient (an alert's children that do not exist yet).
  const clocks = clocksFor(
    schedule,
    instance,
    [instance.state.zone, ...zonesOf(recipients)],
    caseRecord?.properties ?? {},
  );

  if (instance.state.firedThrough !== undefined && dueAt <= instance.state.firedThrough) {
    // Already sent: a pause and resume, or a recalculation, in the same instant as the firing.
    const next = earliestEvent(schedule, clocks.values(), instance.state.firedThrough + 1);
    await tx.schedules.update(instance.id, { nextDueAt: next }, now);
    return;
  }
  if (now - dueAt > MAX_OVERDUE_MS) {
    // Skipped events are not occurrences: move on to the first event that is not too late.
    const next = earliestEvent(schedule, clocks.values(), Math.max(dueAt + 1, now - MAX_OVERDUE_MS));
    await tx.schedules.update(instance.id, { nextDueAt: next }, now);
    return;
  }

  // The clocks with an event at this instant; a custom schedule's clock names its events.
  const firing = [...clocks.values()].filter(
    (clock) => nextEventAt(schedule, clock.start, clock.ctx, dueAt, clock.fired) === dueAt,
  );
  const sends = new Map<number, Recipient[]>();
  for (const clock of firing) {
    const events = isCustomSchedule(schedule)
      ? customEventsAt(schedule, clock.start, clock.ctx, dueAt)
      : [ONE_CONTENT];
    const to = recipients.filter((recipient) => recipient.zone === clock.zone).map((r) => r.to);
    for (const event of events) sends.set(event, [...(sends.get(event) ?? []), ...to]);
  }
  const caseContext = caseRecord
    ? (await loadContact(tx, project, 'case', caseRecord.id))?.template.case
    : undefined;
  for (const [event, to] of [...sends].sort(([a], [b]) => a - b)) {
    const content = contentOf(source.definition, event);
    if (content && to.length > 0)
      await sendContent(tx, { project, instance, source, gateways, caseContext }, content, event, to, now);
  }
  for (const clock of firing) clock.fired += 1;
  const stored = storedClocks(
    { ...instance.state, firedThrough: dueAt },
    clocks.values(),
    instance.occurrences,
  );
  await tx.schedules.update(
    instance.id,
    { ...stored, nextDueAt: earliestEvent(schedule, clocks.values(), dueAt + 1) },
    now,
  );
}

/** The event key of a schedule with one content (not a custom schedule's event index). */
const ONE_CONTENT = -1;

/** The content an event sends: the source's own, or a custom schedule's event's. */
function contentOf(definition: AlertBody | BroadcastBody, event: number): Content | undefined {
  if (event === ONE_CONTENT) return definition.content;
  const schedule = definition.schedule;
  return schedule.type === 'custom_daily' || schedule.type === 'custom_immediate'
    ? schedule.events[event]?.content
    : undefined;
}

interface Firing {
  project: ProjectRecord;
  instance: InstanceRecord;
  source: AlertRecord | BroadcastRecord;
  gateways: GatewayRecord[];
  caseContext: TemplateContext['case'] | undefined;
}

/** One content to its recipients: one event, one sub-event each. */
async function sendContent(
  tx: Repos,
  firing: Firing,
  content: Content,
  event: number,
  recipients: readonly Recipient[],
  now: number,
): Promise<void> {
  const { project, instance, source, gateways } = firing;
  const channel = content.channel ?? 'sms';
  const message: MessageContent = {
    text: content.text,
    translations: content.translations,
    subject: content.subject ?? null,
  };
  const eventId = await tx.events.create(
    {
      projectId: project.id,
      source: instance.sourceKind,
      sourceId: instance.sourceId,
      channel,
      content: message,
    },
    now,
  );
  if (content.survey !== undefined) {
    await startSurveys(tx, project, eventId, content.survey, recipients, gateways, now);
  } else {
    const request = {
      project,
      eventId,
      channel,
      content: message,
      defaultLanguage: source.definition.default_language ?? null,
      gateways,
      caseContext: firing.caseContext,
    };
    await queueForRecipients(tx, request, recipients, now);
  }
  await tx.events.refreshStatus(eventId, now);
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
  const survey = await tx.surveys.get(project.id, surveyId);
  // A survey of labels only goes to one-way numbers too, as in CommCare (SPEC 5.1).
  const needsTwoWay = survey ? hasQuestions(survey) : true;
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
    else if (needsTwoWay && (ownership?.by !== 'self' || ownership.state !== 'two_way' || !number))
      error = { code: 'NO_TWO_WAY_PHONE_NUMBER', text: 'the contact does not own a verified two-way number' };
    else if (!number) error = { code: 'NO_PHONE_NUMBER', text: 'the contact has no valid phone number' };
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
