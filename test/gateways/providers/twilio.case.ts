// Twilio: form POST to the Messages API with basic auth, 201 with the message resource;
// form webhooks signed with X-Twilio-Signature (here through the generic webhook paths).
import { twilioSignature } from '../../../src/gateways/twilio/twilio.ts';
import { PUBLIC } from '../../support/provider-harness.ts';
import type { ProviderCase } from './case.ts';
import { form } from './case.ts';

export const SID = `AC${'b'.repeat(32)}`;
export const TOKEN = 'twilio-token-42';

const signed = (path: string, values: Record<string, string>, secret: string) => {
  const options = form(path, values);
  const token = secret === 'WRONG' ? 'wrong-token' : TOKEN;
  options.headers = {
    ...options.headers,
    'x-twilio-signature': twilioSignature(`${PUBLIC}${path}`, values, token),
  };
  return options;
};

export const twilio: ProviderCase = {
  type: 'twilio',
  config: (url) => ({ account_sid: SID, auth_token: TOKEN, from: '+15005550006', base_url: url }),
  accept: (_r, n) => ({
    status: 201,
    body: JSON.stringify({ sid: `SM${String(n).padStart(32, '0')}`, status: 'queued' }),
  }),
  down: { status: 503, body: '{"code":20500,"message":"Internal Server Error"}' },
  sent: (r) => {
    const auth = Buffer.from(`${SID}:${TOKEN}`).toString('base64');
    if (r.path !== `/2010-04-01/Accounts/${SID}/Messages.json` || r.headers.authorization !== `Basic ${auth}`)
      throw new Error('bad request');
    const f = Object.fromEntries(new URLSearchParams(r.body));
    return { to: (f.To ?? '').replace(/^\+/, ''), text: f.Body ?? '' };
  },
  providerId: (n) => `SM${String(n).padStart(32, '0')}`,
  inbound: (from, text, id, secret) =>
    signed(
      '/gateways/GW/inbound',
      { From: `+${from}`, To: '+15005550006', Body: text, MessageSid: id, AccountSid: SID },
      secret,
    ),
  status: (id, delivered, secret) =>
    signed(
      '/gateways/GW/status',
      {
        MessageSid: id,
        MessageStatus: delivered ? 'delivered' : 'undelivered',
        ...(delivered ? {} : { ErrorCode: '30003' }),
      },
      secret,
    ),
};
