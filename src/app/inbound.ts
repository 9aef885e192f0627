// The inbound pipeline (SPEC 5). This part finds the owner of the sender's number (step 1)
// and completes a pending verification (step 3); opt keywords, commands, keywords, surveys
// and registration are the next steps to build.
import { checkNumber, cleanNumber } from '../domain/phone.ts';
import { isVerificationReply } from '../domain/registry.ts';
import type { Deps } from './deps.ts';
import { enqueue } from './outbox.ts';
import type { GatewayRecord, PhoneEntry, Repos } from './ports.ts';
import { numberKey, ownerOf } from './registry.ts';
import { effectiveSettings, type EffectiveSettings } from './settings.ts';
import { systemText, type TextKey } from './texts.ts';
import { InputError } from './validation.ts';

export interface InboundInput {
  gateway: string;
  from: string;
  text: string;
  /** The provider's id of the inbound message, when it gives one. */
  message_id?: string;
}

export type InboundOutcome =
  /** A pending number answered with the verification code. */
  | 'verified'
  /** A pending number sent something else: logged, nothing more (SPEC 2.3). */
  | 'awaiting_verification'
  /** The sender owns no number: unknown. */
  | 'unrecognised'
  /** A known sender whose message no later step handles yet. */
  | 'unhandled';

export interface InboundResult {
  messageId: number;
  outcome: InboundOutcome;
  projectId: string | null;
}

export async function handleInbound(deps: Deps, input: InboundInput): Promise<InboundResult> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const gateway = await tx.gateways.get(input.gateway);
    if (!gateway) throw new InputError('gateway', `no gateway '${input.gateway}'`);
    const check = checkNumber(input.from);
    const from = check.kind === 'valid' ? check.number : cleanNumber(input.from);
    // One message per sender at a time, in arrival order.
    await tx.lock([numberKey(from)]);
    const owner = check.kind === 'valid' ? await ownerOf(tx, from) : null;
    const project = owner ? await tx.projects.get(owner.projectId) : null;
    const settings = project ? effectiveSettings(project.settings) : null;

    let outcome: InboundOutcome = owner ? 'unhandled' : 'unrecognised';
    let reply: { key: TextKey; language: string | null } | null = null;
    if (owner?.state === 'pending' && settings) {
      if (isVerificationReply(input.text, settings.verificationCode)) {
        await tx.phones.update(owner.id, { state: 'two_way', verificationExpiresAt: null }, now);
        outcome = 'verified';
        reply = { key: 'verification_done', language: await contactLanguage(tx, owner) };
      } else {
        outcome = 'awaiting_verification';
      }
    }

    const inbound = await tx.messages.insert(
      {
        projectId: owner?.projectId ?? null,
        eventId: null,
        subEventId: null,
        direction: 'in',
        channel: 'sms',
        contact: owner ? { kind: owner.contactKind, id: owner.contactId } : null,
        phone: from,
        email: null,
        gatewayId: gateway.id,
        subject: null,
        text: input.text,
        segments: null,
        status: 'received',
        kind: 'inbound',
        replyTo: null,
        dueAt: null,
        outcome,
      },
      now,
    );
    if (reply && owner) {
      await queueReply(tx, { gateway, inboundId: inbound.id, owner, settings, text: systemText(settings, reply.key, reply.language) }, now);
    }
    return { messageId: inbound.id, outcome, projectId: owner?.projectId ?? null };
  });
}

async function contactLanguage(tx: Repos, entry: PhoneEntry): Promise<string | null> {
  if (entry.contactKind === 'mobile_worker') return (await tx.workers.get(entry.projectId, entry.contactId))?.language ?? null;
  return (await tx.cases.get(entry.projectId, entry.contactId))?.properties.language_code ?? null;
}

interface Reply {
  gateway: GatewayRecord;
  inboundId: number;
  owner: PhoneEntry;
  settings: EffectiveSettings | null;
  text: string;
}

/** A reply goes back to the sender through the gateway the message arrived on (SPEC 5). */
async function queueReply(tx: Repos, reply: Reply, now: number): Promise<void> {
  const { owner } = reply;
  const eventId = await tx.events.create({ projectId: owner.projectId, source: 'reply', sourceId: String(reply.inboundId), channel: 'sms', content: { text: reply.text } }, now);
  const subEventId = await tx.events.addSubEvent(
    { eventId, projectId: owner.projectId, recipientKind: owner.contactKind, recipientId: owner.contactId, status: 'in_progress', errorCode: null, errorText: null },
    now,
  );
  await enqueue(
    tx,
    {
      projectId: owner.projectId,
      eventId,
      subEventId,
      channel: 'sms',
      contact: { kind: owner.contactKind, id: owner.contactId },
      to: owner.number,
      gatewayId: reply.gateway.id,
      subject: null,
      text: reply.text,
      kind: 'reply',
      replyTo: reply.inboundId,
      normalize: reply.settings?.normalizeText ?? true,
    },
    now,
  );
  await tx.events.refreshStatus(eventId, now);
}
