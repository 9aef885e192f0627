// The send side of the durable queue: claim due messages with a lease, run the checks of
// SPEC 3.3 in order, hand each to its gateway or the mailer outside any transaction, and
// store the outcome. A crash leaves the lease to expire and the message to be claimed again.
import type { Deps } from '../app/deps.ts';
import type { Adapters, GatewayRecord, Mailer, MessagePatch, MessageRecord, SendOutcome } from '../app/ports.ts';
import { describeError, type ErrorCode } from '../domain/errors.ts';
import { isRetryable, nextAttempt } from '../domain/retry.ts';
import { checkMessage, reserve, SettingsCache } from './checks.ts';

export interface SendMetrics {
  observeSend(gateway: string, outcome: string, seconds: number): void;
}

export interface DispatchDeps extends Deps {
  adapters: Adapters;
  mailer: Mailer;
  /** Names this process in leases. */
  workerId: string;
  metrics?: SendMetrics;
}

export interface DispatchOptions {
  batchSize: number;
  /** How long a claim is held before another worker may take the message over. */
  leaseMs: number;
  /** Messages of one batch in flight at once; 1 keeps strict creation order (the scenario runner). */
  concurrency: number;
}

export const DEFAULT_DISPATCH: DispatchOptions = { batchSize: 50, leaseMs: 60_000, concurrency: 1 };

/** E-mail is retried like SMS with the default policy (SPEC 3.4). */
const EMAIL_POLICY = { maxAttempts: 3, retryMinutes: 5 };

/** Claims one batch of due messages and processes them in due order. Returns how many were claimed. */
export async function dispatchDue(deps: DispatchDeps, options: DispatchOptions = DEFAULT_DISPATCH): Promise<number> {
  const now = deps.clock.now();
  const batch = await deps.store.messages.claimDue(now, options.batchSize, { owner: deps.workerId, until: now + options.leaseMs });
  const settings = new SettingsCache(deps.store);
  let next = 0;
  const lane = async () => {
    while (next < batch.length) {
      const message = batch[next++];
      if (message) await processMessage(deps, message, settings);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, batch.length)) }, lane));
  return batch.length;
}

interface Attempt {
  id: number;
  startedAt: number;
  day: string | null;
}

