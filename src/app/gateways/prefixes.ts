// Prefix mappings as objects of their own (SPEC 3.2, 7): a prefix maps the numbers that start
// with it to one gateway of an owner (a project, or null for the global gateways). They are
// stored with their gateway (its `prefixes`); mapping a prefix moves it from the owner's
// gateway that had it, in one transaction.
import { InputError } from '../../lib/input.ts';
import { notFound } from '../errors.ts';
import type { Deps } from '../ports/deps.ts';
import type { GatewayRecord } from '../ports/records.ts';

const owned = (owner: string | null) => (owner === null ? 'the global gateways' : `project '${owner}'`);

/** Maps `prefix` to the owner's gateway `gatewayId`; returns that gateway. */
export async function mapPrefix(
  deps: Deps,
  owner: string | null,
  prefix: string,
  gatewayId: string,
): Promise<GatewayRecord> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const gateways = await tx.gateways.ownedBy(owner);
    const target = gateways.find((g) => g.id === gatewayId);
    if (!target) throw new InputError('gateway', `no gateway '${gatewayId}' of ${owned(owner)}`);
    const holder = gateways.find((g) => g.prefixes.includes(prefix));
    if (holder?.id === target.id) return target;
    if (holder)
      await tx.gateways.put({ ...holder, prefixes: holder.prefixes.filter((p) => p !== prefix) }, now);
    const record = { ...target, prefixes: [...target.prefixes, prefix].sort() };
    await tx.gateways.put(record, now);
    return record;
  });
}

/** Removes the mapping of `prefix`; 404 when the owner has none. */
export async function unmapPrefix(deps: Deps, owner: string | null, prefix: string): Promise<void> {
  const now = deps.clock.now();
  await deps.store.transaction(async (tx) => {
    const holder = (await tx.gateways.ownedBy(owner)).find((g) => g.prefixes.includes(prefix));
    if (!holder) throw notFound(`no prefix ${prefix} in ${owned(owner)}`);
    await tx.gateways.put({ ...holder, prefixes: holder.prefixes.filter((p) => p !== prefix) }, now);
  });
}
