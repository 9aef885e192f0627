// The request schema of an inbound SMS given by hand (the `inbound` conformance step).
import type { Static } from 'typebox';
import { FreeText, Id, Strict } from '../../lib/schema.ts';
import { PhoneNumber } from '../../domain/recipients.ts';

/** An SMS arriving now through `gateway` (its id). */
export const InboundBody = Strict({
  gateway: Id,
  from: PhoneNumber,
  text: FreeText,
});
export type InboundBody = Static<typeof InboundBody>;
