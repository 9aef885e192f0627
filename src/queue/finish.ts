// What finishing a batch writes, decided without I/O: each message's new state (SPEC 3.3 step 7
// for a send's outcome), its attempt, its sub-event and event, and daily slots given back by
// failed sends. dispatcher.ts, which owns the claim → send → record cycle, writes it.
import type { SendOutcome } from '../app/ports/gateway.ts';
import type { GatewayRecord, MessagePart, MessagePatch, MessageRecord } from '../app/ports/records.ts';
import type { Repos } from '../app/ports/store.ts';
import { describeError, type ErrorCode } from '../domain/errors.ts';
import {
  hasAttemptsLeft,
  isRetryable,
  nextAttempt,
  type FailureKind,
  type RetryPolicy,
} from '../domain/retry.ts';
import { storableText } from '../domain/storable-text.ts';

/** E-mail is retried like SMS with the default policy (SPEC 3.4). */
const EMAIL_POLICY: RetryPolicy = { maxAttempts: 3, retryMinutes: 5 };

const policyOf = (gateway: GatewayRecord | null): RetryPolicy =>
  gateway ? { maxAttempts: gateway.maxAttempts, retryMinutes: gateway.retryMinutes } : EMAIL_POLICY;

/** The final error of a message out of attempts: e-mail has its own code (SPEC 3.4). */
const outOfAttempts = (message: MessageRecord): ErrorCode =>
  message.channel === 'email' ? 'EMAIL_GATEWAY_ERROR' : 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS';

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

/**
 * A message claimed with all its attempts already made (`gateway` null for e-mail). Attempts
 * are counted at hand-off, before the send, so this is one whose last send was never recorded
 * (a crash, a database refusing the outcome, a lease run out): whatever that send did, no
 * other is owed (SPEC 3.3: `max_attempts` in all). Null while attempts are left.
 */
export function spentPatch(message: MessageRecord, gateway: GatewayRecord | null): MessagePatch | null {
  const policy = policyOf(gateway);
  if (hasAttemptsLeft(message.attempts, policy)) return null;
  return {
    status: 'error',
    errorCode: outOfAttempts(message),
    errorText: `${message.attempts} of ${policy.maxAttempts} attempts made; the outcome of the last one was not recorded`,
    dueAt: null,
  };
}

/** The final error of a permanent failure of each kind (SPEC 3.3 step 7, 3.6). */
const FAILURE_CODES: Record<FailureKind, ErrorCode> = {
  temporary: 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
  throttled: 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS',
  rejected: 'GATEWAY_ERROR',
  invalid_destination: 'INVALID_PHONE_NUMBER',
  opted_out: 'PHONE_NUMBER_OPTED_OUT',
};

/**
 * SPEC 3.3 step 7: sent, retried later, or failed for good. The attempt was counted on the
 * message at hand-off, so the patch leaves the counter alone (a later holder of an expired
 * lease may have counted another since).
 */
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
      sentAt: startedAt,
      providerMessageId: outcome.providerMessageId,
      dueAt: null,
      waitReason: null,
      errorText: null,
    };
  }
  // A gateway that hands the message to another (WhatsApp's SMS fallback): its next attempt,
  // at once, on that gateway.
  if (outcome.reroute !== undefined && !isRetryable(outcome.kind) && message.channel === 'sms') {
    return {
      gatewayId: outcome.reroute,
      dueAt: finishedAt,
      waitReason: 'fallback',
      errorText: outcome.detail,
    };
  }
  const retryAt = isRetryable(outcome.kind)
    ? nextAttempt(attempts, finishedAt, policyOf(gateway), outcome.retryAfterMs)
    : 'give_up';
  if (retryAt !== 'give_up') return { dueAt: retryAt, waitReason: 'retry', errorText: outcome.detail };
  const code: ErrorCode =
    message.channel === 'email'
      ? 'EMAIL_GATEWAY_ERROR'
      : isRetryable(outcome.kind)
        ? 'TOO_MANY_UNSUCCESSFUL_ATTEMPTS'
        : FAILURE_CODES[outcome.kind];
  const text = isRetryable(outcome.kind)
    ? `${attempts} attempts failed; the last: ${outcome.detail}`
    : outcome.detail;
  return { status: 'error', errorCode: code, errorText: text, dueAt: null };
}

