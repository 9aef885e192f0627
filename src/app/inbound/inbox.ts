// The inbox (SPEC 5 step 1, 7): an operator answers an inbound SMS — from a contact or from an
// unknown number — and the answer goes back as a reply (through the gateway it arrived on,
// exempt from restricted times, SPEC 5); and a simulated inbound SMS for testing.
import { ApiError, notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import type { MessageRecord } from '../ports/records.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { queueReply } from '../sending/replies.ts';
import { handleInbound, type InboundResult } from './inbound.ts';
import { mayUseGateway } from '../../domain/inbound-scope.ts';
import { InputError } from '../../lib/input.ts';

/**
 * Queues an operator's reply to inbound message `id` of `projectId` (null: a message of no
 * project, the administrator's); returns the reply's message id.
 */
export async function replyToInbound(
  deps: Deps,
  projectId: string | null,
  id: number,
  text: string,
): Promise<number> {
  if (text.trim() === '') throw new InputError('text', 'must not be blank');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const inbound: MessageRecord | null = await tx.messages.get(id);
    if (!inbound || inbound.direction !== 'in' || inbound.projectId !== projectId)
      throw notFound(
        `no inbound message ${id}${projectId === null ? ' without a project' : ` in project '${projectId}'`}`,
      );
    const gateway = inbound.gatewayId === null ? null : await tx.gateways.get(inbound.gatewayId);
    if (!gateway || inbound.phone === null)
      throw new ApiError('conflict', `the gateway message ${id} arrived on is gone: a reply has no way back`);
    const project = projectId === null ? null : await tx.projects.get(projectId);
    return queueReply(
      tx,
      {
        projectId,
        contact: inbound.contact,
        number: inbound.phone,
        gatewayId: gateway.id,
        inboundId: inbound.id,
        settings: project ? effectiveSettings(project.settings) : null,
      },
      text,
      now,
    );
  });
}

/**
 * A simulated inbound SMS (the console's Test SMS page): processed exactly as if `gateway` had
 * received it. A project key may simulate only on its project's own gateways — on a shared or
 * global gateway the SMS would reach other projects' contacts.
 */
export async function simulateInbound(
  deps: Deps,
  input: { project: string; gateway: string; from: string; text: string; admin: boolean },
): Promise<InboundResult> {
  const gateway = await deps.store.gateways.get(input.gateway);
  const allowed =
    gateway !== null &&
    (input.admin ? mayUseGateway(gateway, input.project) : gateway.owner === input.project);
  if (!gateway || !allowed)
    throw new InputError('gateway', `no gateway '${input.gateway}' to test with here`);
  if (input.from.trim() === '') throw new InputError('from', 'must not be blank');
  return handleInbound(deps, { gateway: gateway.id, from: input.from, text: input.text }, gateway);
}
