// The send side of the durable queue, one batch at a time, from claim to record: claim due
// messages with a lease, check them (SPEC 3.3, checks.ts) on facts read in bulk, take daily
// slots and rate-limit room and record and count the attempts in one short transaction, hand
// the messages to gateways outside any transaction, then store every outcome in one more
// (finish.ts decides what it writes).
//
// Finishing is not optional, and cannot loop. Each attempt is counted on its message in the
// hand-off, before the send, so a message whose outcome never gets stored is claimed again
// when its lease ends with that attempt behind it: sent again while max_attempts allows,
// ended with TOO_MANY_UNSUCCESSFUL_ATTEMPTS once it does not. A record the database refuses is
// tried again briefly, then stored without the gateway's answer; only when even that fails is
// the batch left to its lease. Duplicates are therefore bounded by max_attempts whatever
// fails; after a crash, only the batches in hand (one per dispatch lane, pipeline.ts) are sent
// again. A batch must finish within its lease (CASELINE_LEASE_MS, 60 s by default), or another
// worker may claim and send its messages again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Deps } from '../app/ports/deps.ts';
import type { Adapters, Mailer, SendOutcome } from '../app/ports/gateway.ts';
import type { GatewayRecord, MessageRecord } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import { applyWaitingReports } from '../app/sending/delivery-reports.ts';
import { optOutAtProvider } from '../app/registry/opt-outs.ts';
import { allocate, checkMessage, loadFacts, type BatchFacts } from './checks.ts';
import { recordOf, spentPatch, withoutAnswers, type BatchRecord, type Decision } from './finish.ts';

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
  /** Sends of one batch in flight at once; 1 keeps strict creation order (the scenario runner). */
  concurrency: number;
}

export const DEFAULT_DISPATCH: DispatchOptions = { batchSize: 50, leaseMs: 60_000, concurrency: 1 };

/**
 * Pauses before each further try of a batch's record, in ms. Real time, not the clock's: it is
 * the database that needs time to come back, also under the scenario runner's virtual clock.
 * Well inside a lease.
 */
const RECORD_RETRY_MS = [100, 500];

interface HandedOff {
  message: MessageRecord;
  gateway: GatewayRecord | null;
  day: string | null;
  attemptId: number;
}

/**
 * Claims one batch of due messages, sends what is ready and records every outcome. Returns how
 * many were claimed. Throws when the outcomes could not all be stored; the messages are then
 * released without the gateway's answers, or left to their lease with their attempts counted.
 */
export async function dispatchDue(
  deps: DispatchDeps,
  options: DispatchOptions = DEFAULT_DISPATCH,
): Promise<number> {
  const { store } = deps;
  const now = deps.clock.now();
  const batch = await store.messages.claimDue(now, options.batchSize, {
    owner: deps.workerId,
    until: now + options.leaseMs,
  });
  if (batch.length === 0) return 0;
  const facts = await loadFacts(store, batch);
  const { decisions, ready } = decide(batch, facts, deps.adapters, now);
  const handedOff = await handOff(store, ready, facts, decisions, now);
  decisions.push(...(await sendAll(deps, handedOff, facts, now, options.concurrency)));
  await record(deps, decisions);
  return batch.length;
}

/** Steps 1–4 and what no send can fix; the rest is ready for steps 5–6. */
function decide(
  batch: readonly MessageRecord[],
  facts: BatchFacts,
  adapters: Adapters,
  now: number,
): { decisions: Decision[]; ready: MessageRecord[] } {
  const decisions: Decision[] = [];
  const ready: MessageRecord[] = [];
  for (const message of batch) {
    const gateway = gatewayOf(message, facts);
    // First: a message whose attempts are all made is owed nothing more, whatever else holds.
    const spent = message.channel === 'email' || gateway ? spentPatch(message, gateway) : null;
    const verdict = spent ? null : checkMessage(message, facts, now);
    const gatewayProblem = verdict?.kind === 'go' ? missingGateway(message, gateway, adapters) : null;
    if (spent) decisions.push({ message, patch: spent });
    else if (verdict?.kind === 'fail')
      decisions.push({
        message,
        patch: { status: 'error', errorCode: verdict.code, errorText: verdict.text, dueAt: null },
      });
    else if (verdict?.kind === 'wait')
      decisions.push({ message, patch: { dueAt: verdict.until, waitReason: verdict.reason } });
    else if (gatewayProblem)
      decisions.push({
        message,
        patch: { status: 'error', errorCode: 'GATEWAY_NOT_FOUND', errorText: gatewayProblem, dueAt: null },
      });
    else ready.push(message);
  }
  return { decisions, ready };
}

/**
 * Steps 5–6 and the attempt rows, in one transaction; the waits they decide join `decisions`.
 * addAttempts also counts each attempt on its message, committed before any send.
 */
async function handOff(
  store: Store,
  ready: readonly MessageRecord[],
  facts: BatchFacts,
  decisions: Decision[],
  now: number,
): Promise<HandedOff[]> {
  const waits: Decision[] = [];
  const handedOff = await store.transaction(async (tx) => {
    waits.length = 0;
    const allocations = await allocate(tx, ready, facts, now);
    const going: { message: MessageRecord; day: string | null }[] = [];
    allocations.forEach((allocation, i) => {
      const message = ready[i];
      if (!message) return;
      if (allocation.kind === 'go') going.push({ message, day: allocation.day });
      else waits.push({ message, patch: { dueAt: allocation.until, waitReason: allocation.reason } });
    });
    const ids = await tx.messages.addAttempts(
      going.map(({ message }) => ({
        messageId: message.id,
        gatewayId: message.gatewayId,
        startedAt: now,
        finishedAt: now,
        outcome: 'sending',
        statusCode: null,
        detail: null,
        requestTrace: null,
        responseTrace: null,
      })),
    );
    return going.map((g, i) => ({ ...g, gateway: gatewayOf(g.message, facts), attemptId: ids[i] ?? 0 }));
  });
  decisions.push(...waits);
  return handedOff;
}

