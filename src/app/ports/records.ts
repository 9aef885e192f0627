// The records the use cases and the stores exchange: projects, contacts, phone entries,
// gateways, messages, attempts, events and opt-outs.
import type { ProjectSettings } from '../../domain/project-settings.ts';
import type { CaseIndex } from '../../domain/case-index.ts';

export type ContactKind = 'case' | 'mobile_worker';

export interface ContactRef {
  projectId: string;
  kind: ContactKind;
  id: string;
}

/** One string per contact, for sets and maps. */
export const refKey = (ref: ContactRef): string => `${ref.projectId}\u0000${ref.kind}\u0000${ref.id}`;

export interface ProjectRecord {
  id: string;
  settings: ProjectSettings;
}

export interface CaseRecord {
  projectId: string;
  id: string;
  type: string;
  name: string | null;
  ownerId: string | null;
  closed: boolean;
  deleted: boolean;
  properties: Record<string, string>;
  /** The CommCare server's last-modified instant of the applied update (staleness guard). */
  serverModifiedOn: number;
  /** Links to other cases by identifier (`parent`, `host`, …); absent: none. */
  indices?: Record<string, CaseIndex>;
}

export interface WorkerRecord {
  projectId: string;
  id: string;
  username: string | null;
  name: string | null;
  /** As given; the first is the default number. */
  phoneNumbers: string[];
  email: string | null;
  language: string | null;
  timeZone: string | null;
  active: boolean;
  /** {recipient.first_name} / {recipient.last_name}; absent or null: from `name`. */
  firstName?: string | null;
  lastName?: string | null;
}

/** one_way; waiting: a case's verified claim while another owns the number;
 *  pending: a worker's verification in progress; two_way. pending and two_way own the number. */
export type EntryState = 'one_way' | 'waiting' | 'pending' | 'two_way';

export interface PhoneEntry {
  id: number;
  number: string;
  projectId: string;
  contactKind: ContactKind;
  contactId: string;
  state: EntryState;
  /** When the contact first claimed the number: the order of waiting claims. */
  claimedAt: number | null;
  verificationExpiresAt: number | null;
}

export type NewPhoneEntry = Omit<PhoneEntry, 'id'>;

export interface GatewayRecord {
  id: string;
  name: string;
  /** Owning project; null for a global gateway. */
  owner: string | null;
  type: string;
  config: Record<string, unknown>;
  isDefault: boolean;
  prefixes: string[];
  sharedWith: string[];
  rateLimitPerMinute: number | null;
  /** Attempts in all before TOO_MANY_UNSUCCESSFUL_ATTEMPTS (default 3). */
  maxAttempts: number;
  /** Minutes between attempts (default 5). */
  retryMinutes: number;
  optOutKeywords: string[] | null;
  optInKeywords: string[] | null;
  inboundSecret: string | null;
  /** A global gateway's country for national sender numbers (SPEC 5 step 1); absent: none. */
  defaultCountry?: string | null;
  /** Last saved with the admin key (or the operator's tools): its addresses are not guarded
   *  (SPEC 3.6). Absent: false. */
  trusted?: boolean;
}

export type Channel = 'sms' | 'email';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'received' | 'error' | 'cancelled';
/** message: ordinary content; reply: an answer to an inbound SMS (exempt from windows and the
 *  shared-number block); opt_confirmation: exempt from opt-out too. */
export type MessageKind = 'message' | 'reply' | 'opt_confirmation' | 'inbound';

export interface NewMessage {
  projectId: string | null;
  eventId: number | null;
  subEventId: number | null;
  direction: 'out' | 'in';
  channel: Channel;
  contact: { kind: ContactKind; id: string } | null;
  phone: string | null;
  email: string | null;
  gatewayId: string | null;
  subject: string | null;
  text: string;
  segments: number | null;
  status: MessageStatus;
  kind: MessageKind;
  replyTo: number | null;
  dueAt: number | null;
  outcome: string | null;
}

export interface MessageRecord extends NewMessage {
  id: number;
  attempts: number;
  errorCode: string | null;
  errorText: string | null;
  idempotencyKey: string;
  providerMessageId: string | null;
  createdAt: number;
  sentAt: number | null;
}

export interface MessagePatch {
  status?: MessageStatus;
  errorCode?: string | null;
  errorText?: string | null;
  attempts?: number;
  /** Next time the queue looks at it; null once final. */
  dueAt: number | null;
  /** Why it waits: window, daily_limit, rate_limit, retry. */
  waitReason?: string | null;
  gatewayId?: string | null;
  sentAt?: number | null;
  providerMessageId?: string | null;
}

export interface NewAttempt {
  messageId: number;
  gatewayId: string | null;
  startedAt: number;
  finishedAt: number;
  outcome: string;
  statusCode: number | null;
  detail: string | null;
  requestTrace: string | null;
  responseTrace: string | null;
}

export type EventStatus = 'in_progress' | 'completed' | 'error';

export interface NewEvent {
  projectId: string | null;
  source: 'api' | 'verification' | 'reply' | 'broadcast' | 'alert' | 'keyword';
  sourceId: string | null;
  channel: Channel;
  content: unknown;
}

export type RecipientKind = ContactKind | 'phone';

export interface SubEventRecord {
  id: number;
  eventId: number;
  projectId: string | null;
  recipientKind: RecipientKind;
  recipientId: string;
  status: EventStatus;
  errorCode: string | null;
  errorText: string | null;
}

export interface OptOutRecord {
  number: string;
  optedOut: boolean;
  canOptIn: boolean;
}

/**
 * A provider id a gateway handed us (SPEC 3.6: each processed once). An inbound message's id,
 * or a delivery report's id with its state; a report whose message is not known yet waits,
 * unapplied, for the send's answer to be recorded.
 */
export interface ReceiptRecord {
  gatewayId: string;
  kind: 'inbound' | 'status';
  /** inbound: the provider's message id; status: the id and the reported state. */
  key: string;
  providerMessageId: string;
  /** inbound: the stored message (null while it is being stored); status: the message moved. */
  messageId: number | null;
  result: 'delivered' | 'error' | null;
  detail: string | null;
  /** status: the gateway that takes the message over instead of failing it. */
  reroute: string | null;
  receivedAt: number;
  appliedAt: number | null;
}

/** One part of a message sent in several, by the provider's id of that part. */
export interface MessagePart {
  gatewayId: string;
  providerMessageId: string;
  messageId: number;
  /** 1-based. */
  part: number;
  status: 'sent' | 'delivered' | 'error';
}
