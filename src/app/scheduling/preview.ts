// What an alert or broadcast would send in the coming days (beyond peers): recipient, local
// time, UTC instant and text — computed from the stored instances with the same schedule maths
// and recipient decision the sender uses, without queueing anything.
import { decideDelivery, type Delivery, type RecipientFacts } from '../../domain/delivery.ts';
import type { Content } from '../../domain/content.ts';
import type { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import { customEventsAt, isCustomSchedule, previewEvents, type ScheduleSpec } from '../../domain/schedule.ts';
import type { TemplateContext } from '../../domain/template.ts';
import { loadContact } from '../contacts/contacts.ts';
import type { Repos } from '../ports/store.ts';
import { alertRecipients, zonesOf, type ZonedRecipient } from './alert-recipients.ts';
import { clocksFor } from './clocks.ts';
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
  const until = now + days * DAY_MS;
  const project = await requireProject(store, projectId);
  const settings = effectiveSettings(project.settings);
  const alert = await store.alerts.get(project.id, sourceId);
  const broadcast = alert ? null : await store.broadcasts.get(project.id, sourceId);
  const source = alert ?? broadcast;
  if (!source) throw new InputError('id', `no alert or broadcast '${sourceId}' in project '${project.id}'`);
  const kind = alert ? 'alert' : 'broadcast';
  const schedule = source.definition.schedule as ScheduleSpec;
  const gateways = await store.gateways.visibleTo(project.id);
  const instances = (await store.schedules.forSource(kind, project.id, sourceId)).filter(
    (instance) => instance.nextDueAt !== null,
  );
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
  const decide = deciderFor(store, project, settings, gateways, source.definition.default_language ?? null);
  const lines: PreviewLine[] = [];
  for (const instance of instances) {
    const caseRecord = cases.get(instance.subjectKey) ?? null;
    // Every recipient kind, groups expanded, each in its own zone (SPEC 4.2), as the firing does.
    const recipients: ZonedRecipient[] =
      alert && caseRecord
        ? await alertRecipients(store, project, alert, caseRecord, instance.state.ownerMembers)
        : (instance.state.recipients ?? []).map((key) => ({
            to: recipientOfKey(key),
            zone: instance.state.zone,
          }));
    const caseContext =
      alert && caseRecord
        ? ((await loadContact(store, project, 'case', caseRecord.id))?.template.case ?? null)
        : null;
    const clocks = clocksFor(schedule, instance, zonesOf(recipients), caseRecord?.properties ?? {});
    for (const clock of clocks.values()) {
      const from = Math.max(now, instance.nextDueAt ?? now);
      for (const at of previewEvents(schedule, clock.start, clock.ctx, from, until, clock.fired, 1000)) {
        const events = isCustomSchedule(schedule)
          ? customEventsAt(schedule, clock.start, clock.ctx, at)
          : [-1];
        for (const event of events) {
          const content = event === -1 ? source.definition.content : customContent(source.definition, event);
          if (!content) continue;
          for (const { to } of recipients.filter((recipient) => recipient.zone === clock.zone)) {
            const decision = await decide(to, content, caseContext);
            lines.push({
              at: new Date(at).toISOString(),
              local: DateTime.fromMillis(at, { zone: clock.zone }).toFormat('yyyy-MM-dd HH:mm'),
              zone: clock.zone,
              recipient: recipientLabel(to),
              text: decision.ok ? decision.text : null,
              error: decision.ok ? null : decision.code,
            });
          }
        }
      }
    }
  }
  return lines.sort((a, b) => a.at.localeCompare(b.at) || a.recipient.localeCompare(b.recipient));
}

function customContent(definition: AlertBody | BroadcastBody, event: number): Content | undefined {
  const schedule = definition.schedule;
  return schedule.type === 'custom_daily' || schedule.type === 'custom_immediate'
    ? schedule.events[event]?.content
    : undefined;
}

const recipientLabel = (to: Recipient): string =>
  'case' in to
    ? `case:${to.case}`
    : 'mobile_worker' in to
      ? `mobile_worker:${to.mobile_worker}`
      : `phone:${to.phone}`;

/**
 * The sender's decision for a recipient and a content, with `{case.…}` the alert's case for
 * every recipient; each recipient's facts are read once per channel.
 */
function deciderFor(
  store: Repos,
  project: ProjectRecord,
  settings: EffectiveSettings,
  gateways: GatewayRecord[],
  defaultLanguage: string | null,
) {
  const facts = new Map<string, RecipientFacts | null>();
  return async (to: Recipient, content: Content, caseContext: TemplateContext['case']): Promise<Delivery> => {
    const channel = content.channel ?? 'sms';
    if (content.survey !== undefined)
      return {
        ok: true,
        to: '',
        text: `(survey ${content.survey})`,
        subject: null,
        language: '*',
        gateway: null,
        gatewayRule: null,
      };
    const key = `${channel}|${recipientLabel(to)}`;
    if (!facts.has(key))
      facts.set(key, (await recipientsFacts(store, project, [to], channel, defaultLanguage))[0] ?? null);
    let found = facts.get(key) ?? null;
    if (!found) return { ok: false, code: 'NO_RECIPIENT', detail: '' };
    if (caseContext) found = { ...found, template: { ...found.template, case: caseContext } };
    return decideDelivery(
      {
        projectId: project.id,
        channel,
        content: { text: content.text, translations: content.translations, subject: content.subject ?? null },
        sharedNumbers: settings.sharedNumbers,
        isReply: false,
        gateways: channel === 'sms' ? gateways : [],
      },
      found,
    );
  };
}
