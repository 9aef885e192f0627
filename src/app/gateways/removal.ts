// Removing a gateway. Its prefixes and shares go with it; messages already queued through it
// fail when due (the gateway cannot be found), and the log keeps its id.
import type { GatewayRemoval, Store } from '../ports/store.ts';

/**
 * Deletes a gateway of `owner`; `owner` undefined deletes whichever owner it has (the admin's
 * global route). Returns false when no such gateway exists for that owner.
 */
export async function deleteGateway(
  deps: { store: Store; gatewayRemoval: GatewayRemoval },
  id: string,
  owner?: string | null,
): Promise<boolean> {
  const current = await deps.store.gateways.get(id);
  if (!current) return false;
  if (owner !== undefined && current.owner !== owner) return false;
  return deps.gatewayRemoval.remove(id, current.owner);
}
