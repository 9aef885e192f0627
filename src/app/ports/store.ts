// The store port: the repositories db/ implements for both dialects, and the transaction that
// groups them. Use cases see only this.
import type { InboundRepos } from './inbound-repos.ts';
import type { LifecycleRepos } from './lifecycle-repos.ts';
import type {
  CaseRecord,
  ContactKind,
  ContactRef,
  EventStatus,
  GatewayRecord,
  MessagePart,
  MessagePatch,
  MessageRecord,
  NewAttempt,
  NewEvent,
  NewMessage,
  NewPhoneEntry,
  OptOutRecord,
  PhoneEntry,
  ProjectRecord,
  ReceiptRecord,
  RecipientKind,
  SubEventRecord,
  WorkerRecord,
} from './records.ts';
import type { ScheduleRepos } from './schedule-repos.ts';

/** What an isolated item came to. */
export type Isolated<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface Repos extends ScheduleRepos, InboundRepos, LifecycleRepos {
  /** Serialises transactions that touch the same keys (a contact, a phone number) until the
   *  transaction ends. Lock a contact's key before any number's. */
  lock(keys: readonly string[]): Promise<void>;
  /** Inside a transaction: runs fn so that, when it throws, its writes alone are undone and the
   *  transaction goes on; the failure is returned. One item of a due-work batch. A conflict that
   *  reruns the whole transaction (PostgreSQL serialisation, deadlock) is thrown instead. */
  isolated<T>(fn: () => Promise<T>): Promise<Isolated<T>>;
  /** A number that grows with every committed write to projects, gateways (with their prefixes
   *  and shares) and keywords, by any process: one tiny statement (app/config-cache.ts). */
  configVersion(): Promise<number>;
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
    /** The cases (open or not) whose `parent` index names this case, by id. */
    children(projectId: string, parentId: string): Promise<CaseRecord[]>;
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
    /** Every gateway of these types (connection-based types keep theirs open). */
    ofTypes(types: readonly string[]): Promise<GatewayRecord[]>;
  };
  receipts: {
    get(gatewayId: string, kind: ReceiptRecord['kind'], key: string): Promise<ReceiptRecord | null>;
    /** Stores a receipt; false (and nothing changed) when one with that key exists. */
    insert(receipt: ReceiptRecord): Promise<boolean>;
    update(
      gatewayId: string,
      kind: ReceiptRecord['kind'],
      key: string,
      patch: Partial<Pick<ReceiptRecord, 'messageId' | 'appliedAt' | 'receivedAt'>>,
    ): Promise<void>;
    remove(gatewayId: string, kind: ReceiptRecord['kind'], key: string): Promise<void>;
    /** Status reports of one gateway not yet applied, for these provider ids, oldest first. */
    waiting(gatewayId: string, providerMessageIds: readonly string[]): Promise<ReceiptRecord[]>;
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
    /** The outbound message a gateway knows by its own id (of the message, or of one of its parts). */
    byProviderId(gatewayId: string, providerMessageId: string): Promise<MessageRecord | null>;
    /** Records the provider ids of a message's parts (a message sent in several). */
    addParts(parts: readonly Omit<MessagePart, 'status'>[]): Promise<void>;
    /** A message's parts, in order; empty for a message sent in one. */
    partsOf(messageId: number): Promise<MessagePart[]>;
    setPartStatus(gatewayId: string, providerMessageId: string, status: MessagePart['status']): Promise<void>;
    /** When the number last wrote through that gateway (WhatsApp's 24-hour session), or null. */
    lastInboundAt(gatewayId: string, phone: string): Promise<number | null>;
    /** A delivery report: delivered, or failed after the gateway accepted it. */
    setDelivery(
      id: number,
      delivery: { status: 'delivered' | 'error'; errorCode: string | null; errorText: string | null },
      now: number,
    ): Promise<void>;
    /** The same for a whole batch, in one statement. */
    updateMany(updates: readonly { id: number; patch: MessagePatch }[], now: number): Promise<void>;
    /** Records attempts at hand-off and counts each on its message (before the send, so an
     *  attempt whose outcome is never stored still counts); returns their ids in the same order. */
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

export interface Store extends Repos {
  /** Runs fn in one transaction (rerun on a retryable conflict); never do network I/O inside. */
  transaction<T>(fn: (tx: Repos) => Promise<T>): Promise<T>;
}

/** The one write the Store port lacks (db/repos/gateway-removal.ts). */
export interface GatewayRemoval {
  /** Deletes the gateway if its owner is `owner` (null: global); false when there was none. */
  remove(id: string, owner: string | null): Promise<boolean>;
}
