// Replies to an inbound SMS (SPEC 5): back to the sender through the gateway it arrived on,
// exempt from restricted times and the shared-number block, queued like any other SMS.
import { enqueue } from './outbox.ts';
import type { ContactKind, MessageKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import type { EffectiveSettings } from '../projects/settings.ts';

export interface ReplyTarget {
  /** The sender's project (the owner's); null for an unknown number. */
  projectId: string | null;
  contact: { kind: ContactKind; id: string } | null;
  number: string;
  gatewayId: string;
  inboundId: number | null;
  settings: EffectiveSettings | null;
}

/** Queues one reply as its own event; returns the message id. */
export async function queueReply(
  tx: Repos,
  to: ReplyTarget,
  text: string,
  now: number,
  kind: MessageKind = 'reply',
): Promise<number> {
  const eventId = await tx.events.create(
    {
      projectId: to.projectId,
      source: 'reply',
      sourceId: to.inboundId === null ? null : String(to.inboundId),
      channel: 'sms',
      content: { text },
    },
    now,
  );
  const recipient = to.contact
    ? { recipientKind: to.contact.kind, recipientId: to.contact.id }
    : { recipientKind: 'phone' as const, recipientId: to.number };
  const subEventId = await tx.events.addSubEvent(
    {
      eventId,
      projectId: to.projectId,
      ...recipient,
      status: 'in_progress',
      errorCode: null,
      errorText: null,
    },
    now,
  );
  const id = await enqueue(
    tx,
    {
      projectId: to.projectId,
      eventId,
      subEventId,
      channel: 'sms',
      contact: to.contact,
      to: to.number,
      gatewayId: to.gatewayId,
      subject: null,
      text,
      kind,
      replyTo: to.inboundId,
      normalize: to.settings?.normalizeText ?? true,
    },
    now,
  );
  // The event and its one sub-event were created in progress and stay so until the reply is
  // sent: no status to refresh.
  return id;
}
