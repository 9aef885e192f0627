// Read-only lists behind the console's messages, schedules and configuration pages
// (db/console-lists-read.ts implements them). Every query is scoped to one project.
import type { ContactKind } from './ports.ts';
import type { MessageRow, Page } from './queries.ts';

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

/** An alert or broadcast as listed: enough for one table row. */
export interface ScheduleSummary {
  id: string;
  /** Alerts only; null for a broadcast. */
  caseType: string | null;
  active: boolean;
  /** The parsed definition (an AlertBody or BroadcastBody as stored). */
  definition: Record<string, unknown>;
  /** Alerts: existing cases looked at after the last create or edit. */
  processing: { done: number; total: number; pending: boolean } | null;
  instances: number;
  /** The earliest next event over the instances, or null. */
  nextDueAt: number | null;
  updatedAt: number;
}

export interface NamedDefinition {
  id: string;
  definition: Record<string, unknown>;
  updatedAt: number;
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
  alerts(projectId: string): Promise<ScheduleSummary[]>;
  broadcasts(projectId: string): Promise<ScheduleSummary[]>;
  /** Keywords by word as written (`id`), in order. */
  keywords(projectId: string): Promise<NamedDefinition[]>;
  surveys(projectId: string): Promise<NamedDefinition[]>;
}
