// Gateway secrets never leave the server: answers show a gateway's config with each secret
// (Twilio's auth_token, an http gateway's secret params and headers, a password in its URL)
// replaced by MASK, and a config sent back with MASK where a secret was keeps the stored secret.
// Which strings are secret is each gateway type's to say (its secret fields and derived ones).
import { InputError, joinPath } from '../../lib/input.ts';
import type { GatewayCatalog } from '../ports/gateway-types.ts';

export const MASK = '********';

/** Keys whose values are secret in any gateway type. */
const SECRET_KEY = /token|secret|password|passwd|api[_-]?key|authorization|credential/i;

function secretsOf(catalog: GatewayCatalog, type: string, config: Record<string, unknown>): string[] {
  const gatewayType = catalog.sms(type);
  if (gatewayType === null) return [];
  try {
    return gatewayType.secretsOf(gatewayType.parseConfig(config));
  } catch {
    // A stored config that no longer parses: key names alone decide.
  }
  return [];
}

function maskValue(value: unknown, key: string, secrets: readonly string[]): unknown {
  if (typeof value === 'string') {
    if (SECRET_KEY.test(key) && value !== '') return MASK;
    let masked = value;
    for (const secret of secrets) if (secret !== '') masked = masked.split(secret).join(MASK);
    return masked;
  }
  if (Array.isArray(value)) return value.map((item) => maskValue(item, key, secrets));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, maskValue(v, SECRET_KEY.test(key) ? key : k, secrets)]),
    );
  }
  return value;
}

/** The config as answers show it. */
export function maskConfig(
  catalog: GatewayCatalog,
  type: string,
  config: Record<string, unknown>,
): Record<string, unknown> {
  const secrets = [...secretsOf(catalog, type, config)].sort((a, b) => b.length - a.length);
  return maskValue(config, '', secrets) as Record<string, unknown>;
}

function restore(incoming: unknown, masked: unknown, stored: unknown, path: string, kept: string[]): unknown {
  if (typeof incoming === 'string') {
    if (!(incoming.includes(MASK) && masked === incoming)) return incoming;
    kept.push(path);
    return stored;
  }
  if (Array.isArray(incoming)) {
    return incoming.map((item, i) =>
      restore(
        item,
        Array.isArray(masked) ? masked[i] : undefined,
        Array.isArray(stored) ? stored[i] : undefined,
        `${path}[${i}]`,
        kept,
      ),
    );
  }
  if (typeof incoming === 'object' && incoming !== null) {
    const m = typeof masked === 'object' && masked !== null ? (masked as Record<string, unknown>) : {};
    const s = typeof stored === 'object' && stored !== null ? (stored as Record<string, unknown>) : {};
    return Object.fromEntries(
      Object.entries(incoming).map(([k, v]) => [k, restore(v, m[k], s[k], joinPath(path, k), kept)]),
    );
  }
  return incoming;
}

/** The config fields that say where a gateway's requests go. */
const DESTINATION = ['url', 'base_url', 'host', 'port'] as const;

/**
 * A config sent back as it was read (with MASK) keeps the stored secrets in those places —
 * unless it sends them somewhere else: a changed `url`, `base_url`, `host` or `port` needs its
 * secrets given again (an InputError names the first one), so a project cannot redirect an
 * administrator's token to a server of its own.
 */
export function restoreSecrets(
  catalog: GatewayCatalog,
  incoming: Record<string, unknown>,
  type: string,
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> {
  if (stored === undefined) return incoming;
  const kept: string[] = [];
  const restored = restore(incoming, maskConfig(catalog, type, stored), stored, 'config', kept) as Record<
    string,
    unknown
  >;
  const moved = DESTINATION.find((field) => field in restored && restored[field] !== stored[field]);
  const first = kept[0];
  if (moved !== undefined && first !== undefined) {
    throw new InputError(
      first,
      `give the secret again: config.${moved} changed, and a stored secret never follows a gateway to a new address`,
    );
  }
  return restored;
}
