// Removing a gateway. Its prefixes and shares go with it; messages already queued through it
// fail when due (the gateway cannot be found), and the log keeps its id. A gateway that open
// cases name (contact_backend_id) or that another gateway falls back to is in use: deleting it
// answers 409 with what uses it (SPEC 7).
import type { UsedBy } from '../../domain/usage.ts';
import { InUseError } from '../errors.ts';
import type { GatewayRecord } from '../ports/records.ts';
import type { GatewayRemoval, Store } from '../ports/store.ts';

/** Users listed at most. */
const USERS_SHOWN = 50;

/**
 * What uses a gateway, as `viewer` may see it (a project key's project, or null for the admin):
 * the viewer's own cases by id; another project's cases only as that project (the admin sees
 * `project/case`), never another project's data.
 */
export async function gatewayUsers(
  store: Store,
  gateway: GatewayRecord,
  viewer: string | null,
): Promise<UsedBy[]> {
  const projects = gateway.owner === null ? null : [gateway.owner, ...gateway.sharedWith];
  const cases = await store.usage.casesNamingGateway(gateway.name, projects, USERS_SHOWN);
  const users: UsedBy[] = [];
  const seen = new Set<string>();
  const add = (user: UsedBy) => {
    const key = `${user.kind}\u0000${user.id}`;
    if (!seen.has(key)) users.push(user);
    seen.add(key);
  };
  for (const ref of cases) {
    if (viewer === null)
      add({ kind: 'case', id: ref.projectId === gateway.owner ? ref.id : `${ref.projectId}/${ref.id}` });
    else
      add(ref.projectId === viewer ? { kind: 'case', id: ref.id } : { kind: 'project', id: ref.projectId });
  }
  for (const id of await store.usage.gatewaysFallingBackTo(gateway.id)) {
    const other = await store.gateways.get(id);
    const mine = viewer === null || other?.owner === viewer;
    add(mine ? { kind: 'gateway', id } : { kind: 'project', id: other?.owner ?? 'global' });
  }
  return users;
}

/**
 * Deletes a gateway of `owner`; `owner` undefined deletes whichever owner it has (the admin's
 * global route). Returns false when no such gateway exists for that owner; throws InUseError
 * when something uses it. `viewer`: whose eyes the users are named for (null: the admin).
 */
export async function deleteGateway(
  deps: { store: Store; gatewayRemoval: GatewayRemoval },
  id: string,
  owner?: string | null,
  viewer: string | null = owner ?? null,
): Promise<boolean> {
  const current = await deps.store.gateways.get(id);
  if (!current) return false;
  if (owner !== undefined && current.owner !== owner) return false;
  const users = await gatewayUsers(deps.store, current, viewer);
  if (users.length > 0) throw new InUseError(`gateway '${id}'`, users);
  return deps.gatewayRemoval.remove(id, current.owner);
}
