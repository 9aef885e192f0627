// Message templates (SPEC 3.5): `{case.<property>}`, `{case.name}`, `{case.owner.name}`,
// `{case.parent.<property>}`, `{case.host.<property>}`, `{recipient.name}`,
// `{recipient.first_name}`, `{recipient.last_name}`, `{recipient.phone_number}`; `{{` and `}}`
// are literal braces.
import { displayNumber } from './phone.ts';

/** A case a template reads through an index: its name and properties. */
export interface LinkedCase {
  name: string | null;
  properties: Record<string, string>;
}

export interface TemplateContext {
  /** null: the recipient is not a case (a mobile worker, or a bare phone number). */
  case:
    | (LinkedCase & {
        ownerName: string | null;
        /** The cases its `parent` and `host` indices name; absent or null: none (or deleted). */
        parent?: LinkedCase | null;
        host?: LinkedCase | null;
      })
    | null;
  /** phoneNumber is E.164 digits without '+'; it renders with '+'. firstName / lastName: the
   * contact's own (a worker's fields, a case's properties); absent or blank: from `name`. */
  recipient: {
    name: string | null;
    phoneNumber: string | null;
    firstName?: string | null;
    lastName?: string | null;
  } | null;
}

export type Rendered = { ok: true; text: string } | { ok: false; reason: string };

/** What a reference to something that does not exist renders as. */
export const MISSING = '(?)';

/**
 * Fills references in at send time. Whitespace inside braces is ignored; names are
 * case-sensitive. A lone `}` is literal; an unclosed `{` (or one opened inside another) is an
 * error whose reason gives the 1-based character position.
 */
export function renderTemplate(template: string, ctx: TemplateContext): Rendered {
  let out = '';
  let i = 0;
  while (i < template.length) {
    const ch = template[i];
    const next = template[i + 1];
    if ((ch === '{' && next === '{') || (ch === '}' && next === '}')) {
      out += ch;
      i += 2;
    } else if (ch === '{') {
      const close = template.indexOf('}', i + 1);
      const inner = template.indexOf('{', i + 1);
      if (close === -1 || (inner !== -1 && inner < close)) {
        return { ok: false, reason: `unclosed "{" at character ${i + 1}` };
      }
      out += resolve(template.slice(i + 1, close).trim(), ctx);
      i = close + 1;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { ok: true, text: out };
}

/** `Juma Hassan Ali` → `Juma` and `Hassan Ali`; a part that is not there is null. */
export function splitName(name: string | null): { first: string | null; last: string | null } {
  const words = (name ?? '')
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  return { first: words[0] ?? null, last: words.length > 1 ? words.slice(1).join(' ') : null };
}

const nonBlank = (value: string | null | undefined): string | null =>
  value !== null && value !== undefined && value.trim() !== '' ? value : null;

function linked(reference: string, c: LinkedCase | null | undefined): string {
  if (!c) return MISSING;
  if (reference === 'name') return c.name ?? MISSING;
  return Object.hasOwn(c.properties, reference) ? (c.properties[reference] ?? MISSING) : MISSING;
}

function resolve(reference: string, ctx: TemplateContext): string {
  if (reference === 'recipient.name') return ctx.recipient?.name ?? MISSING;
  if (reference === 'recipient.first_name' || reference === 'recipient.last_name') {
    const r = ctx.recipient;
    if (!r) return MISSING;
    const split = splitName(r.name);
    return reference === 'recipient.first_name'
      ? (nonBlank(r.firstName) ?? split.first ?? MISSING)
      : (nonBlank(r.lastName) ?? split.last ?? MISSING);
  }
  if (reference === 'recipient.phone_number') {
    const digits = ctx.recipient?.phoneNumber ?? null;
    return digits === null || digits === '' ? MISSING : displayNumber(digits);
  }
  if (!reference.startsWith('case.') || ctx.case === null) return MISSING;
  const c = ctx.case;
  const name = reference.slice('case.'.length);
  if (name === 'name') return c.name ?? MISSING;
  if (name === 'owner.name') return c.ownerName ?? MISSING;
  if (name.startsWith('parent.')) return linked(name.slice('parent.'.length), c.parent);
  if (name.startsWith('host.')) return linked(name.slice('host.'.length), c.host);
  return Object.hasOwn(c.properties, name) ? (c.properties[name] ?? MISSING) : MISSING;
}
