// Text cleaning and SMS segment counting (SPEC 3.3).

const REPLACEMENTS: ReadonlyArray<[RegExp, string]> = [
  [/[\u2018\u2019]/g, "'"],
  [/[\u201C\u201D]/g, '"'],
  [/[\u2013\u2014]/g, '-'],
  [/\u2026/g, '...'],
];

/** Typographic quotes, dashes and the ellipsis become their ASCII forms (SPEC 3.3, `normalize_text`). */
export function cleanText(text: string): string {
  return REPLACEMENTS.reduce((t, [pattern, plain]) => t.replace(pattern, plain), text);
}

// GSM 03.38 default alphabet (one septet each) and its extension table (escape + char, two
// septets). The extension table also holds form feed, which the SPEC's list leaves out.
const GSM_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM_EXTENDED = new Set('^{}\\[]~|€\f');

export type Encoding = 'GSM-7' | 'UCS-2';

export interface Segments {
  encoding: Encoding;
  /** GSM-7 septets, or UTF-16 code units for UCS-2 (a character outside the BMP is 2). */
  units: number;
  /** Parts the message travels in: 1 for empty text (0 units), as for any short message. */
  segments: number;
}

const LIMITS: Record<Encoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

/**
 * Segments as a gateway bills them. Parts are filled greedily and a two-unit character (a GSM
 * escape sequence, a UTF-16 surrogate pair) is never split across two parts, so a part can end
 * one unit short of 153 or 67 when such a character falls on the boundary.
 */
export function countSegments(text: string): Segments {
  const chars = [...text];
  const gsm = chars.every((c) => GSM_BASIC.has(c) || GSM_EXTENDED.has(c));
  const encoding: Encoding = gsm ? 'GSM-7' : 'UCS-2';
  const sizes = chars.map((c) => (gsm ? (GSM_EXTENDED.has(c) ? 2 : 1) : c.length));
  const units = sizes.reduce((a, b) => a + b, 0);
  const { single, part } = LIMITS[encoding];
  if (units <= single) return { encoding, units, segments: 1 };
  let segments = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      segments += 1;
      used = 0;
    }
    used += size;
  }
  return { encoding, units, segments };
}
