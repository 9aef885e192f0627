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

export interface SessionRecord {
  id: number;
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

export interface InboundRepos {
  keywords: {
    get(projectId: string, keyword: string): Promise<KeywordRecord | null>;
    put(record: KeywordRecord, now: number): Promise<void>;
  };
  surveys: {
    get(projectId: string, id: string): Promise<SurveyDefinition | null>;
    put(projectId: string, definition: SurveyDefinition, now: number): Promise<void>;
  };
  sessions: {
    openFor(projectId: string, kind: ContactKind, id: string): Promise<SessionRecord | null>;
    insert(session: Omit<SessionRecord, 'id'>, now: number): Promise<number>;
    update(
      id: number,
      patch: Partial<Pick<SessionRecord, 'state' | 'expiresAt' | 'nextReminderAt'>>,
      now: number,
    ): Promise<void>;
    close(id: number, now: number): Promise<void>;
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
      },
      now: number,
    ): Promise<void>;
  };
}
