// Keeping the phone registry in step with contacts (SPEC 2.2): claims, releases and
// promotion of the oldest waiting claim, all inside the caller's transaction.
import { checkNumber } from '../../domain/phone.ts';
import { caseEntryState, isVerifiedFlag, ownsNumber, type Ownership } from '../../domain/registry.ts';
import type { CaseRecord, ContactRef, PhoneEntry, WorkerRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import type { EffectiveSettings } from '../projects/settings.ts';

export const contactKey = (ref: ContactRef): string => `contact:${ref.projectId}:${ref.kind}:${ref.id}`;
export const numberKey = (number: string): string => `phone:${number}`;

const isContact = (entry: PhoneEntry, ref: ContactRef): boolean =>
  entry.projectId === ref.projectId && entry.contactKind === ref.kind && entry.contactId === ref.id;

/** Makes the oldest waiting claim the owner when a number has none. */
export async function promote(tx: Repos, number: string, now: number): Promise<void> {
  const entries = await tx.phones.forNumber(number);
  if (entries.some((entry) => ownsNumber(entry.state))) return;
  const next = await tx.phones.oldestWaiting(number);
  if (next) await tx.phones.update(next.id, { state: 'two_way' }, now);
}

/** Removes an entry; when it owned its number, the oldest waiting claim takes it over. */
export async function removeEntry(tx: Repos, entry: PhoneEntry, now: number): Promise<void> {
  await tx.phones.remove(entry.id);
  if (ownsNumber(entry.state)) await promote(tx, entry.number, now);
}

/** A case's number for messaging, per SPEC 2.1 with the project's default country. */
export function caseNumber(record: CaseRecord, settings: EffectiveSettings) {
  return checkNumber(record.properties.contact_phone_number, settings.defaultCountry);
}

/** Brings a case's one entry in line with the case: its number, open state and verified flag. */
export async function syncCaseEntries(
  tx: Repos,
  record: CaseRecord,
  settings: EffectiveSettings,
  now: number,
): Promise<void> {
  const ref: ContactRef = { projectId: record.projectId, kind: 'case', id: record.id };
  const existing = await tx.phones.forContact(ref);
  const check = record.closed || record.deleted ? null : caseNumber(record, settings);
  const wanted = check?.kind === 'valid' ? check.number : null;
  await tx.lock([...existing.map((e) => e.number), ...(wanted ? [wanted] : [])].map(numberKey));

  for (const entry of existing) if (entry.number !== wanted) await removeEntry(tx, entry, now);
  if (wanted === null) return;

  const own = existing.find((entry) => entry.number === wanted) ?? null;
  const others = (await tx.phones.forNumber(wanted)).filter((entry) => !isContact(entry, ref));
  const state = caseEntryState(
    own?.state ?? null,
    isVerifiedFlag(record.properties.contact_phone_number_is_verified),
    others.some((e) => ownsNumber(e.state)),
  );
  const claimedAt = state === 'one_way' ? null : (own?.claimedAt ?? now);
  if (!own) {
    await tx.phones.insert(
      {
        number: wanted,
        projectId: ref.projectId,
        contactKind: 'case',
        contactId: ref.id,
        state,
        claimedAt,
        verificationExpiresAt: null,
      },
      now,
    );
  } else if (own.state !== state || own.claimedAt !== claimedAt) {
    await tx.phones.update(own.id, { state, claimedAt }, now);
    if (ownsNumber(own.state) && !ownsNumber(state)) await promote(tx, wanted, now);
  }
}

/** The valid numbers of a mobile worker's list, in order and without repeats. */
export function workerNumbers(record: WorkerRecord, settings: EffectiveSettings): string[] {
  const numbers: string[] = [];
  for (const raw of record.phoneNumbers) {
    const check = checkNumber(raw, settings.defaultCountry);
    if (check.kind === 'valid' && !numbers.includes(check.number)) numbers.push(check.number);
  }
  return numbers;
}

/** A worker has one entry per valid number of its list; an inactive worker has none. */
export async function syncWorkerEntries(
  tx: Repos,
  record: WorkerRecord,
  settings: EffectiveSettings,
  now: number,
): Promise<void> {
  const ref: ContactRef = { projectId: record.projectId, kind: 'mobile_worker', id: record.id };
  const existing = await tx.phones.forContact(ref);
  const wanted = record.active ? workerNumbers(record, settings) : [];
  await tx.lock([...existing.map((e) => e.number), ...wanted].map(numberKey));
  for (const entry of existing) if (!wanted.includes(entry.number)) await removeEntry(tx, entry, now);
  for (const number of wanted) {
    if (existing.some((entry) => entry.number === number)) continue;
    await tx.phones.insert(
      {
        number,
        projectId: ref.projectId,
        contactKind: 'mobile_worker',
        contactId: ref.id,
        state: 'one_way',
        claimedAt: null,
        verificationExpiresAt: null,
      },
      now,
    );
  }
}

/** Who owns a number, seen from one contact; another project's owner is never named. */
export async function ownershipOf(repos: Repos, ref: ContactRef, number: string): Promise<Ownership> {
  return ownershipAmong(await repos.phones.forNumber(number), ref);
}

/** The same from the number's entries already read. */
export function ownershipAmong(entries: readonly PhoneEntry[], ref: ContactRef): Ownership {
  const owner = entries.find((entry) => ownsNumber(entry.state));
  if (owner && isContact(owner, ref)) return { by: 'self', state: owner.state };
  if (owner) {
    const what = owner.contactKind === 'case' ? 'case' : 'mobile worker';
    const label =
      owner.projectId === ref.projectId ? `${what} '${owner.contactId}'` : 'a contact in another project';
    return { by: 'another', label };
  }
  const own = entries.find((entry) => isContact(entry, ref));
  return own ? { by: 'self', state: own.state } : { by: 'nobody' };
}

/** The owner entry of a number, if any (inbound routing, SPEC 5 step 1). */
export async function ownerOf(repos: Repos, number: string): Promise<PhoneEntry | null> {
  return (await repos.phones.forNumber(number)).find((entry) => ownsNumber(entry.state)) ?? null;
}

/** Pending verifications that ran out release their numbers (SPEC 2.3). Returns how many lapsed. */
export async function expireVerifications(tx: Repos, now: number, limit: number): Promise<number> {
  const lapsed = await tx.phones.expiredVerifications(now, limit);
  await tx.lock(lapsed.map((entry) => numberKey(entry.number)));
  for (const entry of lapsed) {
    await tx.phones.update(entry.id, { state: 'one_way', claimedAt: null, verificationExpiresAt: null }, now);
    await promote(tx, entry.number, now);
  }
  return lapsed.length;
}
