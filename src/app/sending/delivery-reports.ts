// Delivery reports from gateways (SPEC 3.6): a sent message becomes delivered, or an error
// when the network could not deliver it after the gateway had accepted it. Each report is
// processed once (a replay changes nothing); a report that arrives before the send's answer
// has been recorded waits and is applied when it is (applyWaitingReports, from the queue).
import { describeError } from '../../domain/errors.ts';
import { storableText } from '../../domain/storable-text.ts';
import type { Deps } from '../ports/deps.ts';
import type { MessageRecord, ReceiptRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';

export interface DeliveryReport {
  gatewayId: string;
  providerMessageId: string;
  result: 'delivered' | 'error';
  /** The gateway's words for a failure (e.g. "Twilio 30003: Unreachable destination handset"). */
  detail: string | null;
  /** A gateway that takes the message over instead of failing it (WhatsApp's SMS fallback). */
  reroute?: string | null;
}

/** What became of a report: applied to its message, kept until its send is recorded, or a replay. */
export type ReportFate = 'applied' | 'waiting' | 'replay';

/** The lock that orders a report and the recording of its send (see applyWaitingReports). */
export const reportKey = (gatewayId: string, providerMessageId: string): string =>
  // Made storable: a lock key travels to the database too, and PostgreSQL refuses a NUL in it.
  storableText(`report|${gatewayId}|${providerMessageId}`);

const receiptKey = (report: DeliveryReport): string =>
  [report.providerMessageId, report.result, report.detail ?? '', report.reroute ?? ''].join('|');

/** Applies a report once: a report already received (same id, state and words) changes nothing. */
export async function recordDeliveryReport(deps: Deps, report: DeliveryReport): Promise<ReportFate> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    // Under the same lock as the send's record, so one of the two sees the other.
    await tx.lock([reportKey(report.gatewayId, report.providerMessageId)]);
    const receipt: ReceiptRecord = {
      gatewayId: report.gatewayId,
      kind: 'status',
      key: receiptKey(report),
      providerMessageId: report.providerMessageId,
      messageId: null,
      result: report.result,
      detail: report.detail,
      reroute: report.reroute ?? null,
      receivedAt: now,
      appliedAt: null,
    };
    if (!(await tx.receipts.insert(receipt))) return 'replay';
    const message = await tx.messages.byProviderId(report.gatewayId, report.providerMessageId);
    if (!message || message.status === 'queued') return 'waiting';
    await applyReport(tx, message, report, now);
    await tx.receipts.update(receipt.gatewayId, 'status', receipt.key, {
      messageId: message.id,
      appliedAt: now,
    });
    return 'applied';
  });
}

/**
 * Reports that arrived before these sends' answers were recorded (the caller has just stored
 * them, in this transaction), applied now. `accepted`: each gateway's provider ids.
 */
export async function applyWaitingReports(
  tx: Repos,
  accepted: ReadonlyMap<string, readonly string[]>,
  now: number,
): Promise<number> {
  if (accepted.size === 0) return 0;
  const keys = [...accepted].flatMap(([gatewayId, ids]) => ids.map((id) => reportKey(gatewayId, id)));
  await tx.lock(keys);
  let applied = 0;
  for (const [gatewayId, ids] of accepted) {
    for (const receipt of await tx.receipts.waiting(gatewayId, ids)) {
      const message = await tx.messages.byProviderId(gatewayId, receipt.providerMessageId);
      if (!message || receipt.result === null) continue;
      await applyReport(
        tx,
        message,
        {
          gatewayId,
          providerMessageId: receipt.providerMessageId,
          result: receipt.result,
          detail: receipt.detail,
          reroute: receipt.reroute,
        },
        now,
      );
      await tx.receipts.update(gatewayId, 'status', receipt.key, { messageId: message.id, appliedAt: now });
      applied++;
    }
  }
  return applied;
}

/** A report's effect on its message; a message sent in parts is delivered once every part is. */
async function applyReport(tx: Repos, message: MessageRecord, report: DeliveryReport, now: number) {
  const parts = await tx.messages.partsOf(message.id);
  let result: 'delivered' | 'error' | null = report.result;
  if (parts.length > 0) {
    await tx.messages.setPartStatus(report.gatewayId, report.providerMessageId, report.result);
    const states = parts.map((p) =>
      p.providerMessageId === report.providerMessageId ? report.result : p.status,
    );
    result = states.includes('error') ? 'error' : states.every((s) => s === 'delivered') ? 'delivered' : null;
  }
  if (result === null) return;
  // A late "sent" after "delivered", or a repeat, changes nothing.
  if (message.status === 'delivered' || (message.status === 'error' && result === 'error')) return;
  if (result === 'error' && report.reroute) {
    // The next attempt goes through the fallback gateway, at once (SPEC 3.6).
    await tx.messages.update(
      message.id,
      {
        status: 'queued',
        gatewayId: report.reroute,
        providerMessageId: null,
        dueAt: now,
        waitReason: 'fallback',
        errorText: `not delivered: ${report.detail ?? 'the gateway reported a failure'}`,
      },
      now,
    );
    return;
  }
  const failed = result === 'error';
  const errorText = failed ? `not delivered: ${report.detail ?? 'the gateway reported a failure'}` : null;
  await tx.messages.setDelivery(
    message.id,
    { status: result, errorCode: failed ? 'GATEWAY_ERROR' : null, errorText },
    now,
  );
  if (failed && message.subEventId !== null) {
    await tx.events.finishSubEvents(
      [
        {
          id: message.subEventId,
          status: 'error',
          error: { code: 'GATEWAY_ERROR', text: describeError('GATEWAY_ERROR', errorText) },
        },
      ],
      now,
    );
    if (message.eventId !== null) await tx.events.refreshStatus(message.eventId, now);
  }
}
