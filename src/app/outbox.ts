// From a request to queued messages (SPEC 3.1): one sub-event per recipient, each either an
// error recorded once or a durable queued row. Shared by sends, broadcasts, alerts and replies.
import { checkEmail } from '../domain/email.ts';
import { decideDelivery, type Content, type RecipientFacts } from '../domain/delivery.ts';
import { checkNumber, phoneKey } from '../domain/phone.ts';
import type { TemplateContext } from '../domain/template.ts';
import { cleanText, countSegments } from '../domain/text.ts';
import { loadContact, contactOwnership } from './contacts.ts';
import type { ContactKind, GatewayRecord, MessageKind, ProjectRecord, RecipientKind, Repos } from './ports.ts';
import type { Recipient } from './schemas.ts';
import { effectiveSettings } from './settings.ts';

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
 * What the recipient decision (SPEC 3.1) needs to know about one recipient, or null when the
 * contact does not exist. A bare number has no language, no owner conflict and no contact.
 */
export async function recipientFacts(
  repos: Repos,
  project: ProjectRecord,
  to: Recipient,
  channel: 'sms' | 'email',
  defaultLanguage: string | null,
): Promise<RecipientFacts | null> {
  const settings = effectiveSettings(project.settings);
  const language = { messageDefault: defaultLanguage, projectDefault: settings.defaultLanguage, fallback: settings.languageFallback };
  if ('phone' in to) {
    const number = checkNumber(to.phone, settings.defaultCountry);
    return {
      active: true,
      number,
      ownedByAnother: null,
      email: { kind: 'none' },
      backend: null,
      language: { contactLanguage: null, ...language },
      template: { case: null, recipient: { name: null, phoneNumber: number.kind === 'valid' ? number.number : null } },
    };
  }
  const target = recipientOf(to);
  const view = await loadContact(repos, project, target.kind as ContactKind, target.id);
  if (!view) return null;
  const ownership = channel === 'sms' ? await contactOwnership(repos, view) : { by: 'nobody' as const };
  return {
    active: view.active,
    number: view.number,
    ownedByAnother: ownership.by === 'another' ? ownership.label : null,
    email: checkEmail(view.email),
    backend: view.backend,
    language: { contactLanguage: view.language, ...language },
    template: view.template,
  };
}

/** Decides one recipient and records its sub-event (and its queued message when it goes). */
export async function queueForRecipient(tx: Repos, request: QueueRequest, to: Recipient, now: number): Promise<SubEventOutcome> {
  const settings = effectiveSettings(request.project.settings);
  const target = recipientOf(to);
  if (target.kind === 'phone') target.id = phoneKey(target.id, settings.defaultCountry);
  const contact = target.kind === 'phone' ? null : { kind: target.kind, id: target.id };
  const facts = await recipientFacts(tx, request.project, to, request.channel, request.defaultLanguage);
  if (facts && request.caseContext) facts.template = { ...facts.template, case: request.caseContext };
  const base = { eventId: request.eventId, projectId: request.project.id, recipientKind: target.kind, recipientId: target.id };
  if (!facts) {
    const error = { code: 'NO_RECIPIENT', text: `no ${target.kind === 'case' ? 'case' : 'mobile worker'} '${target.id}'` };
    const subEventId = await tx.events.addSubEvent({ ...base, status: 'error', errorCode: error.code, errorText: error.text }, now);
    return { subEventId, recipient: target, messageId: null, error };
  }
  const decision = decideDelivery(
    { projectId: request.project.id, channel: request.channel, content: request.content, sharedNumbers: settings.sharedNumbers, isReply: false, gateways: request.gateways },
    facts,
  );
  if (!decision.ok) {
    const error = { code: decision.code, text: decision.detail };
    const subEventId = await tx.events.addSubEvent({ ...base, status: 'error', errorCode: error.code, errorText: error.text }, now);
    return { subEventId, recipient: target, messageId: null, error };
  }
  const subEventId = await tx.events.addSubEvent({ ...base, status: 'in_progress', errorCode: null, errorText: null }, now);
  const message = await enqueue(tx, {
    projectId: request.project.id,
    eventId: request.eventId,
    subEventId,
    channel: request.channel,
    contact,
    to: decision.to,
    gatewayId: decision.gateway?.id ?? null,
    subject: decision.subject,
    text: decision.text,
    kind: 'message',
    replyTo: null,
    normalize: settings.normalizeText,
    dueAt: request.dueAt,
  }, now);
  return { subEventId, recipient: target, messageId: message, error: null };
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

/** Writes the durable queue row; the text stored is the text the gateway gets. */
export async function enqueue(tx: Repos, item: Enqueue, now: number): Promise<number> {
  const sms = item.channel === 'sms';
  const text = sms && item.normalize ? cleanText(item.text) : item.text;
  const message = await tx.messages.insert(
    {
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
      segments: sms ? countSegments(text).segments : null,
      status: 'queued',
      kind: item.kind,
      replyTo: item.replyTo,
      dueAt: item.dueAt ?? now,
      outcome: null,
    },
    now,
  );
  return message.id;
}
