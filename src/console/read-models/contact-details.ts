// One contact as the console shows it: its numbers with their registry state and opt-out, the
// "why" of contactStatus (the same words as `caseline why` and the API), and its latest messages.
import { contactStatus, loadContact, type ContactStatus } from '../../app/contacts/contacts.ts';
import type { CaseRecord, ContactKind, EntryState, ProjectRecord } from '../../app/ports/records.ts';
import { listSessions, type SessionView } from '../../app/surveys/results.ts';
import type { Store } from '../../app/ports/store.ts';
import type { MessageRow, ReadModel, SubEventRow } from '../../app/ports/read-model.ts';

/** Messages shown on a contact's page, newest first. */
export const CONTACT_HISTORY = 50;

export interface ContactNumber {
  /** Digits, no `+`. */
  number: string;
  state: EntryState;
  optedOut: boolean;
  /** When opted out: whether the number may opt in again by keyword. */
  canOptIn: boolean;
}

export interface ContactDetails {
  kind: ContactKind;
  id: string;
  name: string | null;
  active: boolean;
  /** A case: closed or deleted (the "close case" action is offered while neither). */
  closed: boolean;
  deleted: boolean;
  /** The numbers as given (a case's contact_phone_number, a worker's list). */
  givenNumbers: string[];
  /** Every property of a case, by name; a worker's own fields. */
  properties: [string, string][];
  /** The stored language and time zone (the status shows the effective ones). */
  language: string;
  timeZone: string;
  numbers: ContactNumber[];
  status: ContactStatus;
  messages: MessageRow[];
  /** Sends to the contact that failed before any message existed (no number, inactive…). */
  failures: SubEventRow[];
  /** A case's links (SPEC 2): its indices, each resolved to its case when it exists, and the
   * cases whose parent it is. */
  relations: {
    links: { identifier: string; caseId: string; caseType: string; name: string | null; exists: boolean }[];
    children: { id: string; name: string | null; open: boolean }[];
  };
  /** The contact's survey sessions, oldest first (the first page). */
  sessions: SessionView[];
}

/** The contact's details, or null when the project has no such contact. */
export async function contactDetails(
  deps: { store: Store; readModel: ReadModel },
  project: ProjectRecord,
  kind: ContactKind,
  id: string,
): Promise<ContactDetails | null> {
  const contact = await loadContact(deps.store, project, kind, id);
  if (!contact) return null;
  const [status, entries, page, failures] = await Promise.all([
    contactStatus(deps.store, project, kind, id),
    deps.store.phones.forContact(contact.ref),
    deps.readModel.listMessages(project.id, { contact: { kind, id }, limit: CONTACT_HISTORY }),
    deps.readModel.failedWithoutMessage(project.id, { kind, id }, CONTACT_HISTORY),
  ]);
  const optOuts = await deps.store.optOuts.optedOut(entries.map((entry) => entry.number));
  const record = contact.record;
  const sessions = await listSessions(deps.store, {
    projectId: project.id,
    contact: { kind, id },
    limit: 50,
  });
  return {
    kind,
    id,
    name: contact.name,
    active: contact.active,
    closed: record.kind === 'case' && record.case.closed,
    deleted: record.kind === 'case' && record.case.deleted,
    givenNumbers:
      record.kind === 'case'
        ? [record.case.properties.contact_phone_number ?? ''].filter((n) => n !== '')
        : record.worker.phoneNumbers,
    properties:
      record.kind === 'case'
        ? Object.entries(record.case.properties).sort(([a], [b]) => a.localeCompare(b))
        : (
            [
              ['username', record.worker.username ?? ''],
              ['name', record.worker.name ?? ''],
              ['email', record.worker.email ?? ''],
              ['active', record.worker.active ? 'yes' : 'no'],
            ] as [string, string][]
          ).filter(([, value]) => value !== ''),
    language: contact.language ?? '',
    timeZone: contact.timeZone ?? '',
    numbers: entries.map((entry) => {
      const optOut = optOuts.get(entry.number);
      return {
        number: entry.number,
        state: entry.state,
        optedOut: optOut?.optedOut ?? false,
        canOptIn: optOut?.canOptIn ?? true,
      };
    }),
    status,
    messages: page.items,
    failures,
    relations:
      record.kind === 'case' ? await relationsOf(deps.store, record.case) : { links: [], children: [] },
    sessions: sessions.sessions,
  };
}

async function relationsOf(store: Store, record: CaseRecord): Promise<ContactDetails['relations']> {
  const indices = Object.entries(record.indices ?? {});
  const linked = new Map(
    (
      await store.cases.getMany(
        record.projectId,
        indices.map(([, index]) => index.case_id),
      )
    ).map((c) => [c.id, c]),
  );
  const children = await store.cases.children(record.projectId, record.id);
  return {
    links: indices.map(([identifier, index]) => {
      const target = linked.get(index.case_id);
      return {
        identifier,
        caseId: index.case_id,
        caseType: index.case_type,
        name: target?.name ?? null,
        exists: target !== undefined && !target.deleted,
      };
    }),
    children: children
      .filter((child) => !child.deleted)
      .map((child) => ({ id: child.id, name: child.name, open: !child.closed })),
  };
}
