// The outbound address guard at connection time (SPEC 3.6): the address checked is the one
// connected to. A guarded connection resolves its host through guardedLookup, which refuses
// when any address the name resolves to is forbidden, so a name that changed after it was
// saved (DNS rebinding) reaches nothing private; a literal IP (which a connection never looks
// up) is checked before connecting. Which sends are guarded: those of gateways a project key
// saved, unless the operator lifted the guard (createAdapters decides; outboundScope carries it
// down to the HTTP client without every provider type passing it along).
import { AsyncLocalStorage } from 'node:async_hooks';
import dns, { type LookupAddress, type LookupOptions } from 'node:dns';
import { forbiddenAddress, forbiddenHost } from '../lib/address-guard.ts';

/** A connection the guard refused: permanent (the address will not become allowed by retrying). */
export class ForbiddenAddressError extends Error {
  override name = 'ForbiddenAddressError';
  readonly code = 'EFORBIDDENADDRESS';
}

/** While a guarded gateway's send runs: true. */
export const outboundScope = new AsyncLocalStorage<boolean>();

const refusal = (host: string, address: string, reason: string) =>
  new ForbiddenAddressError(
    `refused to connect to ${host}${address === host ? '' : ` (${address})`}: a ${reason} address, which a project's gateway may not reach (CASELINE_ALLOW_PRIVATE_GATEWAYS, or the admin key saving the gateway, allows it)`,
  );

/** Throws ForbiddenAddressError when `host` as written is forbidden (a literal or a local name). */
export function checkHostLiteral(host: string): void {
  const reason = forbiddenHost(host);
  if (reason !== null) throw refusal(host, host, reason);
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/** dns.lookup as net.connect calls it, refusing forbidden addresses. */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    for (const { address } of addresses) {
      const reason = forbiddenAddress(address);
      if (reason !== null) return callback(refusal(hostname, address, reason), []);
    }
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first)
      return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}
