// What an alert or broadcast would send in the coming days (beyond peers): recipient, local
// time, UTC instant and text — computed from the stored instances with the same schedule maths
// and recipient decision the sender uses, without queueing anything.
import { decideDelivery, type Delivery } from '../../domain/delivery.ts';
import { parseLocalDate, previewEvents, type ScheduleSpec } from '../../domain/schedule.ts';
import { DateTime } from 'luxon';
import type { Deps } from '../ports/deps.ts';
import { recipientsFacts } from '../sending/outbox.ts';
import type { GatewayRecord, ProjectRecord } from '../ports/records.ts';
import { requireProject } from '../projects/projects.ts';
import { recipientOfKey } from '../../domain/recipients.ts';
import type { Recipient } from '../../domain/recipients.ts';
import { effectiveSettings, type EffectiveSettings } from '../projects/settings.ts';
import { InputError } from '../../lib/input.ts';

/** Days a preview covers by default, and at most. */
export const DEFAULT_PREVIEW_DAYS = 7;
export const MAX_PREVIEW_DAYS = 366;

export interface PreviewLine {
  at: string;
  local: string;
  zone: string;
  recipient: string;
  /** The text it would send, or the error code that would stop it. */
  text: string | null;
  error: string | null;
}

const DAY_MS = 86_400_000;

export async function previewSchedule(
  deps: Deps,
  projectId: string,
  sourceId: string,
  days: number,
): Promise<PreviewLine[]> {
  const store = deps.store;
  const now = deps.clock.now();
  const project = await requireProject(store, projectId);
  const settings = effectiveSettings(project.settings);
  const alert = await store.alerts.get(project.id, sourceId);
  const broadcast = alert ? null : await store.broadcasts.get(project.id, sourceId);
  const source = alert ?? broadcast;
  if (!source) throw new InputError('id', `no alert or broadcast '${sourceId}' in project '${project.id}'`);
  const kind = alert ? 'alert' : 'broadcast';
  const schedule = source.definition.schedule as ScheduleSpec;
  const content = source.definition.content;
  const channel = content.channel ?? 'sms';
  const gateways = channel === 'sms' ? await store.gateways.visibleTo(project.id) : [];
  const instances = (await store.schedules.forSource(kind, project.id, sourceId)).filter(
    (instance) => instance.nextDueAt !== null,
  );
  // Everything read in bulk: the alert's cases, then each distinct recipient's facts once (what
  // is decided for a recipient does not depend on the instant).
  const cases = new Map(
    kind === 'alert'
      ? (
          await store.cases.getMany(
            project.id,
            instances.map((instance) => instance.subjectKey),
          )
        ).map((record) => [record.id, record])
      : [],
  );
  const planned = instances.flatMap((instance) => {
    const start = parseLocalDate(instance.state.start);
    if (!start || instance.nextDueAt === null) return [];
    const caseRecord = cases.get(instance.subjectKey) ?? null;
    const ctx = {
      zone: instance.state.zone,
      createdAt: instance.state.createdAt,
      properties: caseRecord?.properties ?? {},
      seed: instance.state.seed,
    };
    const events = previewEvents(
      schedule,
      start,
      ctx,
      Math.max(now, instance.nextDueAt),
      now + days * DAY_MS,
      instance.occurrences,
      1000,
    );
    const recipients: Recipient[] =
      kind === 'alert'
        ? (alert?.definition.recipients ?? ['case']).map((r) =>
            r === 'case' ? { case: instance.subjectKey } : { mobile_worker: caseRecord?.ownerId ?? '' },
          )
        : (instance.state.recipients ?? []).map(recipientOfKey);
    return events.length > 0 ? [{ zone: instance.state.zone, events, recipients }] : [];
  });
  const distinct = new Map(
    planned.flatMap(({ recipients }) => recipients.map((to) => [recipientLabel(to), to] as const)),
  );
  const decisions = await decideAll(
    deps,
    project,
    [...distinct.values()],
    channel,
    content,
    source.definition.default_language ?? null,
    gateways,
    settings,
  );
  const lines: PreviewLine[] = [];
  for (const { zone, events, recipients } of planned) {
    for (const at of events) {
      for (const to of recipients) {
        const recipient = recipientLabel(to);
        const decision = decisions.get(recipient) ?? { ok: false, code: 'NO_RECIPIENT', detail: '' };
        lines.push({
          at: new Date(at).toISOString(),
          local: DateTime.fromMillis(at, { zone }).toFormat('yyyy-MM-dd HH:mm'),
          zone,
          recipient,
          text: decision.ok ? decision.text : null,
          error: decision.ok ? null : decision.code,
        });
      }
    }
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.recipient.localeCompare(b.recipient));
}

const recipientLabel = (to: Recipient): string =>
  'case' in to
    ? `case:${to.case}`
    : 'mobile_worker' in to
      ? `mobile_worker:${to.mobile_worker}`
      : `phone:${to.phone}`;

/** The sender's decision for each recipient, by label; the facts read in one go. */
async function decideAll(
  deps: Deps,
  project: ProjectRecord,
  recipients: readonly Recipient[],
  channel: 'sms' | 'email',
  content: { text?: string; translations?: Record<string, string>; subject?: string },
  defaultLanguage: string | null,
  gateways: GatewayRecord[],
  settings: EffectiveSettings,
): Promise<Map<string, Delivery>> {
  const facts = await recipientsFacts(deps.store, project, recipients, channel, defaultLanguage);
  const request = {
    projectId: project.id,
    channel,
    content: { ...content, subject: content.subject ?? null },
    sharedNumbers: settings.sharedNumbers,
    isReply: false,
    gateways,
  };
  const decisions = new Map<string, Delivery>();
  recipients.forEach((to, i) => {
    const found = facts[i];
    decisions.set(
      recipientLabel(to),
      found ? decideDelivery(request, found) : { ok: false, code: 'NO_RECIPIENT', detail: '' },
    );
  });
  return decisions;
}
