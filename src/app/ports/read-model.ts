// Read-only views the API and the console list and show: the message log, events, opt-outs
// (ReadModel, db/read-model.ts), and the console's dashboard, search and lists (ConsoleReads,
// db/console-read.ts; ConsoleLists, db/console-lists-read.ts). Every query is scoped to one
// project unless it says so; the registry's conflicts look across projects but the caller
// shows only its own project's contacts.
import type { ConfigReads } from './config-reads.ts';
import type {
  CaseRecord,
  ContactKind,
  EventStatus,
  MessageRecord,
  NewAttempt,
  PhoneEntry,
  ProjectRecord,
  SubEventRecord,
  WorkerRecord,
} from './records.ts';

/** One page of a list; `nextCursor` is null on the last page. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Lists go by id: ascending for cases, workers and projects, newest first for the logs. */
export interface PageRequest {
  /** The `nextCursor` of the previous page. */
  cursor?: string;
  /** Items per page. */
  limit: number;
}

export interface MessageFilter extends PageRequest {
  status?: string;
  direction?: 'in' | 'out';
  contact?: { kind: ContactKind; id: string };
  /** Normalised digits (no `+`). */
  number?: string;
  /** Created at or after (epoch ms). */
  from?: number;
  /** Created before (epoch ms). */
  to?: number;
  errorCode?: string;
}

/** Whose messages a list shows: one project's, those of no project (null), or all. */
export type MessageScope = string | null | typeof ALL_PROJECTS;
export const ALL_PROJECTS = Symbol('all projects');

export interface MessageRow extends MessageRecord {
  waitReason: string | null;
  deliveredAt: number | null;
  updatedAt: number;
}

export interface AttemptRow extends NewAttempt {
  id: number;
}

export interface EventRow {
  id: number;
  projectId: string | null;
  source: string;
  sourceId: string | null;
  channel: string;
  content: unknown;
  status: EventStatus;
  createdAt: number;
  updatedAt: number;
}

export interface SubEventRow extends SubEventRecord {
  createdAt: number;
  updatedAt: number;
}

export interface EventFilter extends PageRequest {
  status?: string;
  source?: string;
  from?: number;
  to?: number;
}

export interface OptOutRow {
  number: string;
  canOptIn: boolean;
  optedOutAt: number | null;
}

export interface CaseFilter extends PageRequest {
  type?: string;
  /** true: open and not deleted; false: closed or deleted. */
  open?: boolean;
}

export interface ReadModel extends ConfigReads {
  listProjects(page: PageRequest): Promise<Page<ProjectRecord>>;
  listCases(projectId: string, filter: CaseFilter): Promise<Page<CaseRecord>>;
  listWorkers(projectId: string, page: PageRequest): Promise<Page<WorkerRecord>>;
  /** A worker of the project by username (usernames are unique per project). */
  workerByUsername(projectId: string, username: string): Promise<WorkerRecord | null>;
  /** A project's messages; `null`: those of no project (inbound through a global gateway from
   *  unknown numbers, and the replies to them); `ALL_PROJECTS`: every message (the admin). */
  listMessages(projectId: MessageScope, filter: MessageFilter): Promise<Page<MessageRow>>;
  message(projectId: string, id: number): Promise<MessageRow | null>;
  /** A message's attempts, oldest first. */
  attempts(messageId: number): Promise<AttemptRow[]>;
  listEvents(projectId: string, filter: EventFilter): Promise<Page<EventRow>>;
  event(projectId: string, id: number): Promise<EventRow | null>;
  subEvents(eventId: number): Promise<SubEventRow[]>;
  /** A contact's failed sends that never became a message (no number, inactive…), newest first. */
  failedWithoutMessage(
    projectId: string,
    contact: { kind: ContactKind; id: string },
    limit: number,
  ): Promise<SubEventRow[]>;
  /** The opted-out numbers among the project's registry entries and message log. */
  projectOptOuts(projectId: string): Promise<OptOutRow[]>;
}
/** A contact found by the console's search. */
export interface ContactHit {
  kind: ContactKind;
  id: string;
  name: string | null;
  active: boolean;
  /** The registry's numbers of the contact (digits, no `+`). */
  numbers: string[];
}

export interface ContactSearch {
  /** Matches names and ids, case-insensitively, anywhere; blank lists contacts by id. */
  text: string;
  /** Digits to find in the contact's registry numbers, or null. */
  digits: string | null;
  /** Most hits of each kind. */
  limit: number;
}

/** Messages created in one of the given local days, by status. */
export interface DayCount {
  /** Index of the day in the boundaries given. */
  day: number;
  status: string;
  count: number;
}

export interface ErrorGroup {
  code: string;
  count: number;
  lastAt: number;
  /** The newest error's own text (with the gateway's detail). */
  lastText: string | null;
}

export interface ConsoleReads {
  searchContacts(projectId: string, search: ContactSearch): Promise<ContactHit[]>;
  /**
   * Messages of a project by day and status. `boundaries` are ascending instants: day i runs
   * from boundaries[i] to boundaries[i + 1] (local midnights, so days may differ in length).
   */
  dailyVolumes(projectId: string, boundaries: readonly number[]): Promise<DayCount[]>;
  /** Outbound messages not yet final, by why they wait: `due` when due now, else the stored reason. */
  waitingByReason(projectId: string, now: number): Promise<{ reason: string; count: number }[]>;
  /** Errors since an instant, by code, newest first: failed recipients (sub-events) and failed messages outside events. */
  recentErrors(projectId: string, since: number, limit: number): Promise<ErrorGroup[]>;
  /** Every registry entry of each number that has more than one entry, where one of them is this project's. */
  registryConflicts(projectId: string, limit: number): Promise<PhoneEntry[]>;
}

/** The message history's filters; absent ones do not filter. */
export interface HistoryFilter {
  status?: string;
  direction?: 'in' | 'out';
  channel?: 'sms' | 'email';
  errorCode?: string;
  contact?: { kind: ContactKind; id: string };
  /** Normalised digits (no `+`). */
  number?: string;
  /** Created at or after (epoch ms). */
  from?: number;
  /** Created before (epoch ms). */
  to?: number;
}

export interface ConsoleLists {
  /**
   * Messages newest first (by creation time, then id, so the project's creation-time index
   * serves every filter); `before` is the `nextCursor` of the previous page, or null.
   */
  messages(
    projectId: string,
    filter: HistoryFilter,
    page: { before: string | null; limit: number },
  ): Promise<Page<MessageRow>>;
  /** The replies to these inbound messages (their `reply_to`), oldest first. */
  repliesTo(inboundIds: readonly number[]): Promise<MessageRow[]>;
}
