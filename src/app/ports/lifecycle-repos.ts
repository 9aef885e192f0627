// Storage for the end of an object's life (SPEC 7 "Every object's whole life"): removing alerts,
// broadcasts, keywords, surveys and groups with what hangs on them, pausing schedule instances,
// finding who uses an object before it goes, and changing or cancelling a queued message.
// Implemented for both dialects in db/repos/removals.ts, usage.ts and queued.ts.
import type { KeywordRecord } from './inbound-repos.ts';
import type { ContactRef } from './records.ts';
import type { AlertRecord, BroadcastRecord, SourceKind } from './schedule-repos.ts';

export interface LifecycleRepos {
  removals: {
    /** Deletes the alert and its schedule instances; false when there was none.
     *  Its events and messages stay: the history is kept. */
    alert(projectId: string, id: string): Promise<boolean>;
    /** The same for a broadcast. */
    broadcast(projectId: string, id: string): Promise<boolean>;
    /** Deletes a keyword (any case); false when there was none. */
    keyword(projectId: string, keyword: string): Promise<boolean>;
    /** Deletes a survey; its sessions stay (closed first by closeSurveySessions). */
    survey(projectId: string, id: string): Promise<boolean>;
    /** Deletes a group and its member list. */
    group(projectId: string, id: string): Promise<boolean>;
    /** Stops every instance of a source from firing (next event: none), keeping its
     *  occurrences, so reactivating can go on from where it was. */
    pauseInstances(kind: SourceKind, projectId: string, sourceId: string, now: number): Promise<void>;
    /** Removes an alert's instances whose case is no longer an open case of the type. */
    dropStaleAlertInstances(projectId: string, alertId: string, caseType: string): Promise<number>;
    /** Closes the open sessions of a survey; returns how many. */
    closeSurveySessions(projectId: string, surveyId: string, now: number): Promise<number>;
  };
  usage: {
    /** Every alert, broadcast and keyword of a project (few per project), to see what they name. */
    definitions(
      projectId: string,
    ): Promise<{ alerts: AlertRecord[]; broadcasts: BroadcastRecord[]; keywords: KeywordRecord[] }>;
    /** Open cases whose contact_backend_id names the gateway (case-insensitively), in these
     *  projects (null: every project); at most limit. */
    casesNamingGateway(
      name: string,
      projects: readonly string[] | null,
      limit: number,
    ): Promise<ContactRef[]>;
    /** Open cases of a project owned by this id (a group of mobile workers); at most limit. */
    casesOwnedBy(projectId: string, ownerId: string, limit: number): Promise<string[]>;
    /** Gateways whose config names this one as `sms_fallback`. */
    gatewaysFallingBackTo(id: string): Promise<string[]>;
  };
  queued: {
    /**
     * Cancels an outbound message still queued and not being sent right now (no live lease):
     * status `cancelled`, nothing more due. False when it is not so (sent, final, in flight).
     */
    cancel(id: number, now: number): Promise<boolean>;
    /** Changes when (`dueAt`) or what (`text`, `segments`) a message in that state sends. */
    edit(
      id: number,
      patch: { dueAt?: number; text?: string; segments?: number | null },
      now: number,
    ): Promise<boolean>;
  };
}
