// SMPP text encoding (SPEC 3.6, reference/dependencies.md §7): GSM-7 text travels with
// data_coding 0, one septet per octet (unpacked, as SMPP carries it); any other text as UCS-2
// (data_coding 8, UTF-16BE). Always set explicitly: smpp@0.5.1 left to itself picks a coding
// per PDU and mixed them within one long message. A long text is split here, with a UDH
// `05 00 03 ref total seq` in front of each part, into exactly as many parts as
// countSegments (src/domain/text.ts) counts: parts are filled the same greedy way, never
// splitting an escape sequence or a surrogate pair.
import { countSegments } from '../../domain/text.ts';

/** GSM 03.38 default alphabet, in code order (0x00–0x7F). */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table: character → code after the escape 0x1B. */
const GSM_EXTENDED: Record<string, number> = {
  '\f': 0x0a,
  '^': 0x14,
  '{': 0x28,
  '}': 0x29,
  '\\': 0x2f,
  '[': 0x3c,
  '~': 0x3d,
  ']': 0x3e,
  '|': 0x40,
  '€': 0x65,
};
const BASIC_CODE = new Map([...GSM_BASIC].map((c, i) => [c, i]));
const EXTENDED_CHAR = new Map(Object.entries(GSM_EXTENDED).map(([c, code]) => [code, c]));

export const DATA_CODING = { GSM: 0, UCS2: 8 } as const;

/** One character's bytes in the message's coding. */
function charBytes(char: string, gsm: boolean): number[] {
  if (!gsm) {
    const bytes: number[] = [];
    for (let i = 0; i < char.length; i++) {
      const unit = char.charCodeAt(i);
      bytes.push(unit >> 8, unit & 0xff);
    }
    return bytes;
  }
  const basic = BASIC_CODE.get(char);
  if (basic !== undefined) return [basic];
  const extended = GSM_EXTENDED[char];
  // countSegments already decided the text is GSM-7, so every character is in one table.
  return extended === undefined ? [0x20] : [0x1b, extended];
}

export interface Encoded {
  dataCoding: number;
  /** Each part's short_message: the UDH (for a long text) and the encoded characters. */
  parts: Buffer[];
  /** True when the parts carry a UDH (esm_class 0x40). */
  udh: boolean;
}

/** The text as SMPP parts; `reference` (0–255) ties the parts of one long text together. */
export function encodeForSmpp(text: string, reference: number): Encoded {
  const { encoding, segments } = countSegments(text);
  const gsm = encoding === 'GSM-7';
  const dataCoding = gsm ? DATA_CODING.GSM : DATA_CODING.UCS2;
  const chars = [...text].map((c) => charBytes(c, gsm));
  if (segments === 1) return { dataCoding, parts: [Buffer.from(chars.flat())], udh: false };
  // Units per part: septets for GSM-7, UTF-16 code units (2 bytes each) for UCS-2.
  const limit = gsm ? 153 : 67;
  const unitsOf = (bytes: number[]) => (gsm ? bytes.length : bytes.length / 2);
  const bodies: number[][] = [[]];
  let used = 0;
  for (const bytes of chars) {
    const units = unitsOf(bytes);
    if (used + units > limit) {
      bodies.push([]);
      used = 0;
    }
    bodies[bodies.length - 1]?.push(...bytes);
    used += units;
  }
  const total = bodies.length;
  const parts = bodies.map((body, i) =>
    Buffer.from([0x05, 0x00, 0x03, reference & 0xff, total, i + 1, ...body]),
  );
  return { dataCoding, parts, udh: true };
}

/** Text from a short_message's bytes (without UDH) in its data_coding; GSM-7 unpacked. */
export function decodeSmpp(bytes: Buffer, dataCoding: number): string {
  const coding = dataCoding & 0x0f;
  if (coding === DATA_CODING.UCS2) return Buffer.from(bytes).swap16().toString('utf16le');
  if (coding === 3) return bytes.toString('latin1');
  let text = '';
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i] ?? 0;
    if (byte === 0x1b && i + 1 < bytes.length) {
      text += EXTENDED_CHAR.get(bytes[++i] ?? 0) ?? ' ';
    } else text += GSM_BASIC[byte & 0x7f] ?? ' ';
  }
  return text;
}

/** The concatenation header of a UDH (8-bit IE 0x00 or 16-bit IE 0x08), or null. */
export function concatenation(udh: Buffer): { reference: number; total: number; sequence: number } | null {
  let at = 1;
  const end = Math.min(udh.length, (udh[0] ?? 0) + 1);
  while (at + 1 < end) {
    const id = udh[at] ?? 0;
    const length = udh[at + 1] ?? 0;
    const data = udh.subarray(at + 2, at + 2 + length);
    if (id === 0x00 && length === 3)
      return { reference: data[0] ?? 0, total: data[1] ?? 0, sequence: data[2] ?? 0 };
    if (id === 0x08 && length === 4)
      return {
        reference: ((data[0] ?? 0) << 8) | (data[1] ?? 0),
        total: data[2] ?? 0,
        sequence: data[3] ?? 0,
      };
    at += 2 + length;
  }
  return null;
}
