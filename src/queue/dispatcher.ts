// The send side of the durable queue: claim due messages with a lease, run the checks of
// SPEC 3.3 in order, hand each to its gateway or the mailer outside any transaction, and
// store the outcome. A crash leaves the lease to expire and the message to be claimed again.
import type { Deps } from '../app/deps.ts';
import type { Adapters, Mailer, MessagePatch, MessageRecord, SendOutcome } from '../app/ports.ts';
import { isRetryable, isStale, nextAttempt } from '../domain/retry.ts';
import { describeError, type ErrorCode } from '../domain/errors.ts';

export interface DispatchDeps extends Deps {
  adapters: Adapters;
  mailer: Mailer;
  /** Names this process in leases. */
  workerId: string;
}

export interface DispatchOptions {
  batchSize: number;
  /** How long a claim is held before another worker may take the message over. */
  leaseMs: number;
}

export const DEFAULT_DISPATCH: DispatchOptions = { batchSize: 50, leaseMs: 60_000 };

/** E-mail is retried like SMS with the default policy (SPEC 3.4). */
const EMAIL_POLICY = { maxAttempts: 3, retryMinutes: 5 };

/** Claims one batch of due messages and processes them in due order. Returns how many were claimed. */
export async function dispatchDue(deps: DispatchDeps, options: DispatchOptions = DEFAULT_DISPATCH): Promise<number> {
  const now = deps.clock.now();
  const batch = await deps.store.messages.claimDue(now, options.batchSize, { owner: deps.workerId, until: now + options.leaseMs });
  for (const message of batch) await processMessage(deps, message);
  return batch.length;
}

type Failure = { code: ErrorCode; text: string };

async function checkBeforeSend(deps: DispatchDeps, message: MessageRecord, now: number): Promise<Failure | null> {
  const { store } = deps;
  if (isStale(message.createdAt, now)) return { code: 'MESSAGE_IS_STALE', text: 'queued more than 7 days ago' };
  if (message.contact && message.projectId) {
    const active =
      message.contact.kind === 'case'
        ? await store.cases.get(message.projectId, message.contact.id).then((c) => !!c && !c.closed && !c.deleted)
        : await store.workers.get(message.projectId, message.contact.id).then((w) => !!w && w.active);
    if (!active) return { code: 'CONTACT_IS_INACTIVE', text: 'the contact was closed, deleted or deactivated after the message was queued' };
  }
  if (message.channel === 'sms' && message.phone) {
    const optOut = await store.optOuts.get(message.phone);
    const exempt = message.kind === 'opt_confirmation' && (optOut?.canOptIn ?? true);
    if (optOut?.optedOut && !exempt) return { code: 'PHONE_NUMBER_OPTED_OUT', text: `+${message.phone} has opted out` };
  }
  return null;
}

async function processMessage(deps: DispatchDeps, message: MessageRecord): Promise<void> {
  const now = deps.clock.now();
  const failure = await checkBeforeSend(deps, message, now);
  if (failure) return finish(deps, message, { status: 'error', errorCode: failure.code, errorText: failure.text, dueAt: null }, null);

  let outcome: SendOutcome;
  let policy = EMAIL_POLICY;
  if (message.channel === 'email') {
    outcome = await deps.mailer.send({
      messageId: message.id,
      idempotencyKey: message.idempotencyKey,
      projectId: message.projectId,
      to: message.email ?? '',
      subject: message.subject ?? '',
      text: message.text,
    });
  } else {
    const gateway = message.gatewayId ? await deps.store.gateways.get(message.gatewayId) : null;
    const adapter = gateway ? deps.adapters(gateway.type) : null;
    if (!gateway || !adapter) {
      const text = gateway ? `gateway type '${gateway.type}' is not available` : `gateway '${message.gatewayId ?? ''}' no longer exists`;
      return finish(deps, message, { status: 'error', errorCode: 'GATEWAY_NOT_FOUND', errorText: text, dueAt: null }, null);
    }
    policy = { maxAttempts: gateway.maxAttempts, retryMinutes: gateway.retryMinutes };
    outcome = await adapter.send(gateway, { messageId: message.id, idempotencyKey: message.idempotencyKey, to: message.phone ?? '', text: message.text });
  }
  const finishedAt = deps.clock.now();
  const attempts = message.attempts + 1;
  const attempt = { startedAt: now, finishedAt, outcome };
  if (outcome.kind === 'accepted') {
    return finish(deps, message, { status: 'sent', attempts, sentAt: now, providerMessageId: outcome.providerMessageId, dueAt: null, waitReason: null }, attempt);
  }
  const finalCode: ErrorCode = message.channel === 'email' ? 'EMAIL_GATEWAY_ERROR' : isRetryable(outcome.kind) ? 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS' : 'GATEWAY_ERROR';
  const retryAt = isRetryable(outcome.kind) ? nextAttempt(attempts, finishedAt, policy, outcome.retryAfterMs) : 'give_up';
  if (retryAt !== 'give_up') {
    return finish(deps, message, { attempts, dueAt: retryAt, waitReason: 'retry', errorText: outcome.detail }, attempt);
  }
  const text = isRetryable(outcome.kind) ? `${attempts} attempts failed; last: ${outcome.detail}` : outcome.detail;
  return finish(deps, message, { status: 'error', attempts, errorCode: finalCode, errorText: text, dueAt: null }, attempt);
}

/** Stores the decision, the attempt and the sub-event's result in one short transaction. */
async function finish(
  deps: DispatchDeps,
  message: MessageRecord,
  patch: MessagePatch,
  attempt: { startedAt: number; finishedAt: number; outcome: SendOutcome } | null,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.messages.update(message.id, patch, now);
    if (attempt) {
      const { outcome } = attempt;
      await tx.messages.addAttempt({
        messageId: message.id,
        gatewayId: message.gatewayId,
        startedAt: attempt.startedAt,
        finishedAt: attempt.finishedAt,
        outcome: outcome.kind,
        statusCode: outcome.statusCode ?? null,
        detail: outcome.kind === 'accepted' ? outcome.providerMessageId : outcome.detail,
        requestTrace: outcome.trace?.request ?? null,
        responseTrace: outcome.trace?.response ?? null,
      });
    }
    if (message.subEventId !== null && (patch.status === 'sent' || patch.status === 'error')) {
      const error = patch.status === 'error' && patch.errorCode ? { code: patch.errorCode, text: describeError(patch.errorCode as ErrorCode, patch.errorText) } : null;
      await tx.events.finishSubEvent(message.subEventId, error ? 'error' : 'completed', error, now);
      if (message.eventId !== null) await tx.events.refreshStatus(message.eventId, now);
    }
  });
}
