// From a request to queued messages (SPEC 3.1): one sub-event per recipient, each either an
// error recorded once or a durable queued row. Shared by sends, broadcasts, alerts and replies.
import { checkEmail } from '../../domain/email.ts';
import { decideDelivery, type Content, type RecipientFacts } from '../../domain/delivery.ts';
import { checkNumber, phoneKey } from '../../domain/phone.ts';
import type { TemplateContext } from '../../domain/template.ts';
import { cleanText, countSegments } from '../../domain/text.ts';
import { contactKeyOf, loadContacts } from '../contacts/contacts.ts';
import type {
  ContactKind,
  GatewayRecord,
  MessageKind,
  NewMessage,
  PhoneEntry,
  ProjectRecord,
  RecipientKind,
} from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { ownershipAmong } from '../registry/registry.ts';
import type { Recipient } from '../../domain/recipients.ts';
import { effectiveSettings } from '../projects/settings.ts';

export interface QueueRequest {
  project: ProjectRecord;
  eventId: number;
  channel: 'sms' | 'email';
  content: Content;
  defaultLanguage: string | null;
  /** Loaded once per event: every gateway the project may use. */
  gateways: GatewayRecord[];
  /** When the message should go; absent: now. */
  dueAt?: number;
  /** The case an alert fired for: `{case.*}` in its text refers to it, whoever the recipient. */
  caseContext?: TemplateContext['case'];
}

export interface SubEventOutcome {
  subEventId: number;
  recipient: { kind: RecipientKind; id: string };
  messageId: number | null;
  error: { code: string; text: string } | null;
}

function recipientOf(to: Recipient): { kind: RecipientKind; id: string } {
  if ('case' in to) return { kind: 'case', id: to.case };
  if ('mobile_worker' in to) return { kind: 'mobile_worker', id: to.mobile_worker };
  return { kind: 'phone', id: to.phone };
}

/**
 * What the recipient decision (SPEC 3.1) needs to know about each recipient, read in a few
 * queries for all of them: null for a contact that does not exist. A bare number has no
 * language, no owner conflict and no contact.
 */
export async function recipientsFacts(
  repos: Repos,
  project: ProjectRecord,
  recipients: readonly Recipient[],
  channel: 'sms' | 'email',
  defaultLanguage: string | null,
): Promise<(RecipientFacts | null)[]> {
  const settings = effectiveSettings(project.settings);
  const language = {
    messageDefault: defaultLanguage,
    projectDefault: settings.defaultLanguage,
    fallback: settings.languageFallback,
  };
  const targets = recipients.map(recipientOf);
  const views = await loadContacts(
    repos,
    project,
    targets.flatMap((t) => (t.kind === 'phone' ? [] : [{ kind: t.kind, id: t.id }])),
  );
  const numbers = [...views.values()].flatMap((v) => (v.number.kind === 'valid' ? [v.number.number] : []));
  const entries = channel === 'sms' && numbers.length > 0 ? await repos.phones.forNumbers(numbers) : [];
  const byNumber = new Map<string, PhoneEntry[]>();
  for (const entry of entries) byNumber.set(entry.number, [...(byNumber.get(entry.number) ?? []), entry]);
  return targets.map((target): RecipientFacts | null => {
    if (target.kind === 'phone') {
      const number = checkNumber(target.id, settings.defaultCountry);
      return {
        active: true,
        number,
        ownedByAnother: null,
        email: { kind: 'none' },
        backend: null,
        language: { contactLanguage: null, ...language },
        template: {
          case: null,
          recipient: { name: null, phoneNumber: number.kind === 'valid' ? number.number : null },
        },
      };
    }
    const view = views.get(contactKeyOf(target.kind, target.id));
    if (!view) return null;
    const ownership =
      view.number.kind === 'valid'
        ? ownershipAmong(byNumber.get(view.number.number) ?? [], view.ref)
        : { by: 'nobody' as const };
    return {
      active: view.active,
      number: view.number,
      ownedByAnother: ownership.by === 'another' ? ownership.label : null,
      email: checkEmail(view.email),
      backend: view.backend,
      language: { contactLanguage: view.language, ...language },
      template: view.template,
    };
  });
}

/** Decides one recipient and records its sub-event (and its queued message when it goes). */
export async function queueForRecipient(
  tx: Repos,
  request: QueueRequest,
  to: Recipient,
  now: number,
): Promise<SubEventOutcome> {
  const [outcome] = await queueForRecipients(tx, request, [to], now);
  if (!outcome) throw new Error('one recipient gives one sub-event');
  return outcome;
}

/**
 * Decides every recipient of one event and records their sub-events and queued messages in a
 * few statements (a broadcast to 100,000 is a handful of multi-row inserts). A recipient
 * listed twice is decided once.
 */
