// The outbound address guard at save (SPEC 3.6): a gateway saved with a project key may not
// send its requests to loopback, private, link-local, unique-local or metadata addresses —
// neither as written nor as its host name resolves now. The connection checks again after its
// own lookup (src/gateways/guarded-lookup.ts), so a name that changes later gains nothing.
import { forbiddenAddress, forbiddenHost, hostOfAddress } from '../../lib/address-guard.ts';
import { ApiError } from '../errors.ts';
import type { OutboundPolicy } from '../ports/outbound.ts';

/** Config fields that say where a gateway connects: url, base_url, host and any *_url. */
const ADDRESS_FIELD = /^(url|base_url|host)$|_url$/;

/** The config's address fields with their hosts, as `config.<field>`. */
export function addressFields(config: Record<string, unknown>): { field: string; host: string }[] {
  return Object.entries(config).flatMap(([key, value]) => {
    if (!ADDRESS_FIELD.test(key) || typeof value !== 'string') return [];
    const host = hostOfAddress(value);
    return host === null ? [] : [{ field: `config.${key}`, host }];
  });
}

function forbidden(field: string, host: string, reason: string): ApiError {
  return new ApiError(
    'GATEWAY_URL_FORBIDDEN',
    `${host} is a ${reason} address; a project's gateway may only reach public addresses (the operator can allow private ones with CASELINE_ALLOW_PRIVATE_GATEWAYS=true, or save the gateway with the admin key)`,
    field,
  );
}

/**
 * Throws GATEWAY_URL_FORBIDDEN naming the first address field whose host is, or resolves to, a
 * forbidden address. A name that does not resolve now is let through: it cannot be reached
 * either, and the connection's own check decides when it does.
 */
export async function checkGatewayAddresses(
  policy: OutboundPolicy,
  config: Record<string, unknown>,
): Promise<void> {
  if (policy.allowPrivate) return;
  for (const { field, host } of addressFields(config)) {
    const literal = forbiddenHost(host);
    if (literal !== null) throw forbidden(field, host, literal);
    let addresses: string[];
    try {
      addresses = await policy.resolve(host.replace(/^\[(.*)\]$/, '$1'));
    } catch {
      continue;
    }
    for (const address of addresses) {
      const reason = forbiddenAddress(address);
      if (reason !== null) throw forbidden(field, `${host} (${address})`, reason);
    }
  }
}
