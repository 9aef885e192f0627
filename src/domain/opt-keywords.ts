// Opt-out and opt-in words of an inbound SMS (SPEC 5 step 2).
//
// As in the original (`is_opt_message`, corehq/apps/sms/api.py) the whole message, trimmed and
// upper-cased, must equal a word: "stop please" is not an opt-out. Unlike the original, whose
// base and test gateways have no words at all, every gateway starts from the Twilio lists.

/** Opt-out words of a gateway without its own list. */
export const DEFAULT_OPT_OUT: readonly string[] = ['STOP', 'STOPALL', 'UNSUBSCRIBE', 'CANCEL', 'END', 'QUIT'];
/** Opt-in words of a gateway without its own list. */
export const DEFAULT_OPT_IN: readonly string[] = ['START', 'UNSTOP'];
/** Words that opt in silently and let the message go on (a survey answer "YES"); never replaced. */
export const PASS_THROUGH_OPT_IN: readonly string[] = ['YES'];

/**
 * A gateway's own lists (its `opt_out_keywords`, `opt_in_keywords`). A list replaces the
 * corresponding default; null, absent or empty (after dropping blank words) keeps the default —
 * the API has no other way to clear a gateway's own list.
 */
export interface OptKeywordLists {
  optOut?: readonly string[] | null;
  optIn?: readonly string[] | null;
}

export type OptKeyword = 'opt_out' | 'opt_in' | 'pass_through';

/**
 * What `text` is as an opt word, or null for any other message. Opt-out is checked first, then
 * opt-in, then the pass-through words, so a gateway listing `YES` as opt-in gets a confirmed
 * opt-in.
 */
export function classifyOptKeyword(text: string, lists: OptKeywordLists): OptKeyword | null {
  const word = normalise(text);
  if (word === '') return null;
  if (effective(lists.optOut, DEFAULT_OPT_OUT).some((keyword) => normalise(keyword) === word))
    return 'opt_out';
  if (effective(lists.optIn, DEFAULT_OPT_IN).some((keyword) => normalise(keyword) === word)) return 'opt_in';
  if (PASS_THROUGH_OPT_IN.includes(word)) return 'pass_through';
  return null;
}

/** The first opt-in word (trimmed, as written), named in the opt-out confirmation. */
export function firstOptIn(lists: OptKeywordLists): string {
  return first(effective(lists.optIn, DEFAULT_OPT_IN));
}

/** The first opt-out word (trimmed, as written), named in the opt-in confirmation. */
export function firstOptOut(lists: OptKeywordLists): string {
  return first(effective(lists.optOut, DEFAULT_OPT_OUT));
}

function effective(
  own: readonly string[] | null | undefined,
  defaults: readonly string[],
): readonly string[] {
  const words = (own ?? []).map((word) => word.trim()).filter((word) => word !== '');
  return words.length > 0 ? words : defaults;
}

function first(words: readonly string[]): string {
  return (words[0] ?? '').trim();
}

function normalise(text: string): string {
  return text.trim().toUpperCase();
}
