// Infobip: JSON POST to /sms/2/text/advanced with "App" auth; JSON results[] for inbound and
// delivery reports.
import type { ProviderCase } from './case.ts';
import { json } from './case.ts';

export const infobip: ProviderCase = {
  type: 'infobip',
  config: (url) => ({ base_url: url, api_key: 'ib-key-456', from: 'InfoSMS' }),
  accept: (_r, n) => ({
    status: 200,
    body: JSON.stringify({
      bulkId: `B${n}`,
      messages: [
        {
          messageId: `IB${n}`,
          to: '254712345678',
          status: {
            groupId: 1,
            groupName: 'PENDING',
            id: 26,
            name: 'PENDING_ACCEPTED',
            description: 'Message sent to next instance',
          },
        },
      ],
    }),
  }),
  down: { status: 503, body: '{}' },
  sent: (r) => {
    if (r.path !== '/sms/2/text/advanced' || r.headers.authorization !== 'App ib-key-456')
      throw new Error('bad request');
    const body = JSON.parse(r.body) as {
      messages: { destinations: { to: string }[]; text: string; notifyUrl: string }[];
    };
    const m = body.messages[0];
    if (!m?.notifyUrl.includes('/gateways/GW/status?secret=')) throw new Error('no notifyUrl');
    return { to: m.destinations[0]?.to ?? '', text: m.text };
  },
  providerId: (n) => `IB${n}`,
  inbound: (from, text, id, secret) =>
    json(`/gateways/GW/inbound?secret=${secret}`, {
      results: [
        {
          messageId: id,
          from,
          to: '41793026727',
          text,
          cleanText: text,
          receivedAt: '2026-01-05T08:00:00.000+0000',
        },
      ],
      messageCount: 1,
      pendingMessageCount: 0,
    }),
  status: (id, delivered, secret) =>
    json(`/gateways/GW/status?secret=${secret}`, {
      results: [
        {
          messageId: id,
          to: '254712345678',
          status: delivered
            ? {
                groupId: 3,
                groupName: 'DELIVERED',
                id: 5,
                name: 'DELIVERED_TO_HANDSET',
                description: 'Message delivered to handset',
              }
            : {
                groupId: 2,
                groupName: 'UNDELIVERABLE',
                id: 9,
                name: 'UNDELIVERABLE_NOT_DELIVERED',
                description: 'Message sent not delivered',
              },
          error: {
            groupId: 0,
            groupName: 'OK',
            id: 0,
            name: 'NO_ERROR',
            description: delivered ? 'No Error' : 'Absent subscriber',
            permanent: false,
          },
        },
      ],
    }),
};