/** Step 7's sends, `concurrency` at a time; one decision per message handed off. */
async function sendAll(
  deps: DispatchDeps,
  handedOff: readonly HandedOff[],
  facts: BatchFacts,
  startedAt: number,
  concurrency: number,
): Promise<Decision[]> {
  const decisions: Decision[] = [];
  let next = 0;
  const lane = async () => {
    while (next < handedOff.length) {
      const item = handedOff[next++];
      if (!item) continue;
      const started = performance.now();
      const outcome = await send(deps, item.message, item.gateway, facts);
      deps.metrics?.observeSend(
        item.gateway?.id ?? 'email',
        outcome.kind,
        (performance.now() - started) / 1000,
      );
      decisions.push({
        message: item.message,
        attempt: { id: item.attemptId, startedAt, finishedAt: deps.clock.now(), day: item.day, outcome },
        gateway: item.gateway,
      });
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, handedOff.length)) }, lane));
  return decisions;
}

/**
 * Stores the batch's outcomes, trying again briefly; then without the gateway's answers, which
 * is what the database most likely refused. Throws after either fallback, so the failure is
 * seen (the worker loop logs it), with every message released or its attempt counted.
 */
async function record(deps: DispatchDeps, decisions: readonly Decision[]): Promise<void> {
  if (decisions.length === 0) return;
  const full = recordOf(decisions);
  let failure: unknown;
  for (const pause of [0, ...RECORD_RETRY_MS]) {
    if (pause > 0) await sleep(pause);
    try {
      await write(deps, full);
      return;
    } catch (error) {
      failure = error;
    }
  }
  const tries = RECORD_RETRY_MS.length + 1;
  const ids = decisions.map((d) => d.message.id);
  const which = `message${ids.length === 1 ? '' : 's'} ${ids.slice(0, 10).join(', ')}${ids.length > 10 ? ', …' : ''}`;
  const releaseFailure = await write(deps, recordOf(withoutAnswers(decisions))).then(
    () => null,
    (error: unknown) => error,
  );
  throw new Error(
    `storing a batch's outcomes failed ${tries} times (${messageOf(failure)}); ` +
      (releaseFailure === null
        ? `${which} released without the gateway's answers`
        : `releasing it failed too (${messageOf(releaseFailure)}): ${which} stay claimed until ` +
          'the lease ends, their attempts counted'),
    { cause: failure },
  );
}

async function write(deps: DispatchDeps, record: BatchRecord): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    await tx.messages.updateMany(record.updates, now);
    await tx.messages.addParts(record.parts);
    // Reports the provider sent before this answer was recorded (SPEC 3.6).
    await applyWaitingReports(tx, record.accepted, now);
    for (const { number, projectId } of record.optOuts) await optOutAtProvider(tx, number, projectId, now);
    await tx.messages.finishAttempts(record.attempts);
    await tx.events.finishSubEvents(record.subEvents, now);
    for (const { projectId, day, count } of record.giveBack)
      await tx.limits.releaseDaily(projectId, day, count);
    for (const eventId of record.events) await tx.events.refreshStatus(eventId, now);
  });
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The SMS gateway a message goes through; null for e-mail or a gateway that no longer exists. */
function gatewayOf(message: MessageRecord, facts: BatchFacts): GatewayRecord | null {
  if (message.channel !== 'sms' || !message.gatewayId) return null;
  return facts.gateways.get(message.gatewayId) ?? null;
}

function missingGateway(
  message: MessageRecord,
  gateway: GatewayRecord | null,
  adapters: Adapters,
): string | null {
  if (message.channel !== 'sms') return null;
  if (!gateway) return `gateway '${message.gatewayId ?? ''}' no longer exists`;
  return adapters(gateway.type) ? null : `gateway type '${gateway.type}' is not available`;
}

async function send(
  deps: DispatchDeps,
  message: MessageRecord,
  gateway: GatewayRecord | null,
  facts: BatchFacts,
): Promise<SendOutcome> {
  try {
    if (gateway === null) {
      const from = message.projectId ? (facts.settings.get(message.projectId)?.emailFrom ?? null) : null;
      return await deps.mailer.send({
        messageId: message.id,
        idempotencyKey: message.idempotencyKey,
        projectId: message.projectId,
        from,
        to: message.email ?? '',
        subject: message.subject ?? '',
        text: message.text,
      });
    }
    const adapter = deps.adapters(gateway.type);
    if (!adapter) return { kind: 'rejected', detail: `gateway type '${gateway.type}' is not available` };
    return await adapter.send(gateway, {
      messageId: message.id,
      idempotencyKey: message.idempotencyKey,
      to: message.phone ?? '',
      text: message.text,
    });
  } catch (error) {
    // An adapter that throws is a bug or an unexpected failure: retry it, never lose the message.
    return { kind: 'temporary', detail: `adapter failed: ${messageOf(error)}` };
  }
}
