// Changing or cancelling an outbound message before it goes (SPEC 6, 7): a queued message that
// no worker is sending right now can be cancelled — status `cancelled`, kept in the log with its
// event — or given another time or text. A message being sent, sent, or final answers 409.
import { cleanText, countSegments } from '../../domain/text.ts';
import { ApiError, notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import type { MessageRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { effectiveSettings } from '../projects/settings.ts';

/** Why a message can no longer be changed, in words. */
function tooLate(message: MessageRecord): ApiError {
  const state =
    message.direction === 'in'
      ? 'is an inbound message'
      : message.status === 'queued'
        ? 'is being handed to its gateway right now'
        : `is already ${message.status}`;
  return new ApiError(
    'conflict',
    `message ${message.id} ${state}: only a queued message can be changed or cancelled`,
  );
}

async function projectMessage(tx: Repos, projectId: string, id: number): Promise<MessageRecord> {
  const message = await tx.messages.get(id);
  if (!message || message.projectId !== projectId)
    throw notFound(`no message ${id} in project '${projectId}'`);
  return message;
}

/** Cancels a queued message; its sub-event is done (nothing failed: the operator chose). */
export async function cancelMessage(deps: Deps, projectId: string, id: number): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const message = await projectMessage(tx, projectId, id);
    if (message.direction !== 'out' || !(await tx.queued.cancel(message.id, now))) throw tooLate(message);
    if (message.subEventId !== null && message.eventId !== null) {
      await tx.events.finishSubEvents([{ id: message.subEventId, status: 'completed', error: null }], now);
      await tx.events.refreshStatus(message.eventId, now);
    }
  });
}

export interface MessageEdit {
  /** When to send it (epoch ms); a past instant sends it now. */
  at?: number;
  /** The new text, cleaned as the project sends SMS. */
  text?: string;
}

/** Gives a queued message another time or text; returns it as stored. */
export async function editMessage(
  deps: Deps,
  projectId: string,
  id: number,
  edit: MessageEdit,
): Promise<MessageRecord> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const message = await projectMessage(tx, projectId, id);
    const project = await tx.projects.get(projectId);
    const normalize = project ? effectiveSettings(project.settings).normalizeText : true;
    const sms = message.channel === 'sms';
    const text = edit.text === undefined ? undefined : sms && normalize ? cleanText(edit.text) : edit.text;
    const patch = {
      ...(edit.at !== undefined ? { dueAt: Math.max(edit.at, now) } : {}),
      ...(text !== undefined ? { text, segments: sms ? countSegments(text).segments : null } : {}),
    };
    if (message.direction !== 'out' || !(await tx.queued.edit(message.id, patch, now)))
      throw tooLate(message);
    return { ...message, ...patch };
  });
}
