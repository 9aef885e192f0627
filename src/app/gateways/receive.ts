// What gateways hand us — an SMS through a webhook or a connection, a delivery report — each
// processed once per provider id (SPEC 3.6): a replay answers as the first did and changes
// nothing. The sender is passed on as the provider gave it; the inbound pipeline normalises it.
import { handleInbound, type InboundOutcome } from '../inbound/inbound.ts';
import type { ConfigView } from '../config-cache.ts';
import type { Deps } from '../ports/deps.ts';
import type { InboundSms, StatusReport } from '../ports/gateway-types.ts';
import type { GatewayRecord } from '../ports/records.ts';
import { recordDeliveryReport, type ReportFate } from '../sending/delivery-reports.ts';

export interface Received {
  /** The stored inbound message; null only while a first delivery of it is still being stored. */
  messageId: number | null;
  outcome: InboundOutcome | 'in_progress';
  /** True when the provider had delivered this message before. */
  replay: boolean;
}

/** A first delivery that never finished storing (a crash in between) is taken over after this, in ms. */
const STALE_CLAIM_MS = 60_000;

/** Stores an SMS a gateway delivered and runs the pipeline for it, once per provider id.
 *  `config`: the configuration the caller checked for this request, if any. */
export async function receiveInbound(
  deps: Deps,
  gateway: GatewayRecord,
  sms: InboundSms,
  config?: ConfigView,
): Promise<Received> {
  const input = { gateway: gateway.id, from: sms.from, text: sms.text };
  const id = sms.providerMessageId;
  if (id === undefined || id === '') {
    const result = await handleInbound(deps, input, gateway, config);
    return { messageId: result.messageId, outcome: result.outcome, replay: false };
  }
  const now = deps.clock.now();
  // The claim comes first and alone, so two deliveries of one message at once store it once.
  const claimed = await deps.store.receipts.insert({
    gatewayId: gateway.id,
    kind: 'inbound',
    key: id,
    providerMessageId: id,
    messageId: null,
    result: null,
    detail: null,
    reroute: null,
    receivedAt: now,
    appliedAt: null,
  });
  if (!claimed) {
    const first = await deps.store.receipts.get(gateway.id, 'inbound', id);
    if (first?.messageId !== null && first?.messageId !== undefined) {
      const message = await deps.store.messages.get(first.messageId);
      return {
        messageId: first.messageId,
        outcome: (message?.outcome ?? 'unhandled') as InboundOutcome,
        replay: true,
      };
    }
    if (first && now - first.receivedAt < STALE_CLAIM_MS)
      return { messageId: null, outcome: 'in_progress', replay: true };
    await deps.store.receipts.update(gateway.id, 'inbound', id, { receivedAt: now });
  }
  try {
    const result = await handleInbound(deps, { ...input, message_id: id }, gateway, config);
    await deps.store.receipts.update(gateway.id, 'inbound', id, {
      messageId: result.messageId,
      appliedAt: now,
    });
    return { messageId: result.messageId, outcome: result.outcome, replay: false };
  } catch (error) {
    // Nothing was stored (bad input): the provider may send it again, corrected or not.
    await deps.store.receipts.remove(gateway.id, 'inbound', id);
    throw error;
  }
}

/** Applies a delivery report once; an intermediate state (queued, sending) changes nothing. */
export async function receiveStatus(
  deps: Deps,
  gateway: GatewayRecord,
  report: StatusReport,
): Promise<ReportFate | 'ignored'> {
  if (report.result === null) return 'ignored';
  return recordDeliveryReport(deps, {
    gatewayId: gateway.id,
    providerMessageId: report.providerMessageId,
    result: report.result,
    detail: report.detail,
    reroute: report.reroute ?? null,
  });
}

/** The receiver connection-based gateway types (SMPP) hand what arrives on their connection. */
export function createReceiver(deps: Deps) {
  return {
    inbound: async (gateway: GatewayRecord, sms: InboundSms) => {
      await receiveInbound(deps, gateway, sms);
    },
    status: async (gateway: GatewayRecord, report: StatusReport) => {
      await receiveStatus(deps, gateway, report);
    },
  };
}
