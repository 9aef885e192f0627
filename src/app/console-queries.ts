// Read-only queries behind the operator console's pages (db/console-read.ts implements them).
// Every query is scoped to one project; the registry's conflicts look across projects but the
// caller shows only its own project's contacts.
import type { ContactKind, PhoneEntry } from './ports.ts';

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
