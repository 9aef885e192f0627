// Configuring gateways: ownership, the one default per owner, prefixes and sharing (SPEC 3.2).
import type { Deps } from '../ports/deps.ts';
import type { GatewayRecord } from '../ports/records.ts';
import type { GatewayBody } from './schemas.ts';
import { InputError } from '../../lib/input.ts';
import { isCountryCode } from '../../domain/phone.ts';

const GATEWAY_ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/**
 * Creates or replaces a gateway; fields not given keep their stored value (or the default).
 * `trusted` (default true: the operator's own tools, scenarios, the admin key) exempts its
 * addresses from the outbound guard; a project key's save passes false (storeGateway).
 */
export async function putGateway(
  deps: Deps,
  id: string,
  body: GatewayBody,
  options: { trusted?: boolean } = {},
): Promise<GatewayRecord> {
  if (!GATEWAY_ID.test(id))
    throw new InputError('id', 'a gateway id is 1 to 63 letters, digits, dots, dashes or underscores');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const current = await tx.gateways.get(id);
    const owner = body.project !== undefined ? body.project : (current?.owner ?? null);
    if (owner !== null && !(await tx.projects.get(owner)))
      throw new InputError('project', `no project '${owner}'`);
    for (const [i, project] of (body.shared_with ?? []).entries()) {
      if (!(await tx.projects.get(project)))
        throw new InputError(`shared_with[${i}]`, `no project '${project}'`);
    }
    const record: GatewayRecord = {
      id,
      name: body.name ?? current?.name ?? id,
      owner,
      type: body.type ?? current?.type ?? 'test',
      config: body.config ?? current?.config ?? {},
      isDefault: body.default ?? current?.isDefault ?? false,
      prefixes: [...new Set(body.prefixes ?? current?.prefixes ?? [])],
      sharedWith: [...new Set(body.shared_with ?? current?.sharedWith ?? [])],
      rateLimitPerMinute: body.rate_limit_per_minute ?? current?.rateLimitPerMinute ?? null,
      maxAttempts: body.max_attempts ?? current?.maxAttempts ?? 3,
      retryMinutes: body.retry_minutes ?? current?.retryMinutes ?? 5,
      optOutKeywords: body.opt_out_keywords ?? current?.optOutKeywords ?? null,
      optInKeywords: body.opt_in_keywords ?? current?.optInKeywords ?? null,
      inboundSecret: body.inbound_secret ?? current?.inboundSecret ?? null,
      defaultCountry:
        body.default_country !== undefined
          ? (body.default_country?.toUpperCase() ?? null)
          : (current?.defaultCountry ?? null),
      trusted: options.trusted ?? true,
    };
    if (record.defaultCountry && !isCountryCode(record.defaultCountry))
      throw new InputError('default_country', `'${record.defaultCountry}' is not a known country code`);
    // A project's gateways read national numbers with the project's default_country.
    if (record.owner !== null && record.defaultCountry)
      throw new InputError(
        'default_country',
        "only a global gateway has its own default_country; a project's gateways use the project's",
      );
    const siblings = (await tx.gateways.ownedBy(owner)).filter((g) => g.id !== id);
    const nameKey = record.name.trim().toUpperCase();
    if (siblings.some((g) => g.name.trim().toUpperCase() === nameKey)) {
      throw new InputError('name', `another gateway of the same owner is named '${record.name}'`);
    }
    for (const [i, prefix] of record.prefixes.entries()) {
      const taken = siblings.find((g) => g.prefixes.includes(prefix));
      if (taken)
        throw new InputError(
          `prefixes[${i}]`,
          `prefix ${prefix} already maps to gateway '${taken.id}' of the same owner`,
        );
    }
    await tx.gateways.put(record, now);
    return record;
  });
}
