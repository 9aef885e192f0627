// "Send a test message" from the console's gateway page: one SMS to a number through that
// gateway alone, queued like any message (an event with its sub-event, the queue's checks,
// attempts and traces), so the operator sees the gateway's real answer in the history.
import { requireProject } from '../projects/projects.ts';
import type { Deps } from '../ports/deps.ts';
import { queueForRecipient, type SubEventOutcome } from '../sending/outbox.ts';
import { InputError } from '../../lib/input.ts';

/** Queues `text` to `phone` through gateway `gatewayId` of `projectId` (its own or shared with it). */
export async function sendTestMessage(
  deps: Deps,
  projectId: string,
  gatewayId: string,
  phone: string,
  text: string,
): Promise<SubEventOutcome> {
  if (phone.trim() === '') throw new InputError('to', 'is required');
  if (text.trim() === '') throw new InputError('text', 'is required');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const gateway = (await tx.gateways.visibleTo(project.id)).find((g) => g.id === gatewayId);
    if (!gateway) throw new InputError('gateway', `no gateway '${gatewayId}' for this project`);
    const content = { text, subject: null };
    const eventId = await tx.events.create(
      { projectId: project.id, source: 'api', sourceId: `test:${gatewayId}`, channel: 'sms', content },
      now,
    );
    // The gateway alone, as the default: the choice (SPEC 3.2) can only land on it.
    const only = { ...gateway, owner: project.id, isDefault: true, prefixes: [], sharedWith: [] };
    const outcome = await queueForRecipient(
      tx,
      { project, eventId, channel: 'sms', content, defaultLanguage: null, gateways: [only] },
      { phone },
      now,
    );
    await tx.events.refreshStatus(eventId, now);
    return outcome;
  });
}
