// Storage of alerts, broadcasts and their schedule instances (SPEC 4).
import type { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import type { CaseRecord } from './records.ts';

export interface AlertRecord {
  projectId: string;
  id: string;
  definition: AlertBody;
  active: boolean;
  /** Bumped when the definition changes, so instances know to recalculate. */
  version: number;
  processing: { total: number; done: number; pending: boolean; cursor: string | null };
}

export interface BroadcastRecord {
  projectId: string;
  id: string;
  definition: BroadcastBody;
  active: boolean;
}

export type SourceKind = 'alert' | 'broadcast';

/** What an instance's next event was computed from; a re-save that changes none of it changes nothing. */
export interface InstanceState {
  /** YYYY-MM-DD in the instance's zone. */
  start: string;
  zone: string;
  /** Seeds the random times of the instance's events. */
  seed: string;
  /** When the schedule (re)started: the start of "start when created" schedules. */
  createdAt: number;
  version: number;
  startValue: string | null;
  stopValue: string | null;
  restartValue: string | null;
  /** Broadcasts: the recipient keys of this zone's instance. */
  recipients?: string[];
  /** Alerts: the clocks of recipients in zones other than `zone` (the case's): each zone's
   * start date and firings (SPEC 4.2; clocks.ts). */
  clocks?: Record<string, { start: string; fired: number }>;
  /** Alerts: the zones of the recipients when the instance was planned (a change recalculates). */
  zones?: string[];
  /** Alerts: a group owner's members, expanded when the instance was created (SPEC 4.2). */
  ownerMembers?: { owner: string; members: string[] };
  /** The due instant of the instance's last firing: a retried firing, or a pause, resume or
   *  recalculation that finds the same instant due again, never sends it twice (SPEC 4). Kept
   *  for as long as the instance lives. */
  firedThrough?: number;
}

export interface InstanceRecord {
  id: number;
  projectId: string;
  sourceKind: SourceKind;
  sourceId: string;
  /** The case id of an alert instance; the zone of a broadcast instance. */
  subjectKey: string;
  state: InstanceState;
  occurrences: number;
  nextDueAt: number | null;
}

export type NewInstance = Omit<InstanceRecord, 'id'>;

export interface ScheduleRepos {
  alerts: {
    get(projectId: string, id: string): Promise<AlertRecord | null>;
    put(record: AlertRecord, now: number): Promise<void>;
    /** Active alerts on one case type. */
    forCaseType(projectId: string, caseType: string): Promise<AlertRecord[]>;
    /** Alerts whose existing cases still need processing. */
    pendingProcessing(limit: number): Promise<AlertRecord[]>;
    setProgress(
      projectId: string,
      id: string,
      progress: AlertRecord['processing'],
      now: number,
    ): Promise<void>;
  };
  broadcasts: {
    get(projectId: string, id: string): Promise<BroadcastRecord | null>;
    put(record: BroadcastRecord, now: number): Promise<void>;
  };
  schedules: {
    get(
      kind: SourceKind,
      projectId: string,
      sourceId: string,
      subjectKey: string,
    ): Promise<InstanceRecord | null>;
    /** The instances of one source whose subjects sort after `after` (all when null) and up to `last`. */
    inRange(
      kind: SourceKind,
      projectId: string,
      sourceId: string,
      after: string | null,
      last: string,
    ): Promise<InstanceRecord[]>;
    forSource(kind: SourceKind, projectId: string, sourceId: string): Promise<InstanceRecord[]>;
    insert(instance: NewInstance, now: number): Promise<number>;
    insertMany(instances: readonly NewInstance[], now: number): Promise<void>;
    update(
      id: number,
      patch: Partial<Pick<InstanceRecord, 'state' | 'occurrences' | 'nextDueAt'>>,
      now: number,
    ): Promise<void>;
    remove(id: number): Promise<void>;
    removeMany(ids: readonly number[]): Promise<void>;
    removeForSource(kind: SourceKind, projectId: string, sourceId: string): Promise<void>;
    /** Takes an instance that cannot be fired out of the due queue, keeping the reason (a later
     *  update with a next due instant clears it). */
    markError(id: number, reason: string, now: number): Promise<void>;
    /** Due instances (next event at or before now), locked for this transaction; others skip them. */
    lockDue(now: number, limit: number): Promise<InstanceRecord[]>;
    nextDueAt(): Promise<number | null>;
  };
  /** Open cases of one type after a case id, in id order (alert processing). */
  openCasesOfType(
    projectId: string,
    caseType: string,
    afterId: string | null,
    limit: number,
  ): Promise<CaseRecord[]>;
  countOpenCasesOfType(projectId: string, caseType: string): Promise<number>;
}
