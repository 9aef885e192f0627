// E-mail address check (SPEC 3.1): deliberately simple, what an operator can fix by eye.
export type EmailCheck =
  { kind: 'none' } | { kind: 'valid'; address: string } | { kind: 'invalid'; reason: string };

/** Trimmed; blank is no address. Valid: one '@', a non-empty local part, a dotted domain, no whitespace. */
export function checkEmail(raw: string | null | undefined): EmailCheck {
  const address = (raw ?? '').trim();
  if (address === '') return { kind: 'none' };
  if (/\s/.test(address)) return { kind: 'invalid', reason: 'it contains a space' };
  const parts = address.split('@');
  if (parts.length !== 2) {
    return { kind: 'invalid', reason: `it must contain exactly one @ (found ${parts.length - 1})` };
  }
  const [local = '', domain = ''] = parts;
  if (local === '') return { kind: 'invalid', reason: 'nothing before the @' };
  const labels = domain.split('.');
  if (labels.length < 2) return { kind: 'invalid', reason: `the domain "${domain}" has no dot` };
  if (labels.some((label) => label === '')) {
    return { kind: 'invalid', reason: `the domain "${domain}" has an empty part between dots` };
  }
  return { kind: 'valid', address };
}
