// A batch of case updates (the API's batch, CommCare forwarding, imports) runs the same
// per-case code as a single upsert, against this overlay of the transaction's repositories:
// the batch's cases and registry entries are locked and read up front in a few statements,
// reads and writes then happen in memory, and flush() writes everything in multi-row
// statements. Anything not read up front is fetched from the transaction when first asked for.
// The locks are held from the start, so nobody else changes what is kept in memory.
import { checkNumber } from '../../domain/phone.ts';
import { nextOwner, ownsNumber } from '../../domain/registry.ts';
import type { AlertRecord } from '../ports/schedule-repos.ts';
import {
  refKey,
  type CaseRecord,
  type ContactRef,
  type PhoneEntry,
  type ProjectRecord,
} from '../ports/records.ts';
import { type Repos } from '../ports/store.ts';
import { contactKey, numberKey } from '../registry/registry.ts';
import type { EffectiveSettings } from '../projects/settings.ts';

export interface CaseBatchRepos {
  repos: Repos;
  /** Writes what the batch changed. */
  flush(now: number): Promise<void>;
}

type EntryPatch = Partial<Pick<PhoneEntry, 'state' | 'claimedAt' | 'verificationExpiresAt'>>;

/** Locks and reads what upserting these cases touches, and returns repositories that keep it in memory. */
export async function caseBatchRepos(
  tx: Repos,
  project: ProjectRecord,
  items: readonly { id: string; properties?: Record<string, string | null> }[],
  settings: EffectiveSettings,
): Promise<CaseBatchRepos> {
  const ids = [...new Set(items.map((item) => item.id))];
  const refs = ids.map((id): ContactRef => ({ projectId: project.id, kind: 'case', id }));
  await tx.lock(refs.map(contactKey));
  const cases = new Map((await tx.cases.getMany(project.id, ids)).map((record) => [record.id, record]));
  const loadedCases = new Set(ids);
  const ownEntries = await tx.phones.forContacts(refs);
  // Every number the batch may claim or release: the entries' own, the stored cases' and the items'.
  const numbers = new Set(ownEntries.map((entry) => entry.number));
  const addNumber = (raw: string | null | undefined) => {
    const check = checkNumber(raw ?? undefined, settings.defaultCountry);
    if (check.kind === 'valid') numbers.add(check.number);
  };
  for (const record of cases.values()) addNumber(record.properties.contact_phone_number);
  for (const item of items) addNumber(item.properties?.contact_phone_number);
  const locked = new Set([...refs.map(contactKey), ...[...numbers].map(numberKey)]);
  await tx.lock([...numbers].map(numberKey));

  const registry = new Registry();
  registry.add(await tx.phones.forNumbers([...numbers]));
  registry.add(ownEntries);
  for (const number of numbers) registry.loadedNumbers.add(number);
  for (const ref of refs) registry.loadedContacts.add(refKey(ref));

  const pendingCases = new Map<string, CaseRecord>();
  const alertsByType = new Map<string, AlertRecord[]>();
  const repos: Repos = {
    ...tx,
    async lock(keys) {
      const fresh = keys.filter((key) => !locked.has(key));
      if (fresh.length > 0) await tx.lock(fresh);
      for (const key of fresh) locked.add(key);
    },
    cases: {
      ...tx.cases,
      async get(projectId, id) {
        if (projectId !== project.id) return tx.cases.get(projectId, id);
        if (!cases.has(id) && !loadedCases.has(id)) {
          const record = await tx.cases.get(projectId, id);
          loadedCases.add(id);
          if (record) cases.set(id, record);
        }
        // Read up front and not there: a new case.
        return cases.get(id) ?? null;
      },
      async put(record) {
        if (record.projectId !== project.id)
          throw new Error('a case batch writes cases of its own project only');
        cases.set(record.id, record);
        pendingCases.set(record.id, record);
      },
    },
    phones: {
      ...tx.phones,
      async forNumber(number) {
        if (!registry.loadedNumbers.has(number)) {
          registry.add(await tx.phones.forNumber(number));
          registry.loadedNumbers.add(number);
        }
        return registry.ofNumber(number);
      },
      async forContact(ref) {
        const key = refKey(ref);
        if (!registry.loadedContacts.has(key)) {
          registry.add(await tx.phones.forContact(ref));
          registry.loadedContacts.add(key);
        }
        return registry.ofContact(ref);
      },
      async oldestWaiting(number) {
        return nextOwner((await this.forNumber(number)).filter((entry) => entry.state === 'waiting'));
      },
      async insert(entry) {
        return registry.insert(entry);
      },
      async update(id, patch) {
        registry.update(id, patch);
      },
      async remove(id) {
        registry.remove(id);
      },
    },
    alerts: {
      ...tx.alerts,
      async forCaseType(projectId, caseType) {
        if (projectId !== project.id) return tx.alerts.forCaseType(projectId, caseType);
        let alerts = alertsByType.get(caseType);
        if (!alerts) {
          alerts = await tx.alerts.forCaseType(projectId, caseType);
          alertsByType.set(caseType, alerts);
        }
        return alerts;
      },
    },
  };

  return {
    repos,
    async flush(now) {
      await registry.flush(tx, now);
      if (pendingCases.size > 0) await tx.cases.putMany([...pendingCases.values()], now);
    },
  };
}

