// Which gateway sends one SMS (SPEC 3.2). Replies go back through the inbound gateway instead.
export interface GatewayInfo {
  id: string;
  name: string;
  /** The owning project's id; null for a global gateway. */
  owner: string | null;
  /** Acts for its owner only: the project's default, or the global default. */
  isDefault: boolean;
  /** Number prefixes (digits, no '+') this gateway takes for its owner. */
  prefixes: readonly string[];
  /** Projects that may use this gateway, only by naming it in contact_backend_id. */
  sharedWith: readonly string[];
}

export type GatewayChoice =
  | { ok: true; gateway: GatewayInfo; rule: string }
  | { ok: false; error: 'GATEWAY_NOT_FOUND' | 'NO_SUITABLE_GATEWAY'; reason: string };

/**
 * First that applies: the contact's gateway by name (own → shared → global), the project's
 * longest matching prefix, the project's default, the global longest prefix, the global
 * default. Among equals the first in `gateways` wins, so pass them in a stable order.
 */
export function chooseGateway(
  project: string,
  number: string,
  contactBackend: string | null | undefined,
  gateways: readonly GatewayInfo[],
): GatewayChoice {
  const own = gateways.filter((g) => g.owner === project);
  const global = gateways.filter((g) => g.owner === null);
  const wanted = contactBackend?.trim().toUpperCase() ?? '';
  if (wanted !== '') {
    const named = (g: GatewayInfo): boolean => g.name.trim().toUpperCase() === wanted;
    const shared = gateways.filter(
      (g) => g.owner !== null && g.owner !== project && g.sharedWith.includes(project),
    );
    const gateway = own.find(named) ?? shared.find(named) ?? global.find(named);
    if (gateway === undefined) {
      return {
        ok: false,
        error: 'GATEWAY_NOT_FOUND',
        reason: `contact_backend_id names "${contactBackend?.trim()}", but the project has no own, shared or global gateway of that name`,
      };
    }
    return { ok: true, gateway, rule: 'contact_backend_id' };
  }
  const digits = number.replace(/^\+/, '');
  const projectPrefix = longestPrefix(own, digits);
  if (projectPrefix)
    return { ok: true, gateway: projectPrefix.gateway, rule: `project prefix ${projectPrefix.prefix}` };
  const projectDefault = own.find((g) => g.isDefault);
  if (projectDefault) return { ok: true, gateway: projectDefault, rule: 'project default' };
  const globalPrefix = longestPrefix(global, digits);
  if (globalPrefix)
    return { ok: true, gateway: globalPrefix.gateway, rule: `global prefix ${globalPrefix.prefix}` };
  const globalDefault = global.find((g) => g.isDefault);
  if (globalDefault) return { ok: true, gateway: globalDefault, rule: 'global default' };
  return {
    ok: false,
    error: 'NO_SUITABLE_GATEWAY',
    reason: `no prefix of +${digits} is mapped and neither the project nor the installation has a default gateway`,
  };
}

function longestPrefix(
  gateways: readonly GatewayInfo[],
  digits: string,
): { gateway: GatewayInfo; prefix: string } | undefined {
  let best: { gateway: GatewayInfo; prefix: string } | undefined;
  for (const gateway of gateways) {
    for (const raw of gateway.prefixes) {
      const prefix = raw.trim().replace(/^\+/, '');
      if (prefix !== '' && digits.startsWith(prefix) && prefix.length > (best?.prefix.length ?? 0)) {
        best = { gateway, prefix };
      }
    }
  }
  return best;
}
