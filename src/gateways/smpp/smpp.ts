// The `smpp` gateway (SPEC 3.6): an SMPP 3.4 client (the smpp package). One bind per gateway
// for the whole process (link.ts), opened when the first message goes or when the worker asks
// the adapter to keep its gateways connected (so mobile-originated SMS and receipts arrive
// while nothing is sent); a changed configuration binds anew, a removed gateway unbinds.
import type { GatewayAdapter } from '../../app/ports/gateway.ts';
import type { AdapterContext } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { smsGatewayType } from '../define.ts';
import { withConfig } from '../provider.ts';
import { parseSmppConfig, SmppConfig } from './config.ts';
import { SmppLink } from './link.ts';

export { parseSmppConfig, SmppConfig } from './config.ts';

export function createSmppAdapter(
  context: Pick<AdapterContext, 'receiver'> & Partial<Pick<AdapterContext, 'guarded'>>,
): GatewayAdapter {
  const links = new Map<string, { key: string; link: SmppLink }>();
  const linkFor = (gateway: GatewayRecord, config: SmppConfig): SmppLink => {
    // Whether its connection is guarded is part of the bind: a change of trust binds anew.
    const guarded = context.guarded?.(gateway) ?? true;
    const key = JSON.stringify([config, guarded]);
    const current = links.get(gateway.id);
    if (current && current.key === key) {
      current.link.gateway = gateway;
      return current.link;
    }
    if (current) void current.link.close();
    const link = new SmppLink(gateway, config, context.receiver, guarded);
    links.set(gateway.id, { key, link });
    link.start();
    return link;
  };
  return {
    send: (gateway, sms) =>
      withConfig(gateway, parseSmppConfig, (config) => linkFor(gateway, config).send(sms)),
    connect(gateways) {
      const keep = new Set<string>();
      for (const gateway of gateways) {
        try {
          linkFor(gateway, parseSmppConfig(gateway.config));
          keep.add(gateway.id);
        } catch {
          // A config that no longer parses binds nothing; sends through it are rejected.
        }
      }
      for (const [id, { link }] of links) {
        if (!keep.has(id)) {
          links.delete(id);
          void link.close();
        }
      }
    },
    async close() {
      const all = [...links.values()];
      links.clear();
      await Promise.all(all.map(({ link }) => link.close()));
    },
  };
}

export const smppType = smsGatewayType<SmppConfig>({
  name: 'smpp',
  label: 'SMPP 3.4 (an SMSC or aggregator bind)',
  config: SmppConfig,
  secretFields: ['password'],
  parseConfig: parseSmppConfig,
  createAdapter: (context) => createSmppAdapter(context),
  // Nothing arrives over HTTP: MO messages and receipts come on the bind.
  webhooks: { authenticate: () => false },
});
