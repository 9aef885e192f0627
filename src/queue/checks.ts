// The checks a due message passes before it is handed over (SPEC 3.3 steps 1–6), in order.
// The rules are pure functions of domain/; this file gathers their facts for a whole batch
// in a few queries, and allocates daily slots and rate-limit room inside the hand-off.
import { refKey, type GatewayRecord, type MessageRecord, type OptOutRecord } from '../app/ports/records.ts';
import { type Repos, type Store } from '../app/ports/store.ts';
import { effectiveSettings, type EffectiveSettings } from '../app/projects/settings.ts';
import type { ErrorCode } from '../domain/errors.ts';
import { rateLimitWait } from '../domain/limits.ts';
import { isoDate, localDate, nextLocalMidnight } from '../domain/localtime.ts';
import { isStale } from '../domain/retry.ts';
import { nextWindowOpening } from '../domain/windows.ts';

export type WaitReason = 'window' | 'daily_limit' | 'rate_limit';

export type Verdict =
  | { kind: 'fail'; code: ErrorCode; text: string }
  | { kind: 'wait'; until: number; reason: WaitReason }
  | { kind: 'go' };

/** What the checks need to know about one batch, read in a handful of queries. */
export interface BatchFacts {
  settings: Map<string, EffectiveSettings>;
  gateways: Map<string, GatewayRecord>;
  active: Set<string>;
  optedOut: Map<string, OptOutRecord>;
}

export async function loadFacts(store: Store, batch: readonly MessageRecord[]): Promise<BatchFacts> {
  const projectIds = [...new Set(batch.map((m) => m.projectId).filter((p): p is string => p !== null))];
  const gatewayIds = [...new Set(batch.map((m) => m.gatewayId).filter((g): g is string => g !== null))];
  const refs = batch.flatMap((m) =>
    m.contact && m.projectId ? [{ projectId: m.projectId, ...m.contact }] : [],
  );
  const phones = batch.flatMap((m) => (m.channel === 'sms' && m.phone ? [m.phone] : []));
  const [projects, gateways, active, optedOut] = await Promise.all([
    Promise.all(projectIds.map((id) => store.projects.get(id))),
    Promise.all(gatewayIds.map((id) => store.gateways.get(id))),
    store.activeContacts(refs),
    store.optOuts.optedOut(phones),
  ]);
  return {
    settings: new Map(projects.flatMap((p) => (p ? [[p.id, effectiveSettings(p.settings)] as const] : []))),
    gateways: new Map(gateways.flatMap((g) => (g ? [[g.id, g] as const] : []))),
    active,
    optedOut,
  };
}

const isSms = (message: MessageRecord) => message.channel === 'sms';
/** Replies to an inbound message (and opt confirmations) ignore restricted sending times. */
const isReply = (message: MessageRecord) => message.kind === 'reply' || message.kind === 'opt_confirmation';

/** Steps 1–4: stale, inactive, opted out, restricted times. */
export function checkMessage(message: MessageRecord, facts: BatchFacts, now: number): Verdict {
  if (isStale(message.createdAt, now))
    return { kind: 'fail', code: 'MESSAGE_IS_STALE', text: 'queued more than 7 days ago' };
  if (
    message.contact &&
    message.projectId &&
    !facts.active.has(refKey({ projectId: message.projectId, ...message.contact }))
  ) {
    return {
      kind: 'fail',
      code: 'CONTACT_IS_INACTIVE',
      text: 'the contact was closed, deleted or deactivated after the message was queued',
    };
  }
  if (isSms(message) && message.phone) {
    const optOut = facts.optedOut.get(message.phone);
    const exempt = message.kind === 'opt_confirmation' && (optOut?.canOptIn ?? true);
    if (optOut && !exempt)
      return { kind: 'fail', code: 'PHONE_NUMBER_OPTED_OUT', text: `+${message.phone} has opted out` };
  }
  const settings = message.projectId ? facts.settings.get(message.projectId) : undefined;
  if (isSms(message) && settings && !isReply(message)) {
    const opening = nextWindowOpening(now, settings.restrictedTimes, settings.timeZone ?? 'UTC');
    if (opening !== null) return { kind: 'wait', until: opening, reason: 'window' };
  }
  return { kind: 'go' };
}

export type Allocation =
  { kind: 'wait'; until: number; reason: WaitReason } | { kind: 'go'; day: string | null };

/**
 * Steps 5–6, inside the hand-off transaction, for the messages that passed 1–4, in order: a
 * daily slot of the project's local day (SMS with a project), then room under the gateway's
 * rate limit. The keys are locked so concurrent workers allocate one after the other.
 */
export async function allocate(
  tx: Repos,
  messages: readonly MessageRecord[],
  facts: BatchFacts,
  now: number,
): Promise<Allocation[]> {
  const result: Allocation[] = messages.map(() => ({ kind: 'go', day: null }));

  const daily = new Map<
    string,
    { projectId: string; day: string; limit: number; zone: string; indexes: number[] }
  >();
  messages.forEach((message, i) => {
    const settings = message.projectId ? facts.settings.get(message.projectId) : undefined;
    if (!isSms(message) || !message.projectId || !settings) return;
    // A reply to an unknown number is listed with the gateway's project but counts only
    // towards the rate limit (SPEC 5).
    if (isReply(message) && message.contact === null) return;
    const zone = settings.timeZone ?? 'UTC';
    const day = isoDate(localDate(now, zone));
    const key = `daily:${message.projectId}:${day}`;
    const group = daily.get(key) ?? {
      projectId: message.projectId,
      day,
      limit: settings.dailySmsLimit,
      zone,
      indexes: [],
    };
    group.indexes.push(i);
    daily.set(key, group);
  });
  const limited = [...facts.gateways.values()].filter(
    (g) => g.rateLimitPerMinute !== null && messages.some((m) => m.gatewayId === g.id),
  );
  await tx.lock([...daily.keys(), ...limited.map((g) => `gateway:${g.id}`)]);

  for (const group of daily.values()) {
    const granted = await tx.limits.reserveDaily(
      group.projectId,
      group.day,
      group.limit,
      group.indexes.length,
    );
    group.indexes.forEach((index, n) => {
      result[index] =
        n < granted
          ? { kind: 'go', day: group.day }
          : { kind: 'wait', until: nextLocalMidnight(now, group.zone), reason: 'daily_limit' };
    });
  }

  // Slots taken for messages the rate limit now holds back are given back, per project and day.
  const giveBack = new Map<string, { projectId: string; day: string; count: number }>();
  for (const gateway of limited) {
    const limit = gateway.rateLimitPerMinute ?? Infinity;
    const starts = await tx.messages.recentAttemptStarts(gateway.id, now - 60_000, now, limit);
    messages.forEach((message, i) => {
      const slot = result[i];
      if (message.gatewayId !== gateway.id || slot?.kind !== 'go') return;
      const until = rateLimitWait(starts, now, limit);
      if (until === null) {
        starts.push(now);
        return;
      }
      result[i] = { kind: 'wait', until, reason: 'rate_limit' };
      if (slot.day && message.projectId) {
        const key = `${message.projectId}\u0000${slot.day}`;
        const entry = giveBack.get(key) ?? { projectId: message.projectId, day: slot.day, count: 0 };
        entry.count++;
        giveBack.set(key, entry);
      }
    });
  }
  for (const { projectId, day, count } of giveBack.values())
    await tx.limits.releaseDaily(projectId, day, count);
  return result;
}
