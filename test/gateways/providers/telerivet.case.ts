// Telerivet: JSON POST to /v1/projects/{id}/messages/send with the API key as basic user;
// form webhooks carrying the webhook secret.
import type { ProviderCase } from './case.ts';
import { form } from './case.ts';

export const WEBHOOK_SECRET = 'tr-hook-secret';

export const telerivet: ProviderCase = {
  type: 'telerivet',
  config: (url) => ({
    project_id: 'PJ123',
    api_key: 'tr-key-789',
    phone_id: 'PN456',
    webhook_secret: WEBHOOK_SECRET,
    base_url: url,
  }),
  accept: (_r, n) => ({
    status: 200,
    body: JSON.stringify({ id: `SMtr${n}`, status: 'queued', direction: 'outgoing' }),
  }),
  down: { status: 503, body: '{"error":{"code":"unavailable","message":"try later"}}' },
  sent: (r) => {
    const auth = Buffer.from('tr-key-789:').toString('base64');
    if (r.path !== '/v1/projects/PJ123/messages/send' || r.headers.authorization !== `Basic ${auth}`)
      throw new Error('bad request');
    const b = JSON.parse(r.body) as {
      to_number: string;
      content: string;
      phone_id: string;
      status_secret: string;
    };
    if (b.phone_id !== 'PN456' || b.status_secret !== WEBHOOK_SECRET)
      throw new Error('no phone or status secret');
    return { to: b.to_number.replace(/^\+/, ''), text: b.content };
  },
  providerId: (n) => `SMtr${n}`,
  // Telerivet's secret travels in the body: the gateway's inbound secret does not count.
  inbound: (from, text, id, secret) =>
    form('/gateways/GW/inbound', {
      secret: secret === 'WRONG' ? 'WRONG' : WEBHOOK_SECRET,
      event: 'incoming_message',
      id,
      message_type: 'sms',
      content: text,
      from_number: `+${from}`,
      to_number: '+16505550123',
      phone_id: 'PN456',
    }),
  status: (id, delivered, secret) =>
    form('/gateways/GW/status', {
      secret: secret === 'WRONG' ? 'WRONG' : WEBHOOK_SECRET,
      event: 'send_status',
      id,
      status: delivered ? 'delivered' : 'failed',
      ...(delivered ? {} : { error_message: 'Invalid destination' }),
    }),
};
