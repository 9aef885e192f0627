// The send side of the durable queue, one batch at a time: claim due messages with a lease,
// check them (SPEC 3.3) on facts read in bulk, take daily slots and rate-limit room and
// record the attempts in one short transaction, hand the messages to gateways outside any
// transaction, then store every outcome in one more. A crash leaves the lease to expire and
// the batch to be claimed again: at most the batches in hand when it died (one per dispatch
// lane, pipeline.ts) are sent twice. A batch must finish within its lease (CASELINE_LEASE_MS,
// 60 s by default), or another worker may claim and send its messages again.
import type { Deps } from '../app/ports/deps.ts';
import type { Adapters, Mailer, SendOutcome } from '../app/ports/gateway.ts';
import type { GatewayRecord, MessageRecord } from '../app/ports/records.ts';
import { allocate, checkMessage, loadFacts, type BatchFacts } from './checks.ts';
import { finishBatch, type Decision } from './finish.ts';

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

/** Claims one batch of due messages and processes it. Returns how many were claimed. */
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

  const decisions: Decision[] = [];
  const ready: MessageRecord[] = [];
  for (const message of batch) {
    const verdict = checkMessage(message, facts, now);
    const gatewayProblem = verdict.kind === 'go' ? missingGateway(message, facts, deps.adapters) : null;
    if (verdict.kind === 'fail')
      decisions.push({
        message,
        patch: { status: 'error', errorCode: verdict.code, errorText: verdict.text, dueAt: null },
      });
    else if (verdict.kind === 'wait')
      decisions.push({ message, patch: { dueAt: verdict.until, waitReason: verdict.reason } });
    else if (gatewayProblem)
      decisions.push({
        message,
        patch: { status: 'error', errorCode: 'GATEWAY_NOT_FOUND', errorText: gatewayProblem, dueAt: null },
      });
    else ready.push(message);
  }

  // Hand-off: steps 5–6 and the attempt rows, in one transaction; waits are stored with it.
  const handedOff = await store.transaction(async (tx) => {
    const allocations = await allocate(tx, ready, facts, now);
    const going: { message: MessageRecord; day: string | null }[] = [];
    allocations.forEach((allocation, i) => {
      const message = ready[i];
      if (!message) return;
      if (allocation.kind === 'go') going.push({ message, day: allocation.day });
      else decisions.push({ message, patch: { dueAt: allocation.until, waitReason: allocation.reason } });
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
    return going.map((g, i) => ({ ...g, attemptId: ids[i] ?? 0 }));
  });

  let next = 0;
  const lane = async () => {
    while (next < handedOff.length) {
      const item = handedOff[next++];
      if (!item) continue;
      const gateway = item.message.gatewayId ? (facts.gateways.get(item.message.gatewayId) ?? null) : null;
      const started = performance.now();
      const outcome = await send(deps, item.message, gateway, facts);
      deps.metrics?.observeSend(gateway?.id ?? 'email', outcome.kind, (performance.now() - started) / 1000);
      decisions.push({
        message: item.message,
        attempt: { id: item.attemptId, startedAt: now, finishedAt: deps.clock.now(), day: item.day, outcome },
        gateway,
      });
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(options.concurrency, handedOff.length)) }, lane),
  );

  await finishBatch(deps, decisions);
  return batch.length;
}

function missingGateway(message: MessageRecord, facts: BatchFacts, adapters: Adapters): string | null {
  if (message.channel !== 'sms') return null;
  const gateway = message.gatewayId ? facts.gateways.get(message.gatewayId) : undefined;
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
    return {
      kind: 'temporary',
      detail: `adapter failed: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
