// The checks a due message passes before it is handed over (SPEC 3.3 steps 1–6), in order.
// Each rule is a pure function of domain/; this file gathers the facts they need.
import type { MessageRecord, Repos, Store } from '../app/ports.ts';
import { effectiveSettings, type EffectiveSettings } from '../app/settings.ts';
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

/** Project settings looked up once per batch. */
export class SettingsCache {
  private readonly cache = new Map<string, Promise<EffectiveSettings | null>>();
  constructor(private readonly store: Store) {}
  get(projectId: string | null): Promise<EffectiveSettings | null> {
    if (projectId === null) return Promise.resolve(null);
    let found = this.cache.get(projectId);
    if (!found) {
      found = this.store.projects.get(projectId).then((p) => (p ? effectiveSettings(p.settings) : null));
      this.cache.set(projectId, found);
    }
    return found;
  }
}

const isSms = (message: MessageRecord) => message.channel === 'sms';
/** Replies to an inbound message (and opt confirmations) ignore restricted sending times. */
const isReply = (message: MessageRecord) => message.kind === 'reply' || message.kind === 'opt_confirmation';

/** Steps 1–4: stale, inactive, opted out, restricted times. Reads only. */
export async function checkMessage(store: Store, message: MessageRecord, settings: EffectiveSettings | null, now: number): Promise<Verdict> {
  if (isStale(message.createdAt, now)) return { kind: 'fail', code: 'MESSAGE_IS_STALE', text: 'queued more than 7 days ago' };
  if (message.contact && message.projectId) {
    const active =
      message.contact.kind === 'case'
        ? await store.cases.get(message.projectId, message.contact.id).then((c) => !!c && !c.closed && !c.deleted)
        : await store.workers.get(message.projectId, message.contact.id).then((w) => !!w && w.active);
    if (!active) return { kind: 'fail', code: 'CONTACT_IS_INACTIVE', text: 'the contact was closed, deleted or deactivated after the message was queued' };
  }
  if (isSms(message) && message.phone) {
    const optOut = await store.optOuts.get(message.phone);
    const exempt = message.kind === 'opt_confirmation' && (optOut?.canOptIn ?? true);
    if (optOut?.optedOut && !exempt) return { kind: 'fail', code: 'PHONE_NUMBER_OPTED_OUT', text: `+${message.phone} has opted out` };
  }
  if (isSms(message) && settings && !isReply(message)) {
    const opening = nextWindowOpening(now, settings.restrictedTimes, settings.timeZone ?? 'UTC');
    if (opening !== null) return { kind: 'wait', until: opening, reason: 'window' };
  }
  return { kind: 'go' };
}

export interface Slot {
  /** The project-local day whose daily slot this send holds, to give back if it fails. */
  day: string | null;
}

/**
 * Steps 5–6 inside the hand-off transaction: takes a daily slot for the project and checks the
 * gateway's rate limit (serialised per gateway), or says how long to wait.
 */
export async function reserve(
  tx: Repos,
  message: MessageRecord,
  settings: EffectiveSettings | null,
  rateLimit: number | null,
  now: number,
): Promise<{ kind: 'wait'; until: number; reason: WaitReason } | ({ kind: 'go' } & Slot)> {
  let day: string | null = null;
  if (isSms(message) && message.projectId && settings) {
    const zone = settings.timeZone ?? 'UTC';
    day = isoDate(localDate(now, zone));
    if (!(await tx.limits.reserveDaily(message.projectId, day, settings.dailySmsLimit))) {
      return { kind: 'wait', until: nextLocalMidnight(now, zone), reason: 'daily_limit' };
    }
  }
  if (rateLimit !== null && message.gatewayId) {
    await tx.lock([`gateway:${message.gatewayId}`]);
    const starts = await tx.messages.recentAttemptStarts(message.gatewayId, now - 60_000, now, rateLimit);
    const until = rateLimitWait(starts, now, rateLimit);
    if (until !== null) {
      if (day && message.projectId) await tx.limits.releaseDaily(message.projectId, day);
      return { kind: 'wait', until, reason: 'rate_limit' };
    }
  }
  return { kind: 'go', day };
}
