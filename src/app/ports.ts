// The interfaces the use cases need. db/ implements the stores, gateways/ the adapters,
// main.ts and the conformance runner choose the concrete ones.
import type { InboundRepos } from './inbound-ports.ts';
import type { ScheduleRepos } from './schedule-ports.ts';
import type { ProjectSettings } from './schemas.ts';

/** Milliseconds since the epoch. The only source of "now" in the engine. */
export interface Clock {
  now(): number;
}

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
}

export type Channel = 'sms' | 'email';
export type MessageStatus = 'queued' | 'sent' | 'delivered' | 'received' | 'error';
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

export interface Repos extends ScheduleRepos, InboundRepos {
  /** Serialises transactions that touch the same keys (a contact, a phone number) until the
   *  transaction ends. Lock a contact's key before any number's. */
  lock(keys: readonly string[]): Promise<void>;
  projects: {
    get(id: string): Promise<ProjectRecord | null>;
    put(project: ProjectRecord, now: number): Promise<void>;
  };
  /** Which of these contacts are active (open and not deleted cases, active workers). */
  activeContacts(refs: readonly ContactRef[]): Promise<Set<string>>;
  cases: {
    get(projectId: string, id: string): Promise<CaseRecord | null>;
    getMany(projectId: string, ids: readonly string[]): Promise<CaseRecord[]>;
    put(record: CaseRecord, now: number): Promise<void>;
    /** put for many cases (distinct ids) in multi-row statements. */
    putMany(records: readonly CaseRecord[], now: number): Promise<void>;
  };
  workers: {
    get(projectId: string, id: string): Promise<WorkerRecord | null>;
    getMany(projectId: string, ids: readonly string[]): Promise<WorkerRecord[]>;
    put(record: WorkerRecord, now: number): Promise<void>;
  };
  phones: {
    forNumber(number: string): Promise<PhoneEntry[]>;
    forNumbers(numbers: readonly string[]): Promise<PhoneEntry[]>;
    forContact(contact: ContactRef): Promise<PhoneEntry[]>;
    forContacts(contacts: readonly ContactRef[]): Promise<PhoneEntry[]>;
    insert(entry: NewPhoneEntry, now: number): Promise<PhoneEntry>;
    insertMany(entries: readonly NewPhoneEntry[], now: number): Promise<void>;
    update(
      id: number,
      patch: Partial<Pick<PhoneEntry, 'state' | 'claimedAt' | 'verificationExpiresAt'>>,
      now: number,
    ): Promise<void>;
    remove(id: number): Promise<void>;
    removeMany(ids: readonly number[]): Promise<void>;
    /** The oldest waiting claim on a number: earliest claim, then project id, then contact id. */
    oldestWaiting(number: string): Promise<PhoneEntry | null>;
    /** Pending verifications whose time ran out at or before now. */
    expiredVerifications(now: number, limit: number): Promise<PhoneEntry[]>;
    nextVerificationExpiry(): Promise<number | null>;
  };
  gateways: {
    get(id: string): Promise<GatewayRecord | null>;
    /** Every gateway a project may send through: its own, shared with it, and global. */
    visibleTo(projectId: string): Promise<GatewayRecord[]>;
    /** Gateways of one owner (a project id, or null for the global ones). */
    ownedBy(owner: string | null): Promise<GatewayRecord[]>;
    put(record: GatewayRecord, now: number): Promise<void>;
  };
  events: {
    create(event: NewEvent, now: number): Promise<number>;
    addSubEvent(sub: Omit<SubEventRecord, 'id'>, now: number): Promise<number>;
    /** Many sub-events of one event; ids in the same order. Recipients must be distinct. */
    addSubEvents(subs: readonly Omit<SubEventRecord, 'id'>[], now: number): Promise<number[]>;
    finishSubEvents(
      results: readonly { id: number; status: EventStatus; error: { code: string; text: string } | null }[],
      now: number,
    ): Promise<void>;
    /** Recomputes an event's status from its sub-events: any error → error; all done → completed. */
    refreshStatus(eventId: number, now: number): Promise<void>;
    countSubEventErrors(
      projectId: string,
      recipientKind: RecipientKind,
      recipientId: string,
      code: string,
    ): Promise<number>;
  };
  messages: {
    insert(message: NewMessage, now: number): Promise<MessageRecord>;
    /** Many messages in few statements; returns their ids in the same order. Sub-events must be distinct. */
    insertMany(messages: readonly NewMessage[], now: number): Promise<number[]>;
    get(id: number): Promise<MessageRecord | null>;
    /** Leases up to limit outbound messages due at or before now, oldest due first, then oldest created. */
    claimDue(now: number, limit: number, lease: { owner: string; until: number }): Promise<MessageRecord[]>;
    /** The earliest due instant of any outbound message, leased or not. */
    nextDueAt(): Promise<number | null>;
    /** Stores what the queue decided and releases the lease. */
    update(id: number, patch: MessagePatch, now: number): Promise<void>;
    /** The outbound message a gateway knows by its own id. */
    byProviderId(gatewayId: string, providerMessageId: string): Promise<MessageRecord | null>;
    /** A delivery report: delivered, or failed after the gateway accepted it. */
    setDelivery(
      id: number,
      delivery: { status: 'delivered' | 'error'; errorCode: string | null; errorText: string | null },
      now: number,
    ): Promise<void>;
    /** The same for a whole batch, in one statement. */
    updateMany(updates: readonly { id: number; patch: MessagePatch }[], now: number): Promise<void>;
    /** Records attempts at hand-off; returns their ids in the same order. */
    addAttempts(attempts: readonly NewAttempt[]): Promise<number[]>;
    /** Completes an attempt recorded at hand-off with what the gateway answered. */
    finishAttempts(
      results: readonly ({ id: number } & Omit<NewAttempt, 'messageId' | 'gatewayId' | 'startedAt'>)[],
    ): Promise<void>;
    /** Start instants of a gateway's attempts in (since, until], newest first, at most limit. */
    recentAttemptStarts(gatewayId: string, since: number, until: number, limit: number): Promise<number[]>;
    /** Outbound messages of a project not yet final. */
    countWaiting(projectId: string): Promise<number>;
    /** Messages by direction, status and gateway (metrics). */
    countByStatus(): Promise<
      { direction: string; status: string; gatewayId: string | null; count: number }[]
    >;
    /** Outbound messages not final: due now, and waiting by reason (metrics, dashboard). */
    queueDepth(now: number): Promise<{ reason: string; count: number }[]>;
  };
  groups: {
    get(
      projectId: string,
      id: string,
    ): Promise<{ kind: ContactKind; name: string | null; members: string[] } | null>;
    put(
      group: { projectId: string; id: string; kind: ContactKind; name: string | null; members: string[] },
      now: number,
    ): Promise<void>;
  };
  limits: {
    /** Takes up to `count` of a project's daily SMS slots for a local day; returns how many it got. */
    reserveDaily(projectId: string, day: string, limit: number, count: number): Promise<number>;
    /** Gives slots back (their sends failed). */
    releaseDaily(projectId: string, day: string, count: number): Promise<void>;
    accepted(projectId: string, day: string): Promise<number>;
  };
  optOuts: {
    get(number: string): Promise<OptOutRecord | null>;
    /** The opted-out numbers among these, with whether each may opt in. */
    optedOut(numbers: readonly string[]): Promise<Map<string, OptOutRecord>>;
    put(record: OptOutRecord & { projectId: string | null }, now: number): Promise<void>;
  };
}

