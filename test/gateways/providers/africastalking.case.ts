// Africa's Talking: form POST to /version1/messaging with apiKey, 201 with Recipients; form
// callbacks for incoming messages and delivery reports.
import type { ProviderCase } from './case.ts';
import { form } from './case.ts';

export const africasTalking: ProviderCase = {
  type: 'africastalking',
  config: (url) => ({ username: 'sandbox', api_key: 'at-key-123', from: 'CLINIC', base_url: url }),
  accept: (_r, n) => ({
    status: 201,
    body: JSON.stringify({
      SMSMessageData: {
        Message: 'Sent to 1/1 Total Cost: KES 0.8000',
        Recipients: [
          {
            statusCode: 101,
            number: '+254712345678',
            status: 'Success',
            cost: 'KES 0.8000',
            messageId: `ATXid_${n}`,
          },
        ],
      },
    }),
  }),
  down: { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain' } },
  sent: (r) => {
    if (r.path !== '/version1/messaging' || r.headers.apikey !== 'at-key-123')
      throw new Error(`bad request ${r.path}`);
    const f = Object.fromEntries(new URLSearchParams(r.body));
    if (f.username !== 'sandbox' || f.from !== 'CLINIC') throw new Error('no username or from');
    return { to: (f.to ?? '').replace(/^\+/, ''), text: f.message ?? '' };
  },
  providerId: (n) => `ATXid_${n}`,
  inbound: (from, text, id, secret) =>
    form(`/gateways/GW/inbound?secret=${secret}`, {
      from: `+${from}`,
      to: '20880',
      text,
      id,
      date: '2026-01-05 08:00:00',
      linkId: 'L1',
    }),
  status: (id, delivered, secret) =>
    form(`/gateways/GW/status?secret=${secret}`, {
      id,
      status: delivered ? 'Success' : 'Failed',
      phoneNumber: '+254712345678',
      ...(delivered ? {} : { failureReason: 'UserInBlackList' }),
    }),
};
