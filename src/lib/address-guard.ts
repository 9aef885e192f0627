// Which network addresses an outbound request from a tenant's gateway may not reach (SPEC 3.6
// "Outbound address guard"): loopback, private, shared (CGNAT), link-local, unique-local,
// unspecified, multicast and reserved ranges, cloud metadata services, and the names that mean
// this machine. Pure: the DNS lookup and the connection are the callers'. IPv4 is read as
// inet_aton reads it (2130706433, 0x7f.1, 017700000001 are all 127.0.0.1), because that is
// how the system resolver, and so a connection, would read them.
import { isIPv4, isIPv6 } from 'node:net';

/** Names that always mean this machine or a cloud metadata service, whatever DNS says. */
const FORBIDDEN_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'ip6-localhost',
  'ip6-loopback',
  'metadata',
  'metadata.google.internal',
  'metadata.goog',
]);

/** The cloud metadata services' own addresses (AWS, GCP, Azure, OpenStack; AWS's IPv6 one). */
const METADATA = new Set(['169.254.169.254', '169.254.170.2', 'fd00:ec2::254']);

/** IPv4 ranges as [first octets' value, prefix length, reason]. */
const V4_RANGES: readonly [number, number, string][] = [
  [ip4(0, 0, 0, 0), 8, 'unspecified'],
  [ip4(10, 0, 0, 0), 8, 'private'],
  [ip4(100, 64, 0, 0), 10, 'shared (CGNAT)'],
  [ip4(127, 0, 0, 0), 8, 'loopback'],
  [ip4(169, 254, 0, 0), 16, 'link-local'],
  [ip4(172, 16, 0, 0), 12, 'private'],
  [ip4(192, 0, 0, 0), 24, 'reserved'],
  [ip4(192, 168, 0, 0), 16, 'private'],
  [ip4(198, 18, 0, 0), 15, 'reserved'],
  [ip4(224, 0, 0, 0), 4, 'multicast'],
  [ip4(240, 0, 0, 0), 4, 'reserved'],
];

function ip4(a: number, b: number, c: number, d: number): number {
  return ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;
}

/**
 * An IPv4 literal in any form inet_aton accepts (1 to 4 parts, each decimal, 0x hex or 0 octal;
 * the last part fills the remaining bytes) as a 32-bit number, or null when it is not one.
 */
export function parseIpv4(text: string): number | null {
  const parts = text.split('.');
  if (parts.length > 4 || parts.some((part) => part === '')) return null;
  const values: number[] = [];
  for (const part of parts) {
    let value: number;
    if (/^0x[0-9a-f]*$/i.test(part)) value = part.length === 2 ? 0 : parseInt(part.slice(2), 16);
    else if (/^0[0-7]*$/.test(part)) value = parseInt(part, 8);
    else if (/^[1-9][0-9]*$/.test(part)) value = Number(part);
    else return null;
    values.push(value);
  }
  const last = values.pop() as number;
  if (values.some((v) => v > 255) || last >= 2 ** (8 * (4 - values.length))) return null;
  return values.reduce((sum, v, i) => sum + v * 2 ** (8 * (3 - i)), 0) + last;
}

/** The dotted form of a 32-bit IPv4 address. */
export function formatIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join('.');
}

/** Why an IPv4 address (32-bit number) is forbidden, or null. */
function forbiddenV4(value: number): string | null {
  if (METADATA.has(formatIpv4(value))) return 'cloud metadata';
  if (value === 0xffffffff) return 'broadcast';
  for (const [base, bits, reason] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((value & mask) >>> 0 === base) return reason;
  }
  return null;
}

/** An IPv6 literal as its eight 16-bit groups, or null. */
function ipv6Groups(text: string): number[] | null {
  if (!isIPv6(text)) return null;
  let address = text.replace(/%.*$/, '');
  // A trailing dotted IPv4 part is two groups.
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted) {
    const v4 = parseIpv4(dotted[1] as string) as number;
    address = `${address.slice(0, dotted.index)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head = '', tail] = address.split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === undefined || tail === '' ? [] : tail.split(':');
  const zeros = tail === undefined ? 0 : 8 - headGroups.length - tailGroups.length;
  return [...headGroups, ...Array<string>(zeros).fill('0'), ...tailGroups].map((g) => parseInt(g, 16));
}

/** Why an IPv6 address is forbidden, or null. */
function forbiddenV6(groups: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = groups;
  const embedded = ((g6 << 16) >>> 0) + g7;
  const leadingZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (leadingZero && g5 === 0 && g6 === 0 && g7 === 0) return 'unspecified';
  if (leadingZero && g5 === 0 && g6 === 0 && g7 === 1) return 'loopback';
  // IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) addresses reach the IPv4 one;
  // NAT64 (64:ff9b::/96) too, through the translator.
  if (leadingZero && (g5 === 0xffff || g5 === 0)) return forbiddenV4(embedded);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0)
    return forbiddenV4(embedded);
  // 6to4 (2002:a.b.c.d::/16) carries an IPv4 address in its second and third groups.
  if (g0 === 0x2002) return forbiddenV4(((g1 << 16) >>> 0) + g2);
  if (groups.map((g) => g.toString(16)).join(':') === 'fd00:ec2:0:0:0:0:0:254') return 'cloud metadata';
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'site-local';
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  return null;
}

/**
 * Why a resolved address (an IPv4 or IPv6 literal, as DNS or a connection gives it) may not be
 * connected to — 'loopback', 'private', 'cloud metadata', … — or null when it may.
 */
export function forbiddenAddress(address: string): string | null {
  if (isIPv4(address)) return forbiddenV4(parseIpv4(address) as number);
  const groups = ipv6Groups(address);
  return groups === null ? 'not an IP address' : forbiddenV6(groups);
}

/** A host as written in a config (a name, an IPv4 literal in any form, an IPv6 one with or
 *  without brackets) reduced to the canonical literal when it is one, or the lowercased name. */
export function canonicalHost(host: string): { literal: string } | { name: string } {
  const bare = host
    .trim()
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  const v4 = parseIpv4(bare);
  if (v4 !== null) return { literal: formatIpv4(v4) };
  if (isIPv6(bare)) return { literal: bare };
  return { name: bare.replace(/\.+$/, '') };
}

/**
 * Why a host as written may not be reached before any lookup — a forbidden literal or a name
 * that means this machine or a metadata service — or null when it may (a name then still has
 * to resolve to allowed addresses).
 */
export function forbiddenHost(host: string): string | null {
  const found = canonicalHost(host);
  if ('literal' in found) return forbiddenAddress(found.literal);
  if (found.name === '') return 'no host';
  if (FORBIDDEN_NAMES.has(found.name) || found.name.endsWith('.localhost')) return 'loopback';
  return null;
}

/** The host of an address field's value: a URL's host name, or the value itself (a bare host). */
export function hostOfAddress(value: string): string | null {
  if (!value.includes('://')) return value.trim() === '' ? null : value.trim();
  try {
    return new URL(value).hostname || null;
  } catch {
    return null;
  }
}
