// Storage for the inbound side (SPEC 5): keywords, surveys and survey sessions, and the
// inbound messages waiting for the pipeline.
import type { KeywordBody } from '../../domain/definitions.ts';
import type { SessionState, SurveyDefinition } from '../../domain/survey.ts';
import type { ContactKind, MessageRecord } from './records.ts';

export interface KeywordRecord {
  projectId: string;
  /** As written; matched case-insensitively. */
  keyword: string;
  definition: KeywordBody;
}

/** open, then completed (nothing left to ask), expired or closed (SPEC 5.1 "Sessions"). */
export type SessionStatus = 'open' | 'completed' | 'expired' | 'closed';

export interface SessionRecord {
  id: number;
  status: SessionStatus;
  startedAt: number;
  /** When it completed, expired or was closed; null while open. */
  endedAt: number | null;
  projectId: string;
  surveyId: string;
  contact: { kind: ContactKind; id: string };
  number: string;
  /** The gateway its questions go through (the one the starting message arrived on, if any). */
  gatewayId: string | null;
  state: SessionState & { remindersSent: number; lastPromptAt: number };
  expiresAt: number;
  nextReminderAt: number | null;
}

export interface SessionQuery {
  projectId: string;
  surveyId?: string;
  contact?: { kind: ContactKind; id: string };
  /** Sessions with a greater id (the cursor); absent: from the first. */
  after?: number;
  limit: number;
}

export interface InboundRepos {
  keywords: {
    get(projectId: string, keyword: string): Promise<KeywordRecord | null>;
    /** Every keyword of a project (the inbound pipeline's cache holds them), in keyword order. */
    all(projectId: string): Promise<KeywordRecord[]>;
    put(record: KeywordRecord, now: number): Promise<void>;
  };
  surveys: {
    get(projectId: string, id: string): Promise<SurveyDefinition | null>;
    put(projectId: string, definition: SurveyDefinition, now: number): Promise<void>;
  };
  sessions: {
    openFor(projectId: string, kind: ContactKind, id: string): Promise<SessionRecord | null>;
    /** The contact's most recently started session of a survey, in any status. */
    latest(
      projectId: string,
      contact: { kind: ContactKind; id: string },
      surveyId: string,
    ): Promise<SessionRecord | null>;
    /** Sessions in start order after the `after` id: of one survey, or one contact, or both. */
    list(query: SessionQuery): Promise<SessionRecord[]>;
    /** `startedAt` is the insert's `now`; `endedAt` null unless the status is final. */
    insert(session: Omit<SessionRecord, 'id' | 'startedAt' | 'endedAt'>, now: number): Promise<number>;
    update(
      id: number,
      patch: Partial<Pick<SessionRecord, 'state' | 'expiresAt' | 'nextReminderAt'>>,
      now: number,
    ): Promise<void>;
    /** Ends an open session with its final status at `now`; an ended one is left as it is. */
    end(id: number, status: Exclude<SessionStatus, 'open'>, now: number): Promise<void>;
    /** Open sessions whose expiry or reminder is at or before now. */
    due(now: number, limit: number): Promise<SessionRecord[]>;
    nextDueAt(): Promise<number | null>;
  };
  inbound: {
    /** A sender's inbound messages not yet through the pipeline, in arrival order. */
    pending(number: string): Promise<MessageRecord[]>;
    /** Senders with inbound messages waiting at or before now (after a crash, say). */
    pendingSenders(now: number, limit: number): Promise<string[]>;
    /** Stores how the pipeline handled a message, and to whom it belonged. */
    handled(
      id: number,
      result: {
        outcome: string;
        projectId: string | null;
        contact: { kind: ContactKind; id: string } | null;
        /** Why the pipeline could not handle it (outcome `error`). */
        errorText?: string;
      },
      now: number,
    ): Promise<void>;
  };
}
