// Delivery reports from gateways (SPEC 3.6): a sent message becomes delivered, or an error
// when the network could not deliver it after the gateway had accepted it.
import { describeError } from '../../domain/errors.ts';
import type { Deps } from '../ports/deps.ts';

export interface DeliveryReport {
  gatewayId: string;
  providerMessageId: string;
  result: 'delivered' | 'error';
  /** The gateway's words for a failure (e.g. "Twilio 30003: Unreachable destination handset"). */
  detail: string | null;
}

/** Applies a report; false when no message of that gateway has that id. */
export async function recordDeliveryReport(deps: Deps, report: DeliveryReport): Promise<boolean> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const message = await tx.messages.byProviderId(report.gatewayId, report.providerMessageId);
    if (!message) return false;
    // A late "sent" after "delivered", or a repeat, changes nothing.
    if (message.status === 'delivered' || (message.status === 'error' && report.result === 'error'))
      return true;
    const failed = report.result === 'error';
    const errorText = failed ? `not delivered: ${report.detail ?? 'the gateway reported a failure'}` : null;
    await tx.messages.setDelivery(
      message.id,
      { status: report.result, errorCode: failed ? 'GATEWAY_ERROR' : null, errorText },
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
    return true;
  });
}
