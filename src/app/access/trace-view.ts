// What a gateway answered, as each key may read it (issue #14 finding 3): an attempt's traces
// are stored whole (the operator diagnoses with them), but a project key reads at most
// PROJECT_TRACE_BYTES of each, so a gateway pointed somewhere it should not reach would not
// read back much of what it found there.
import type { AttemptRow } from '../ports/read-model.ts';
import type { Principal } from './keys.ts';

/** The most of a request or response trace a project key reads, in UTF-8 bytes. */
export const PROJECT_TRACE_BYTES = 512;

const MARK = ' …[cut]';

/** `text` cut to at most `limit` UTF-8 bytes with a mark saying so, never inside a character. */
export function cutToBytes(text: string, limit: number): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= limit) return text;
  const room = limit - Buffer.byteLength(MARK, 'utf8');
  // A multi-byte character cut at its middle decodes as U+FFFD: leave it out.
  const head = bytes
    .subarray(0, Math.max(0, room))
    .toString('utf8')
    .replace(/\uFFFD+$/, '');
  return `${head}${MARK}`;
}

/** The attempt as `principal` may read it: whole for the admin key, traces capped otherwise. */
export function attemptFor<A extends Pick<AttemptRow, 'requestTrace' | 'responseTrace'>>(
  principal: Principal | null,
  attempt: A,
): A {
  if (principal?.kind === 'admin') return attempt;
  const cap = (trace: string | null) => (trace === null ? null : cutToBytes(trace, PROJECT_TRACE_BYTES));
  return { ...attempt, requestTrace: cap(attempt.requestTrace), responseTrace: cap(attempt.responseTrace) };
}
