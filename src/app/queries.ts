// Read-only queries behind the API's lists and details (the message log, events, opt-outs).
// db/read-model.ts implements them; every query is scoped to one project unless it says so.
import type {
  CaseRecord,
  ContactKind,
  EventStatus,
  MessageRecord,
  NewAttempt,
  ProjectRecord,
  SubEventRecord,
  WorkerRecord,
} from './ports.ts';

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

export interface ReadModel {
  listProjects(page: PageRequest): Promise<Page<ProjectRecord>>;
  listCases(projectId: string, filter: CaseFilter): Promise<Page<CaseRecord>>;
  listWorkers(projectId: string, page: PageRequest): Promise<Page<WorkerRecord>>;
  /** A worker of the project by username (usernames are unique per project). */
  workerByUsername(projectId: string, username: string): Promise<WorkerRecord | null>;
  listMessages(projectId: string, filter: MessageFilter): Promise<Page<MessageRow>>;
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
