// Kannel's smsbox: sendsms GET answered "0: Accepted for delivery" (202), get-url inbound,
// dlr-url reports with %d (1 delivered, 2 failed).
import type { ProviderCase } from './case.ts';
import { query } from './case.ts';

export const kannel: ProviderCase = {
  type: 'kannel',
  config: (url) => ({
    url: `${url}/cgi-bin/sendsms`,
    username: 'tester',
    password: 'kannel-pw',
    from: '12345',
  }),
  accept: () => ({ status: 202, body: '0: Accepted for delivery', headers: { 'content-type': 'text/html' } }),
  down: { status: 503, body: 'Temporal failure, try again later.', headers: { 'content-type': 'text/html' } },
  sent: (r) => {
    if (r.query.username !== 'tester' || r.query.password !== 'kannel-pw') throw new Error('no credentials');
    const dlr = new URL(r.query['dlr-url'] ?? '');
    if (r.query['dlr-mask'] !== '3' || !dlr.pathname.endsWith('/gateways/GW/status'))
      throw new Error('no dlr-url');
    const unicode = r.query.coding === '2' && r.query.charset === 'UTF-8';
    return { to: r.query.to ?? '', text: r.query.text ?? '', unicode };
  },
  providerId: (_n, messageId) => String(messageId),
  inbound: (from, text, id, secret) => ({
    method: 'GET',
    url: `/gateways/GW/inbound?${query({ secret, from, to: '12345', text, message_id: id })}`,
  }),
  status: (id, delivered, secret) => ({
    method: 'GET',
    url: `/gateways/GW/status?${query({ secret, message_id: id, status: delivered ? '1' : '2', detail: delivered ? 'DELIVRD' : 'UNDELIV' })}`,
  }),
};