type FinishedAttempt = Parameters<Repos['messages']['finishAttempts']>[0][number];

/** One batch's writes, in the shape of the repositories that take them. */
export interface BatchRecord {
  updates: { id: number; patch: MessagePatch }[];
  attempts: FinishedAttempt[];
  subEvents: { id: number; status: 'completed' | 'error'; error: { code: string; text: string } | null }[];
  events: number[];
  /** Daily slots held by sends that were not accepted. */
  giveBack: { projectId: string; day: string; count: number }[];
  /** The provider ids of every part of messages sent in several. */
  parts: Omit<MessagePart, 'status'>[];
  /** Each gateway's provider ids of accepted sends: delivery reports may be waiting for them. */
  accepted: Map<string, string[]>;
  /** Numbers the provider says opted out (Twilio 21610): opted out here too (SPEC 3.6). */
  optOuts: { number: string; projectId: string | null }[];
}

export function recordOf(decisions: readonly Decision[]): BatchRecord {
  const record: BatchRecord = {
    updates: [],
    attempts: [],
    subEvents: [],
    events: [],
    giveBack: [],
    parts: [],
    accepted: new Map(),
    optOuts: [],
  };
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
    record.updates.push({ id: message.id, patch });
    if (attempt) {
      const { outcome } = attempt;
      record.attempts.push({
        id: attempt.id,
        finishedAt: attempt.finishedAt,
        outcome: outcome.kind,
        statusCode: outcome.statusCode ?? null,
        detail: outcome.kind === 'accepted' ? outcome.providerMessageId : outcome.detail,
        requestTrace: outcome.trace?.request ?? null,
        responseTrace: outcome.trace?.response ?? null,
      });
      if (outcome.kind === 'accepted' && message.gatewayId !== null) {
        const ids = outcome.parts && outcome.parts.length > 1 ? outcome.parts : [outcome.providerMessageId];
        if (outcome.parts && outcome.parts.length > 1) {
          outcome.parts.forEach((id, i) =>
            record.parts.push({
              gatewayId: message.gatewayId ?? '',
              providerMessageId: id,
              messageId: message.id,
              part: i + 1,
            }),
          );
        }
        const known = ids.filter((id): id is string => id !== null && id !== '');
        if (known.length > 0)
          record.accepted.set(message.gatewayId, [
            ...(record.accepted.get(message.gatewayId) ?? []),
            ...known,
          ]);
      }
      if (outcome.kind === 'opted_out' && message.phone !== null)
        record.optOuts.push({ number: message.phone, projectId: message.projectId });
      if (outcome.kind !== 'accepted' && attempt.day && message.projectId) {
        const key = `${message.projectId}\u0000${attempt.day}`;
        const entry = giveBack.get(key) ?? { projectId: message.projectId, day: attempt.day, count: 0 };
        entry.count++;
        giveBack.set(key, entry);
      }
    }
    if (message.subEventId !== null && (patch.status === 'sent' || patch.status === 'error')) {
      // The gateway's text reaches the sub-event too, and the events repository stores it as given.
      const error =
        patch.status === 'error' && patch.errorCode
          ? {
              code: patch.errorCode,
              text: storableText(describeError(patch.errorCode as ErrorCode, patch.errorText)),
            }
          : null;
      record.subEvents.push({ id: message.subEventId, status: error ? 'error' : 'completed', error });
      if (message.eventId !== null) events.add(message.eventId);
    }
  }
  record.events = [...events];
  record.giveBack = [...giveBack.values()];
  return record;
}

/**
 * The same decisions without anything the gateway said (ids, details, traces, status codes),
 * for when the database keeps refusing the full record: the one value it refuses is most
 * likely the gateway's. What the queue decided (sent, retry at, failed for good) is kept.
 */
export function withoutAnswers(decisions: readonly Decision[]): Decision[] {
  const note = "the gateway's answer could not be stored";
  return decisions.map((decision) => {
    if (!('attempt' in decision)) return decision;
    const { outcome } = decision.attempt;
    const bare: SendOutcome =
      outcome.kind === 'accepted'
        ? { kind: 'accepted', providerMessageId: null }
        : { kind: outcome.kind, detail: note, retryAfterMs: outcome.retryAfterMs };
    return { ...decision, attempt: { ...decision.attempt, outcome: bare } };
  });
}