export interface OutboundSms {
  messageId: number;
  /** Stable across retries and crashes: gateways that support it de-duplicate on it. */
  idempotencyKey: string;
  to: string;
  text: string;
}

export interface OutboundEmail {
  messageId: number;
  idempotencyKey: string;
  projectId: string | null;
  /** The project's sender address; null: the mailer's default. */
  from: string | null;
  to: string;
  subject: string;
  text: string;
}

/** The closed set of outcomes of one send attempt; the queue alone decides what follows. */
export type SendOutcome =
  | { kind: 'accepted'; providerMessageId: string | null; statusCode?: number; trace?: AttemptTrace }
  | {
      kind: 'temporary' | 'throttled' | 'rejected' | 'invalid_destination';
      detail: string;
      statusCode?: number;
      /** A longer wait asked for by the gateway (429 Retry-After), in ms. */
      retryAfterMs?: number;
      trace?: AttemptTrace;
    };

/** Request and response as stored with an attempt, secrets already replaced. */
export interface AttemptTrace {
  request: string | null;
  response: string | null;
}

export interface GatewayAdapter {
  send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome>;
}

export interface Mailer {
  send(mail: OutboundEmail): Promise<SendOutcome>;
}

/** Gateway adapters by gateway type. */
export type Adapters = (type: string) => GatewayAdapter | null;

export interface Store extends Repos {
  /** Runs fn in one transaction (rerun on a retryable conflict); never do network I/O inside. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
}