async function processMessage(deps: DispatchDeps, message: MessageRecord, cache: SettingsCache): Promise<void> {
  const { store } = deps;
  const now = deps.clock.now();
  const settings = await cache.get(message.projectId);
  const verdict = await checkMessage(store, message, settings, now);
  if (verdict.kind === 'fail') return finish(deps, message, { status: 'error', errorCode: verdict.code, errorText: verdict.text, dueAt: null }, null);
  if (verdict.kind === 'wait') return store.messages.update(message.id, { dueAt: verdict.until, waitReason: verdict.reason }, now);

  let gateway: GatewayRecord | null = null;
  if (message.channel === 'sms') {
    gateway = message.gatewayId ? await store.gateways.get(message.gatewayId) : null;
    if (!gateway || !deps.adapters(gateway.type)) {
      const text = gateway ? `gateway type '${gateway.type}' is not available` : `gateway '${message.gatewayId ?? ''}' no longer exists`;
      return finish(deps, message, { status: 'error', errorCode: 'GATEWAY_NOT_FOUND', errorText: text, dueAt: null }, null);
    }
  }

  // Hand-off: the daily slot, the rate limit and the attempt row, in one short transaction.
  const handOff = await store.transaction(async (tx) => {
    const slot = await reserve(tx, message, settings, gateway?.rateLimitPerMinute ?? null, now);
    if (slot.kind === 'wait') {
      await tx.messages.update(message.id, { dueAt: slot.until, waitReason: slot.reason }, now);
      return null;
    }
    const id = await tx.messages.addAttempt({
      messageId: message.id,
      gatewayId: gateway?.id ?? null,
      startedAt: now,
      finishedAt: now,
      outcome: 'sending',
      statusCode: null,
      detail: null,
      requestTrace: null,
      responseTrace: null,
    });
    return { id, startedAt: now, day: slot.day };
  });
  if (!handOff) return;

  const started = performance.now();
  const outcome = await send(deps, message, gateway);
  deps.metrics?.observeSend(gateway?.id ?? 'email', outcome.kind, (performance.now() - started) / 1000);
  const finishedAt = deps.clock.now();
  const attempts = message.attempts + 1;
  if (outcome.kind === 'accepted') {
    return finish(deps, message, { status: 'sent', attempts, sentAt: handOff.startedAt, providerMessageId: outcome.providerMessageId, dueAt: null, waitReason: null, errorText: null }, { ...handOff, outcome, finishedAt });
  }
  const policy = gateway ? { maxAttempts: gateway.maxAttempts, retryMinutes: gateway.retryMinutes } : EMAIL_POLICY;
  const retryAt = isRetryable(outcome.kind) ? nextAttempt(attempts, finishedAt, policy, outcome.retryAfterMs) : 'give_up';
  const attempt = { ...handOff, outcome, finishedAt };
  if (retryAt !== 'give_up') return finish(deps, message, { attempts, dueAt: retryAt, waitReason: 'retry', errorText: outcome.detail }, attempt);
  const code: ErrorCode = message.channel === 'email' ? 'EMAIL_GATEWAY_ERROR' : isRetryable(outcome.kind) ? 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS' : 'GATEWAY_ERROR';
  const text = isRetryable(outcome.kind) ? `${attempts} attempts failed; the last: ${outcome.detail}` : outcome.detail;
  return finish(deps, message, { status: 'error', attempts, errorCode: code, errorText: text, dueAt: null }, attempt);
}

async function send(deps: DispatchDeps, message: MessageRecord, gateway: GatewayRecord | null): Promise<SendOutcome> {
  try {
    if (gateway === null) {
      return await deps.mailer.send({ messageId: message.id, idempotencyKey: message.idempotencyKey, projectId: message.projectId, to: message.email ?? '', subject: message.subject ?? '', text: message.text });
    }
    const adapter = deps.adapters(gateway.type);
    if (!adapter) return { kind: 'rejected', detail: `gateway type '${gateway.type}' is not available` };
    return await adapter.send(gateway, { messageId: message.id, idempotencyKey: message.idempotencyKey, to: message.phone ?? '', text: message.text });
  } catch (error) {
    // An adapter that throws is a bug or an unexpected network failure: retry, never lose the message.
    return { kind: 'temporary', detail: `adapter failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Stores the decision, the attempt and the sub-event's result in one short transaction. */
async function finish(
  deps: DispatchDeps,
  message: MessageRecord,
  patch: MessagePatch,
  attempt: (Attempt & { outcome: SendOutcome; finishedAt: number }) | null,
): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.messages.update(message.id, patch, now);
    if (attempt) {
      const { outcome } = attempt;
      await tx.messages.finishAttempt(attempt.id, {
        finishedAt: attempt.finishedAt,
        outcome: outcome.kind,
        statusCode: outcome.statusCode ?? null,
        detail: outcome.kind === 'accepted' ? outcome.providerMessageId : outcome.detail,
        requestTrace: outcome.trace?.request ?? null,
        responseTrace: outcome.trace?.response ?? null,
      });
      if (outcome.kind !== 'accepted' && attempt.day && message.projectId) await tx.limits.releaseDaily(message.projectId, attempt.day);
    }
    if (message.subEventId !== null && (patch.status === 'sent' || patch.status === 'error')) {
      const error = patch.status === 'error' && patch.errorCode ? { code: patch.errorCode, text: describeError(patch.errorCode as ErrorCode, patch.errorText) } : null;
      await tx.events.finishSubEvent(message.subEventId, error ? 'error' : 'completed', error, now);
      if (message.eventId !== null) await tx.events.refreshStatus(message.eventId, now);
    }
  });
}
