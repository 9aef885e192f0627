// Storing a gateway as the API and the console receive it: the type's config checked against
// the type (a config sent back with masked secrets keeps the stored ones), its addresses (a
// project's may not reach private networks, SPEC 3.6), then ownership, defaults and prefixes
// (putGateway). The bounds of the numbers are the request schema's (schemas.ts), which both
// the API and the console parse the body with before they get here.
import { randomBytes } from 'node:crypto';
import { alternatives, InputError } from '../../lib/input.ts';
import type { Deps } from '../ports/deps.ts';
import type { GatewayCatalog } from '../ports/gateway-types.ts';
import type { OutboundPolicy } from '../ports/outbound.ts';
import type { GatewayRecord } from '../ports/records.ts';
import { checkGatewayAddresses } from './address-check.ts';
import { putGateway } from './gateways.ts';
import type { GatewayBody } from './schemas.ts';
import { restoreSecrets } from './secrets.ts';

/** Who saves a gateway: the admin key's gateways are trusted (any address, no guard when
 *  connecting); a project key's are checked, and a project re-saving an admin's gateway makes
 *  it the project's, checked like any other. */
export type SavedBy = 'admin' | 'project';

/** Checks what putGateway cannot (the type's config, addresses) and stores the gateway. */
export async function storeGateway(
  deps: Deps & { gatewayTypes: GatewayCatalog; outbound: OutboundPolicy },
  id: string,
  body: GatewayBody,
  current: GatewayRecord | null,
  savedBy: SavedBy,
): Promise<GatewayRecord> {
  const typeName = body.type ?? current?.type ?? 'test';
  const type = deps.gatewayTypes.sms(typeName);
  if (type === null) {
    const names = deps.gatewayTypes.types.filter((t) => t.channel === 'sms').map((t) => `'${t.name}'`);
    throw new InputError('type', `must be ${alternatives(names)}`);
  }
  const given =
    body.config !== undefined
      ? restoreSecrets(deps.gatewayTypes, body.config, typeName, current?.config)
      : (current?.config ?? {});
  const config = type.parseConfig(given);
  if (savedBy === 'project') await checkGatewayAddresses(deps.outbound, config);
  // A new gateway without an inbound secret gets a random one (the create answer shows it once).
  const inboundSecret =
    body.inbound_secret ?? (current === null ? randomBytes(24).toString('base64url') : undefined);
  return putGateway(
    deps,
    id,
    { ...body, config, ...(inboundSecret === undefined ? {} : { inbound_secret: inboundSecret }) },
    { trusted: savedBy === 'admin' },
  );
}
