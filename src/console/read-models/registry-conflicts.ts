// The phone registry's conflicts as the console shows them: numbers with more than one entry,
// who owns each, and what would fix it. Of other projects' entries only an owner is shown, as
// "in use elsewhere" (SPEC 2.2: a project never sees another's contacts).
import { nextOwner, ownsNumber } from '../../domain/registry.ts';
import type { ConsoleReads } from '../../app/ports/read-model.ts';
import { contactKeyOf, loadContacts } from '../../app/contacts/contacts.ts';
import type { ContactKind, EntryState, PhoneEntry, ProjectRecord } from '../../app/ports/records.ts';
import type { Repos } from '../../app/ports/store.ts';

/** Numbers listed at most. */
export const CONFLICTS_SHOWN = 200;

export interface ConflictEntry {
  /** Null for another project's entry (only its ownership is shown). */
  state: EntryState | null;
  owner: boolean;
  /** Null for another project's contact. */
  contact: { kind: ContactKind; id: string; name: string | null; active: boolean } | null;
}

export interface Conflict {
  /** Digits, no `+`. */
  number: string;
  entries: ConflictEntry[];
  /** What would fix it, in words. */
  fix: string;
}

const label = (entry: PhoneEntry, projectId: string): string =>
  entry.projectId !== projectId
    ? 'a contact in another project'
    : `${entry.contactKind === 'case' ? 'case' : 'mobile worker'} '${entry.contactId}'`;

/** What fixes a number's conflict, from its entries (this project's named, others not). */
export function fixFor(entries: readonly PhoneEntry[], projectId: string): string {
  const owner = entries.find((entry) => ownsNumber(entry.state));
  const waiting = nextOwner(entries.filter((entry) => entry.state === 'waiting'));
  if (owner && owner.projectId !== projectId) {
    return 'The number is owned by a contact in another project. Change or remove the number of this project’s contacts, or close the case, unless the other project releases it.';
  }
  if (owner) {
    const then = waiting ? ` Then ${label(waiting, projectId)}, the oldest waiting claim, gets it.` : '';
    const how =
      owner.contactKind === 'case'
        ? 'Close the case or remove its number'
        : 'Remove the number from the mobile worker';
    return `${label(owner, projectId)} owns the number. If the others should have it: ${how}.${then} Otherwise remove the number from the others.`;
  }
  return 'Nobody owns the number: every contact gets it one-way and replies reach none. Verify the right contact’s number, or remove it from the others.';
}

export async function registryConflicts(
  deps: { store: Repos; reads: ConsoleReads },
  project: ProjectRecord,
): Promise<Conflict[]> {
  const entries = await deps.reads.registryConflicts(project.id, CONFLICTS_SHOWN);
  const byNumber = new Map<string, PhoneEntry[]>();
  for (const entry of entries) byNumber.set(entry.number, [...(byNumber.get(entry.number) ?? []), entry]);
  // What a project may know of a number: its own entries, and that another project owns it
  // (its contacts' status says so too). Other projects' one-way or waiting entries stay unseen,
  // so a number shared only with those is no conflict here.
  const visible = [...byNumber].flatMap(([number, group]) => {
    const shown = group.filter((entry) => entry.projectId === project.id || ownsNumber(entry.state));
    return shown.length > 1 ? [{ number, shown }] : [];
  });
  const own = visible.flatMap(({ shown }) => shown.filter((entry) => entry.projectId === project.id));
  const contacts = await loadContacts(
    deps.store,
    project,
    own.map((entry) => ({ kind: entry.contactKind, id: entry.contactId })),
  );
  return visible.map(({ number, shown }) => ({
    number,
    fix: fixFor(shown, project.id),
    entries: shown.map((entry) => {
      if (entry.projectId !== project.id) return { state: null, owner: true, contact: null };
      const view = contacts.get(contactKeyOf(entry.contactKind, entry.contactId));
      return {
        state: entry.state,
        owner: ownsNumber(entry.state),
        contact: {
          kind: entry.contactKind,
          id: entry.contactId,
          name: view?.name ?? null,
          active: view?.active ?? false,
        },
      };
    }),
  }));
}
