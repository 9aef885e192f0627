// Storing what happened to a batch: each message's new state, its attempt, its sub-event and
// event, and daily slots given back by failed sends — in one transaction.
import type { GatewayRecord, MessagePatch, MessageRecord } from '../app/ports/records.ts';
import type { SendOutcome } from '../app/ports/gateway.ts';
import { describeError, type ErrorCode } from '../domain/errors.ts';
import { isRetryable, nextAttempt } from '../domain/retry.ts';
import type { DispatchDeps } from './dispatcher.ts';

/** E-mail is retried like SMS with the default policy (SPEC 3.4). */
const EMAIL_POLICY = { maxAttempts: 3, retryMinutes: 5 };

export interface Attempt {
  id: number;
  startedAt: number;
  finishedAt: number;
  /** The project-local day whose daily slot the send held, to give back if it failed. */
  day: string | null;
  outcome: SendOutcome;
}

/** What happens to one claimed message: a decision without a send, or a send's outcome. */
export type Decision =
  | { message: MessageRecord; patch: MessagePatch }
  | { message: MessageRecord; attempt: Attempt; gateway: GatewayRecord | null };

/** SPEC 3.3 step 7: sent, retried later, or failed for good. */
export function afterSend(
  message: MessageRecord,
  outcome: SendOutcome,
  gateway: GatewayRecord | null,
  startedAt: number,
  finishedAt: number,
): MessagePatch {
  const attempts = message.attempts + 1;
  if (outcome.kind === 'accepted') {
    return {
      status: 'sent',
      attempts,
      sentAt: startedAt,
      providerMessageId: outcome.providerMessageId,
      dueAt: null,
      waitReason: null,
      errorText: null,
    };
  }
  const policy = gateway
    ? { maxAttempts: gateway.maxAttempts, retryMinutes: gateway.retryMinutes }
    : EMAIL_POLICY;
  const retryAt = isRetryable(outcome.kind)
    ? nextAttempt(attempts, finishedAt, policy, outcome.retryAfterMs)
    : 'give_up';
  if (retryAt !== 'give_up')
    return { attempts, dueAt: retryAt, waitReason: 'retry', errorText: outcome.detail };
  const code: ErrorCode =
    message.channel === 'email'
      ? 'EMAIL_GATEWAY_ERROR'
      : isRetryable(outcome.kind)
        ? 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS'
        : 'GATEWAY_ERROR';
  const text = isRetryable(outcome.kind)
    ? `${attempts} attempts failed; the last: ${outcome.detail}`
    : outcome.detail;
  return { status: 'error', attempts, errorCode: code, errorText: text, dueAt: null };
}

export async function finishBatch(deps: DispatchDeps, decisions: readonly Decision[]): Promise<void> {
  if (decisions.length === 0) return;
  const now = deps.clock.now();
  const updates: { id: number; patch: MessagePatch }[] = [];
  const attempts: Parameters<DispatchDeps['store']['messages']['finishAttempts']>[0][number][] = [];
  const subEvents: {
    id: number;
    status: 'completed' | 'error';
    error: { code: string; text: string } | null;
  }[] = [];
  const events = new Set<number>();
  const giveBack = new Map<string, { projectId: string; day: string; count: number }>();
  for (const decision of decisions) {
    const { message } = decision;
    const attempt = 'attempt' in decision ? decision.attempt : null;
    const patch =
      'attempt' in decision
        ? afterSend(
            message,
            decision.attempt.outcome,
            decision.gateway,
            decision.attempt.startedAt,
            decision.attempt.finishedAt,
          )
        : decision.patch;
    updates.push({ id: message.id, patch });
    if (attempt) {
      const { outcome } = attempt;
      attempts.push({
        id: attempt.id,
        finishedAt: attempt.finishedAt,
        outcome: outcome.kind,
        statusCode: outcome.statusCode ?? null,
        detail: outcome.kind === 'accepted' ? outcome.providerMessageId : outcome.detail,
        requestTrace: outcome.trace?.request ?? null,
        responseTrace: outcome.trace?.response ?? null,
      });
      if (outcome.kind !== 'accepted' && attempt.day && message.projectId) {
        const key = `${message.projectId}\u0000${attempt.day}`;
        const entry = giveBack.get(key) ?? { projectId: message.projectId, day: attempt.day, count: 0 };
        entry.count++;
        giveBack.set(key, entry);
      }
    }
    if (message.subEventId !== null && (patch.status === 'sent' || patch.status === 'error')) {
      const error =
        patch.status === 'error' && patch.errorCode
          ? { code: patch.errorCode, text: describeError(patch.errorCode as ErrorCode, patch.errorText) }
          : null;
      subEvents.push({ id: message.subEventId, status: error ? 'error' : 'completed', error });
      if (message.eventId !== null) events.add(message.eventId);
    }
  }
  await deps.store.transaction(async (tx) => {
    await tx.messages.updateMany(updates, now);
    await tx.messages.finishAttempts(attempts);
    await tx.events.finishSubEvents(subEvents, now);
    for (const { projectId, day, count } of giveBack.values())
      await tx.limits.releaseDaily(projectId, day, count);
    for (const eventId of events) await tx.events.refreshStatus(eventId, now);
  });
}
