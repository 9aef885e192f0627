// Read-only queries behind the operator console's pages (db/console-read.ts implements them).
// Every query is scoped to one project; the registry's conflicts look across projects but the
// caller shows only its own project's contacts.
import type { ContactKind } from './ports.ts';

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

export interface ConsoleReads {
  searchContacts(projectId: string, search: ContactSearch): Promise<ContactHit[]>;
}