export async function queueForRecipients(
  tx: Repos,
  request: QueueRequest,
  recipients: readonly Recipient[],
  now: number,
): Promise<SubEventOutcome[]> {
  const settings = effectiveSettings(request.project.settings);
  const seen = new Set<string>();
  const unique: Recipient[] = [];
  const targets: { kind: RecipientKind; id: string }[] = [];
  for (const to of recipients) {
    const target = recipientOf(to);
    if (target.kind === 'phone') target.id = phoneKey(target.id, settings.defaultCountry);
    const key = `${target.kind}:${target.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(to);
    targets.push(target);
  }
  const facts = await recipientsFacts(tx, request.project, unique, request.channel, request.defaultLanguage);
  const deliveryRequest = {
    projectId: request.project.id,
    channel: request.channel,
    content: request.content,
    sharedNumbers: settings.sharedNumbers,
    isReply: false,
    gateways: request.gateways,
  };
  const planned = targets.map((target, i) => {
    let fact = facts[i] ?? null;
    if (fact && request.caseContext)
      fact = { ...fact, template: { ...fact.template, case: request.caseContext } };
    const decision = fact ? decideDelivery(deliveryRequest, fact) : null;
    const error = !decision
      ? {
          code: 'NO_RECIPIENT',
          text: `no ${target.kind === 'case' ? 'case' : 'mobile worker'} '${target.id}'`,
        }
      : decision.ok
        ? null
        : { code: decision.code, text: decision.detail };
    return { target, decision: decision?.ok ? decision : null, error };
  });
  const subEventIds = await tx.events.addSubEvents(
    planned.map(({ target, error }) => ({
      eventId: request.eventId,
      projectId: request.project.id,
      recipientKind: target.kind,
      recipientId: target.id,
      status: error ? 'error' : 'in_progress',
      errorCode: error?.code ?? null,
      errorText: error?.text ?? null,
    })),
    now,
  );
  const going = planned.flatMap((plan, i) =>
    plan.decision ? [{ plan, decision: plan.decision, subEventId: subEventIds[i] ?? 0 }] : [],
  );
  // Most recipients of a broadcast get the same text: it is cleaned and counted once.
  const shapes = new Map<string, SmsShape>();
  const messageIds = await tx.messages.insertMany(
    going.map(({ plan, decision, subEventId }) =>
      queuedMessage(
        {
          projectId: request.project.id,
          eventId: request.eventId,
          subEventId,
          channel: request.channel,
          contact: plan.target.kind === 'phone' ? null : { kind: plan.target.kind, id: plan.target.id },
          to: decision.to,
          gatewayId: decision.gateway?.id ?? null,
          subject: decision.subject,
          text: decision.text,
          kind: 'message',
          replyTo: null,
          normalize: settings.normalizeText,
          dueAt: request.dueAt,
        },
        now,
        shapes,
      ),
    ),
    now,
  );
  const messageOf = new Map(going.map((g, i) => [g.subEventId, messageIds[i] ?? null]));
  return planned.map(({ target, error }, i) => {
    const subEventId = subEventIds[i] ?? 0;
    return { subEventId, recipient: target, messageId: messageOf.get(subEventId) ?? null, error };
  });
}

export interface Enqueue {
  projectId: string | null;
  eventId: number | null;
  subEventId: number | null;
  channel: 'sms' | 'email';
  contact: { kind: ContactKind; id: string } | null;
  to: string;
  gatewayId: string | null;
  subject: string | null;
  text: string;
  kind: MessageKind;
  replyTo: number | null;
  normalize: boolean;
  /** Absent: due now. */
  dueAt?: number;
}

/** An SMS text as stored (cleaned when the project normalises) and its segments. */
interface SmsShape {
  text: string;
  segments: number;
}

function smsShape(text: string, normalize: boolean, memo?: Map<string, SmsShape>): SmsShape {
  const key = `${normalize ? 1 : 0}${text}`;
  const known = memo?.get(key);
  if (known) return known;
  const stored = normalize ? cleanText(text) : text;
  const shape = { text: stored, segments: countSegments(stored).segments };
  memo?.set(key, shape);
  return shape;
}

/** The durable queue row of an item; the text stored is the text the gateway gets. */
function queuedMessage(item: Enqueue, now: number, memo?: Map<string, SmsShape>): NewMessage {
  const sms = item.channel === 'sms';
  const shape = sms ? smsShape(item.text, item.normalize, memo) : null;
  const text = shape ? shape.text : item.text;
  return {
    projectId: item.projectId,
    eventId: item.eventId,
    subEventId: item.subEventId,
    direction: 'out',
    channel: item.channel,
    contact: item.contact,
    phone: sms ? item.to : null,
    email: sms ? null : item.to,
    gatewayId: item.gatewayId,
    subject: item.subject,
    text,
    segments: shape ? shape.segments : null,
    status: 'queued',
    kind: item.kind,
    replyTo: item.replyTo,
    dueAt: item.dueAt ?? now,
    outcome: null,
  };
}

/** Writes one durable queue row. */
export async function enqueue(tx: Repos, item: Enqueue, now: number): Promise<number> {
  return (await tx.messages.insert(queuedMessage(item, now), now)).id;
}
