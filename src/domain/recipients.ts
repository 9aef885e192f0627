// Whom a message goes to (SPEC 3.1, 4): a case, a mobile worker, a bare number, or for a
// broadcast a group; and the keys that name them in schedule instances and firings.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Id, MAX_ID_LENGTH, Strict } from '../lib/schema.ts';

/** A phone number as typed, in any form SPEC 2.1 accepts (normalised by the domain). */
export const PhoneNumber = Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH });
export type PhoneNumber = Static<typeof PhoneNumber>;

/** Whom a message goes to: exactly one of a case, a mobile worker or a bare number. */
export const Recipient = Type.Union([
  Strict({ case: Id }),
  Strict({ mobile_worker: Id }),
  Strict({ phone: PhoneNumber }),
]);
export type Recipient = Static<typeof Recipient>;

/** A broadcast may also name a group: every member of a group of cases or of mobile workers. */
export const BroadcastRecipient = Type.Union([...Recipient.anyOf, Strict({ group: Id })]);
export type BroadcastRecipient = Static<typeof BroadcastRecipient>;

export function recipientKey(to: Recipient): string {
  if ('case' in to) return `case:${to.case}`;
  if ('mobile_worker' in to) return `mobile_worker:${to.mobile_worker}`;
  return `phone:${to.phone}`;
}

export function recipientOfKey(key: string): Recipient {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  const id = key.slice(at + 1);
  if (kind === 'case') return { case: id };
  if (kind === 'mobile_worker') return { mobile_worker: id };
  return { phone: id };
}
