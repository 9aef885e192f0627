// The `test` gateway type: records what it accepts instead of sending it (the scenario
// runner, demos); faults can be injected for the next attempts.
import type { Clock } from '../../app/ports/clock.ts';
import type { GatewayAdapter, OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { Strict } from '../../lib/schema.ts';
import { smsGatewayType } from '../define.ts';
import { secretWebhooks } from '../secret-webhooks.ts';

export interface Accepted {
  gateway: string;
  to: string;
  text: string;
  at: number;
  messageId: number;
  idempotencyKey: string;
}

export interface Fault {
  kind: 'temporary' | 'permanent';
  text: string;
}

export class TestGateway implements GatewayAdapter {
  readonly accepted: Accepted[] = [];
  private readonly faults = new Map<string, Fault[]>();

  constructor(private readonly clock: Clock) {}

  /** The next `count` attempts through that gateway fail this way. */
  injectFaults(gatewayId: string, count: number, fault: Fault): void {
    const queue = this.faults.get(gatewayId) ?? [];
    for (let i = 0; i < count; i++) queue.push(fault);
    this.faults.set(gatewayId, queue);
  }

  async send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome> {
    const fault = this.faults.get(gateway.id)?.shift();
    if (fault?.kind === 'temporary') return { kind: 'temporary', detail: fault.text };
    if (fault?.kind === 'permanent') return { kind: 'rejected', detail: fault.text };
    this.accepted.push({
      gateway: gateway.id,
      to: sms.to,
      text: sms.text,
      at: this.clock.now(),
      messageId: sms.messageId,
      idempotencyKey: sms.idempotencyKey,
    });
    return { kind: 'accepted', providerMessageId: `test-${sms.messageId}` };
  }
}

/** The `test` type: no configuration; its adapter is the recording instance the caller keeps. */
export const testType = smsGatewayType({
  name: 'test',
  label: 'Test (records what it accepts; nothing leaves the server)',
  config: Strict({}),
  createAdapter: () => null,
  webhooks: secretWebhooks,
});
