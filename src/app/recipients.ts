// Recipients as keys ("case:ID", "mobile_worker:ID", "phone:NUMBER") for schedule instances and firings.
import type { Recipient } from './schemas.ts';

export function recipientKey(to: Recipient): string {
  if ('case' in to) return `case:${to.case}`;
  if ('mobile_worker' in to) return `mobile_worker:${to.mobile_worker}`;
  return `phone:${to.phone}`;
}

export function recipientOfKey(key: string): Recipient {
  const at = key.indexOf(':');
  const kind = key.slice(0, at);
  const id = key.slice(at + 1);
  if (kind === 'case') return { case: id };
  if (kind === 'mobile_worker') return { mobile_worker: id };
  return { phone: id };
}
