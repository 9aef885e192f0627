// Message templates (SPEC 3.5): `{case.<property>}`, `{case.name}`, `{case.owner.name}`,
// `{recipient.name}`, `{recipient.phone_number}`; `{{` and `}}` are literal braces.
import { displayNumber } from './phone.ts';

export interface TemplateContext {
  /** null: the recipient is not a case (a mobile worker, or a bare phone number). */
  case: { name: string | null; properties: Record<string, string>; ownerName: string | null } | null;
  /** phoneNumber is E.164 digits without '+'; it renders with '+'. */
  recipient: { name: string | null; phoneNumber: string | null } | null;
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

function resolve(reference: string, ctx: TemplateContext): string {
  if (reference === 'recipient.name') return ctx.recipient?.name ?? MISSING;
  if (reference === 'recipient.phone_number') {
    const digits = ctx.recipient?.phoneNumber ?? null;
    return digits === null || digits === '' ? MISSING : displayNumber(digits);
  }
  if (!reference.startsWith('case.') || ctx.case === null) return MISSING;
  const c = ctx.case;
  const name = reference.slice('case.'.length);
  if (name === 'name') return c.name ?? MISSING;
  if (name === 'owner.name') return c.ownerName ?? MISSING;
  return Object.hasOwn(c.properties, name) ? (c.properties[name] ?? MISSING) : MISSING;
}
