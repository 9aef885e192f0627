// Text as both databases can store it, with the same result on each. PostgreSQL refuses NUL in
// a text value ("invalid byte sequence for encoding UTF8: 0x00") and so fails the whole
// statement; an unpaired UTF-16 surrogate has no UTF-8 form, so each driver substitutes its own
// guess on the way in. A gateway's answer (traces, details, ids), an inbound text or a
// rendered message can carry either, and a write that fails on one row fails its whole batch.

/** U+FFFD, what a UTF-8 encoder writes for a surrogate without its pair. */
const REPLACEMENT = '\uFFFD';
/** The Control Pictures block: U+2400 + n is the visible symbol of C0 control n (␀ for NUL). */
const CONTROL_PICTURES = 0x2400;

/**
 * `text` with every C0 control character other than tab, line feed and carriage return
 * replaced by its visible symbol (NUL → ␀), and every unpaired surrogate by U+FFFD. One
 * character stands for one, so a trace keeps its shape; text without them is returned as is.
 */
export function storableText(text: string): string;
export function storableText(text: string | null): string | null;
export function storableText(text: string | null): string | null {
  if (text === null) return null;
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    let replacement: string;
    if (code < 0x20) {
      if (code === 0x09 || code === 0x0a || code === 0x0d) continue;
      replacement = String.fromCharCode(CONTROL_PICTURES + code);
    } else if (code >= 0xd800 && code <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      replacement = REPLACEMENT;
    } else if (code >= 0xdc00 && code <= 0xdfff) {
      replacement = REPLACEMENT;
    } else {
      continue;
    }
    out += text.slice(from, i) + replacement;
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}
