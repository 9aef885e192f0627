// What a browser would submit from a server-rendered form, read from the page's HTML: every
// named input, textarea and select of the form, in document order — text-like inputs and
// hidden ones with their value, checkboxes and radios only when checked, a select's selected
// option (else its first), disabled controls and buttons left out. So a test can tell what an
// edit page re-fills, and press Save on it unchanged.
import assert from 'node:assert/strict';

/** Name → value; a repeated name (checkboxes) is a list, in order. */
export type Submitted = Record<string, string | string[]>;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text with its HTML character references decoded. */
export function decode(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref.startsWith('#x') || ref.startsWith('#X')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** The attributes of a start tag (`<input a="b" c>`), decoded; a bare attribute is ''. */
function attributes(tag: string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const m of tag.matchAll(/\s([a-zA-Z_:][\w:.-]*)(?:="([^"]*)")?/g))
    if (m[1]) found[m[1].toLowerCase()] = decode(m[2] ?? '');
  return found;
}

/** The pairs a browser submits from the form posting to `action` (its submit button aside). */
export function submitted(html: string, action: string): [string, string][] {
  const forms = [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)];
  const form = forms.find((m) => attributes(m[1] ?? '').action === action);
  assert.ok(form, `no form posting to ${action} in the page`);
  const body = form[2] ?? '';
  const pairs: [string, string][] = [];
  const controls =
    /<input\b[^>]*>|<textarea\b([^>]*)>([\s\S]*?)<\/textarea>|<select\b([^>]*)>([\s\S]*?)<\/select>/g;
  for (const m of body.matchAll(controls)) {
    const whole = m[0];
    if (whole.startsWith('<input')) {
      const a = attributes(whole);
      const type = (a.type ?? 'text').toLowerCase();
      if (a.name === undefined || 'disabled' in a) continue;
      if (['submit', 'button', 'reset', 'image', 'file'].includes(type)) continue;
      if ((type === 'checkbox' || type === 'radio') && !('checked' in a)) continue;
      pairs.push([a.name, a.value ?? (type === 'checkbox' || type === 'radio' ? 'on' : '')]);
    } else if (whole.startsWith('<textarea')) {
      const a = attributes(` ${m[1] ?? ''}`);
      // A browser drops one newline just after the start tag.
      if (a.name !== undefined && !('disabled' in a))
        pairs.push([a.name, decode((m[2] ?? '').replace(/^\r?\n/, ''))]);
    } else {
      const a = attributes(` ${m[3] ?? ''}`);
      if (a.name === undefined || 'disabled' in a) continue;
      const options = [...(m[4] ?? '').matchAll(/<option\b([^>]*)>([\s\S]*?)<\/option>/g)].map((o) => ({
        own: attributes(` ${o[1] ?? ''}`),
        label: decode(o[2] ?? ''),
      }));
      const chosen = options.find((o) => 'selected' in o.own) ?? options[0];
      if (chosen) pairs.push([a.name, chosen.own.value ?? chosen.label]);
    }
  }
  return pairs;
}

/** The pairs as a form object: a name given more than once is a list. */
export function asForm(pairs: readonly [string, string][]): Submitted {
  const form: Submitted = {};
  for (const [name, value] of pairs) {
    const had = form[name];
    form[name] = had === undefined ? value : [...(Array.isArray(had) ? had : [had]), value];
  }
  return form;
}

/**
 * Asserts that the page's form carries every posted value (a checkbox group: the same values);
 * `ignore` names fields that are not the object's (the operation, `is_new`).
 */
export function assertRefilled(page: Submitted, posted: Submitted, ignore: readonly string[] = []): void {
  const list = (value: string | string[] | undefined) =>
    value === undefined ? [] : Array.isArray(value) ? value : [value];
  const differences = Object.keys(posted)
    .filter((name) => !ignore.includes(name))
    .filter((name) => JSON.stringify(list(page[name])) !== JSON.stringify(list(posted[name])))
    .map((name) => `${name}: posted ${JSON.stringify(posted[name])}, shown ${JSON.stringify(page[name])}`);
  assert.deepEqual(differences, [], `the edit page does not re-fill:\n${differences.join('\n')}`);
}
