// An administrator's opt-out settings for one number (SPEC 5 step 2): whether it is opted out,
// and whether it may ever change that itself (`can_opt_in: false` freezes its state).
import { cleanNumber } from '../../domain/phone.ts';
import type { Deps } from '../ports/deps.ts';
import type { OptOutRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { numberKey } from './registry.ts';
import { InputError } from '../../lib/input.ts';

export interface OptOutChange {
  opted_out?: boolean;
  can_opt_in?: boolean;
}

/** A number as opt-outs key it: digits without `+`, 3 to 15 of them (short codes included). */
export function optOutNumber(raw: string, field = 'number'): string {
  const digits = cleanNumber(raw);
  if (!/^\d{3,15}$/.test(digits)) {
    throw new InputError(
      field,
      `"${raw}" is not a phone number: 3 to 15 digits, optionally with a leading + and spaces`,
    );
  }
  return digits;
}

/** The number's opt-out state; a number never seen is opted in and may opt out. */
export async function getOptOut(deps: Pick<Deps, 'store'>, raw: string): Promise<OptOutRecord> {
  const number = optOutNumber(raw);
  return (await deps.store.optOuts.get(number)) ?? { number, optedOut: false, canOptIn: true };
}

/** Changes the given fields; the others keep their value. */
export async function setOptOut(deps: Deps, raw: string, change: OptOutChange): Promise<OptOutRecord> {
  const number = optOutNumber(raw);
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    await tx.lock([numberKey(number)]);
    const current = (await tx.optOuts.get(number)) ?? { number, optedOut: false, canOptIn: true };
    const record: OptOutRecord = {
      number,
      optedOut: change.opted_out ?? current.optedOut,
      canOptIn: change.can_opt_in ?? current.canOptIn,
    };
    await tx.optOuts.put({ ...record, projectId: null }, now);
    return record;
  });
}

/**
 * The provider says the number opted out with it (Twilio 21610: it replied STOP to that
 * sender): opted out here as an inbound STOP would, without a confirmation (SPEC 3.6). A
 * number that may not change its own state (`can_opt_in: false`) is left alone.
 */
export async function optOutAtProvider(
  tx: Repos,
  number: string,
  projectId: string | null,
  now: number,
): Promise<void> {
  const current = await tx.optOuts.get(number);
  if (current && (!current.canOptIn || current.optedOut)) return;
  await tx.optOuts.put({ number, optedOut: true, canOptIn: true, projectId }, now);
}
