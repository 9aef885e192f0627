// Sending one message now (the API's POST .../messages, the CLI's send, the runner's send step).
import type { Deps } from '../ports/deps.ts';
import { queueForRecipient, type SubEventOutcome } from './outbox.ts';
import { requireProject } from '../projects/projects.ts';
import type { SendBody } from './schemas.ts';

export interface SendInput extends SendBody {
  project: string;
}

export interface SendResult {
  eventId: number;
  subEvents: SubEventOutcome[];
}

/**
 * Makes one event with one sub-event for the recipient and queues its message (SPEC 3.1). A
 * contact that does not exist is recorded as NO_RECIPIENT on the sub-event, like any other
 * reason a message did not go, so the history shows it. `at` (epoch ms) sends it later; the
 * recipient is decided now.
 */
export async function sendMessage(
  deps: Deps,
  input: SendInput,
  options: { at?: number } = {},
): Promise<SendResult> {
  const now = deps.clock.now();
  const channel = input.channel ?? 'sms';
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, input.project);
    const content = { text: input.text, translations: input.translations, subject: input.subject ?? null };
    const eventId = await tx.events.create(
      { projectId: project.id, source: 'api', sourceId: null, channel, content },
      now,
    );
    const gateways = channel === 'sms' ? await tx.gateways.visibleTo(project.id) : [];
    const outcome = await queueForRecipient(
      tx,
      {
        project,
        eventId,
        channel,
        content,
        defaultLanguage: input.default_language ?? null,
        gateways,
        dueAt: options.at,
      },
      input.to,
      now,
    );
    await tx.events.refreshStatus(eventId, now);
    return { eventId, subEvents: [outcome] };
  });
}
