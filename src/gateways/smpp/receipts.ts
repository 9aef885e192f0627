// What a deliver_sm says (SMPP 3.4 §5.2.12, Appendix B): a delivery receipt (esm_class bits
// 2–5 = 0x04) names the message by the receipted_message_id TLV or the `id:` of its text
// (`id:IIIII sub:SSS dlvrd:DDD submit date:… done date:… stat:DDDDDDD err:E text:…`) and its
// final state by the message_state TLV or `stat:`; anything else is a mobile-originated SMS.

/** message_state TLV values (SMPP 3.4 §5.2.28) → the receipt's stat word. */
const MESSAGE_STATES: Record<number, string> = {
  1: 'ENROUTE',
  2: 'DELIVRD',
  3: 'EXPIRED',
  4: 'DELETED',
  5: 'UNDELIV',
  6: 'ACCEPTD',
  7: 'UNKNOWN',
  8: 'REJECTD',
};

/** stat words that end a message: delivered, or failed for good. */
const FINAL: Record<string, 'delivered' | 'error'> = {
  DELIVRD: 'delivered',
  EXPIRED: 'error',
  DELETED: 'error',
  UNDELIV: 'error',
  UNKNOWN: 'error',
  REJECTD: 'error',
};

export const isDeliveryReceipt = (esmClass: number): boolean => (esmClass & 0x3c) === 0x04;

export interface Receipt {
  id: string;
  stat: string;
  err: string | null;
  result: 'delivered' | 'error' | null;
}

/** A receipt from its TLVs and text; null when it names no message. */
export function parseReceipt(
  text: string,
  tlv: { receiptedId?: unknown; messageState?: unknown },
): Receipt | null {
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}:(\\S*)`, 'i').exec(text)?.[1];
  const id = typeof tlv.receiptedId === 'string' && tlv.receiptedId !== '' ? tlv.receiptedId : field('id');
  if (!id) return null;
  const state = typeof tlv.messageState === 'number' ? MESSAGE_STATES[tlv.messageState] : undefined;
  const stat = (state ?? field('stat') ?? '').toUpperCase();
  const err = field('err') ?? null;
  return { id, stat, err, result: FINAL[stat] ?? null };
}