/** The registry entries the batch has seen, with its changes not yet written. */
class Registry {
  private readonly entries = new Map<number, PhoneEntry>();
  private readonly byNumber = new Map<string, Set<number>>();
  private readonly byContact = new Map<string, Set<number>>();
  private readonly removed = new Set<number>();
  private readonly patches = new Map<number, EntryPatch>();
  /** Entries inserted by the batch carry negative ids until written. */
  private nextTemporaryId = -1;
  readonly loadedNumbers = new Set<string>();
  readonly loadedContacts = new Set<string>();

  add(entries: readonly PhoneEntry[]): void {
    for (const entry of entries)
      if (!this.entries.has(entry.id) && !this.removed.has(entry.id)) this.keep(entry);
  }

  ofNumber(number: string): PhoneEntry[] {
    return this.pick(this.byNumber.get(number));
  }

  ofContact(ref: ContactRef): PhoneEntry[] {
    return this.pick(this.byContact.get(refKey(ref)));
  }

  private pick(ids: Set<number> | undefined): PhoneEntry[] {
    return [...(ids ?? [])].flatMap((id) => this.entries.get(id) ?? []);
  }

  private keep(entry: PhoneEntry): void {
    this.entries.set(entry.id, entry);
    index(this.byNumber, entry.number).add(entry.id);
    index(
      this.byContact,
      refKey({ projectId: entry.projectId, kind: entry.contactKind, id: entry.contactId }),
    ).add(entry.id);
  }

  insert(entry: Omit<PhoneEntry, 'id'>): PhoneEntry {
    const inserted = { ...entry, id: this.nextTemporaryId-- };
    this.keep(inserted);
    return inserted;
  }

  update(id: number, patch: EntryPatch): void {
    const entry = this.entries.get(id);
    if (!entry) throw new Error(`registry entry ${id} is not part of this batch`);
    const defined = Object.fromEntries(
      Object.entries(patch).filter(([, value]) => value !== undefined),
    ) as EntryPatch;
    this.entries.set(id, { ...entry, ...defined });
    if (id > 0) this.patches.set(id, { ...this.patches.get(id), ...defined });
  }

  remove(id: number): void {
    const entry = this.entries.get(id);
    if (entry) {
      this.byNumber.get(entry.number)?.delete(id);
      this.byContact
        .get(refKey({ projectId: entry.projectId, kind: entry.contactKind, id: entry.contactId }))
        ?.delete(id);
    }
    this.entries.delete(id);
    this.patches.delete(id);
    if (id > 0) this.removed.add(id);
  }

  /** Deletions, then updates that give up ownership, then those that take it, then inserts: a
   *  number never has two owners between two statements. */
  async flush(tx: Repos, now: number): Promise<void> {
    if (this.removed.size > 0) await tx.phones.removeMany([...this.removed]);
    const updates = [...this.patches.entries()].map(([id, patch]) => ({
      id,
      patch,
      owns: ownsNumber(this.entries.get(id)?.state ?? 'one_way'),
    }));
    for (const { id, patch } of updates.filter((update) => !update.owns))
      await tx.phones.update(id, patch, now);
    for (const { id, patch } of updates.filter((update) => update.owns))
      await tx.phones.update(id, patch, now);
    const inserts = [...this.entries.values()].filter((entry) => entry.id < 0);
    if (inserts.length > 0)
      await tx.phones.insertMany(
        inserts.map(({ id: _id, ...entry }) => entry),
        now,
      );
  }
}

function index(map: Map<string, Set<number>>, key: string): Set<number> {
  let ids = map.get(key);
  if (!ids) {
    ids = new Set();
    map.set(key, ids);
  }
  return ids;
}
