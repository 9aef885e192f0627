// Request schemas of the phone registry: an administrator's setting for one number, and a
// mobile worker's verification.
import Type from 'typebox';
import type { Static } from 'typebox';
import { Strict } from '../../lib/schema.ts';
import { PhoneNumber } from '../../domain/recipients.ts';

/** An administrator's setting for one number. */
export const PhoneNumberSetting = Strict({
  number: PhoneNumber,
  /** false: the number never changes opt-in/opt-out state. */
  can_opt_in: Type.Boolean(),
});
export type PhoneNumberSetting = Static<typeof PhoneNumberSetting>;

/** Start verification of one of a mobile worker's numbers. */
export const VerifyBody = Strict({
  number: PhoneNumber,
});
export type VerifyBody = Static<typeof VerifyBody>;
