// What a bound SMSC delivers (deliver_sm): a delivery receipt goes to the delivery reports, a
// mobile-originated SMS to the inbound pipeline, one sent in UDH parts once every part has
// come (or after REASSEMBLY_MS with what came, rather than lose it).
import type { PDU } from 'smpp';
import type { Receiver } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { concatenation, decodeSmpp } from './encoding.ts';
import { isDeliveryReceipt, parseReceipt } from './receipts.ts';

/** Parts of a long inbound SMS wait this long for the rest, in ms. */
const REASSEMBLY_MS = 5 * 60_000;

interface Partial {
  from: string;
  total: number;
  parts: Map<number, string>;
  timer: NodeJS.Timeout;
}

export class Deliveries {
  private readonly partials = new Map<string, Partial>();

  constructor(
    private readonly gateway: () => GatewayRecord,
    private readonly inbox: Receiver,
  ) {}

  /** Resolves once what the PDU carries is stored (then it may be answered). */
  async handle(pdu: PDU): Promise<void> {
    const { text, udh } = messageOf(pdu);
    if (isDeliveryReceipt(Number(pdu.esm_class ?? 0))) {
      const receipt = parseReceipt(text, {
        receiptedId: pdu.receipted_message_id,
        messageState: pdu.message_state,
      });
      if (!receipt) return;
      const words = `SMPP receipt stat:${receipt.stat}${receipt.err ? ` err:${receipt.err}` : ''}`;
      await this.inbox.status(this.gateway(), {
        providerMessageId: receipt.id,
        result: receipt.result,
        detail: words,
      });
      return;
    }
    const from = String(pdu.source_addr ?? '');
    const header = udh ? concatenation(udh) : null;
    if (!header || header.total <= 1) return this.inbox.inbound(this.gateway(), { from, text });
    const key = `${from}|${header.reference}|${header.total}`;
    let partial = this.partials.get(key);
    if (!partial) {
      partial = {
        from,
        total: header.total,
        parts: new Map(),
        timer: setTimeout(() => void this.flush(key), REASSEMBLY_MS),
      };
      this.partials.set(key, partial);
    }
    partial.parts.set(header.sequence, text);
    if (partial.parts.size >= partial.total) await this.flush(key);
  }

  close(): void {
    for (const partial of this.partials.values()) clearTimeout(partial.timer);
    this.partials.clear();
  }

  /** A long inbound SMS, whole (or what came of it in time), into the pipeline. */
  private async flush(key: string): Promise<void> {
    const partial = this.partials.get(key);
    if (!partial) return;
    this.partials.delete(key);
    clearTimeout(partial.timer);
    const text = [...partial.parts.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, t]) => t)
      .join('');
    await this.inbox.inbound(this.gateway(), { from: partial.from, text });
  }
}

/** A deliver_sm's text and UDH (short_message, or the message_payload TLV for a long one). */
function messageOf(pdu: PDU): { text: string; udh: Buffer | null } {
  const value = (pdu.short_message as { message?: unknown; udh?: Buffer[] } | undefined) ?? {};
  const payload = pdu.message_payload as { message?: unknown } | undefined;
  const message = value.message !== undefined && value.message !== '' ? value.message : payload?.message;
  const udh =
    value.udh && value.udh.length > 0
      ? Buffer.concat([Buffer.from([value.udh.reduce((n, u) => n + u.length, 0)]), ...value.udh])
      : null;
  const text = Buffer.isBuffer(message)
    ? decodeSmpp(message, Number(pdu.data_coding ?? 0))
    : String(message ?? '');
  return { text, udh };
}
