// The phone registry's rules (SPEC 2.2–2.4): who owns a number, how claims wait and are
// promoted, a mobile worker's verification, and a contact's phone status with its reason.
import type { NumberCheck } from './phone.ts';

/** one_way; waiting: a case's verified claim while another contact owns the number;
 *  pending: a mobile worker's verification in progress; two_way. */
export type EntryState = 'one_way' | 'waiting' | 'pending' | 'two_way';

export type PhoneStatus =
  | 'INACTIVE'
  | 'NO_PHONE_NUMBER'
  | 'INVALID_PHONE_NUMBER'
  | 'TWO_WAY'
  | 'PENDING_VERIFICATION'
  | 'PHONE_NUMBER_IN_USE'
  | 'ONE_WAY';

export type SharedNumbers = 'block' | 'one_way';

/** A pending verification lapses, releasing the number, after 7 days. */
export const VERIFICATION_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/** The owner of a number is its one entry that is two-way or pending verification. */
export function ownsNumber(state: EntryState): boolean {
  return state === 'two_way' || state === 'pending';
}

/** A case claims its number when contact_phone_number_is_verified is "1" after trimming. */
export function isVerifiedFlag(value: string | null | undefined): boolean {
  return value?.trim() === '1';
}

/**
 * The state of a case's entry after an update. A claim on a number someone else owns
 * waits; an owner keeps its number; a case that stops claiming keeps a one-way entry.
 */
export function caseEntryState(
  current: EntryState | null,
  claims: boolean,
  ownedByAnother: boolean,
): EntryState {
  if (!claims) return 'one_way';
  if (current === 'two_way') return 'two_way';
  return ownedByAnother ? 'waiting' : 'two_way';
}

export interface Claim {
  claimedAt: number | null;
  projectId: string;
  contactId: string;
}

/** Order of waiting claims: the earliest claim first, ties by project id, then contact id. */
export function compareClaims(a: Claim, b: Claim): number {
  const at = (a.claimedAt ?? Number.MAX_SAFE_INTEGER) - (b.claimedAt ?? Number.MAX_SAFE_INTEGER);
  if (at !== 0) return at;
  if (a.projectId !== b.projectId) return a.projectId < b.projectId ? -1 : 1;
  if (a.contactId !== b.contactId) return a.contactId < b.contactId ? -1 : 1;
  return 0;
}

/** The claim promoted when a number's owner releases it, or null when nobody waits. */
export function nextOwner<T extends Claim>(waiting: readonly T[]): T | null {
  return [...waiting].sort(compareClaims)[0] ?? null;
}

export type VerificationResult =
  'WORKFLOW_STARTED' | 'ALREADY_IN_USE' | 'ALREADY_VERIFIED' | 'RESENT_PENDING';

/** SPEC 2.3: what starting a verification does, from this worker's entry and whether another contact owns the number. */
export function verificationResult(ownState: EntryState | null, ownedByAnother: boolean): VerificationResult {
  if (ownedByAnother) return 'ALREADY_IN_USE';
  if (ownState === 'two_way') return 'ALREADY_VERIFIED';
  if (ownState === 'pending') return 'RESENT_PENDING';
  return 'WORKFLOW_STARTED';
}

/** A reply verifies when its trimmed text equals the project's code, ignoring case. */
export function isVerificationReply(text: string, code: string): boolean {
  return text.trim().toLowerCase() === code.trim().toLowerCase();
}

/** Who owns a contact's number, as far as its status needs to know. */
export type Ownership =
  | { by: 'nobody' }
  | { by: 'self'; state: EntryState }
  /** label: the owner in words, already limited to what this project may see. */
  | { by: 'another'; label: string };

export interface StatusFacts {
  active: boolean;
  /** What the contact's default number is. */
  number: NumberCheck;
  ownership: Ownership;
  sharedNumbers: SharedNumbers;
}

/** SPEC 2.4: a contact's phone status, first that applies, with the reason in words. */
export function phoneStatus(facts: StatusFacts): { status: PhoneStatus; reason: string } {
  if (!facts.active)
    return { status: 'INACTIVE', reason: 'The contact is closed, deleted or inactive: it gets no messages.' };
  const number = facts.number;
  if (number.kind === 'none')
    return { status: 'NO_PHONE_NUMBER', reason: 'The contact has no phone number.' };
  if (number.kind === 'invalid') {
    return {
      status: 'INVALID_PHONE_NUMBER',
      reason: `The phone number "${number.cleaned}" is invalid: ${number.reason}.`,
    };
  }
  const shown = `+${number.number}`;
  const owner = facts.ownership;
  if (owner.by === 'self' && owner.state === 'two_way') {
    return {
      status: 'TWO_WAY',
      reason: `${shown} is verified for this contact: it gets SMS and its replies reach it.`,
    };
  }
  if (owner.by === 'self' && owner.state === 'pending') {
    return {
      status: 'PENDING_VERIFICATION',
      reason: `${shown} is waiting for the verification reply; it is reserved for this contact.`,
    };
  }
  if (owner.by === 'another') {
    const consequence =
      facts.sharedNumbers === 'one_way'
        ? 'the project allows shared numbers, so this contact still gets one-way SMS; replies go to the owner.'
        : 'the project blocks shared numbers, so SMS to this contact are not sent (PHONE_NUMBER_IN_USE). Close the other contact or remove its number to fix it.';
    return { status: 'PHONE_NUMBER_IN_USE', reason: `${shown} is owned by ${owner.label}; ${consequence}` };
  }
  const waiting = owner.by === 'self' && owner.state === 'waiting';
  return {
    status: 'ONE_WAY',
    reason: waiting
      ? `${shown} gets one-way SMS; its verified claim waits for the current owner to release the number.`
      : `${shown} gets one-way SMS; replies from it reach no contact until it is verified.`,
  };
}
