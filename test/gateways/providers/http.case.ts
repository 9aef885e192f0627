// A generic aggregator through the `http` type: GET with {coding} and UCS-2 hex text for
// Unicode, our id echoed in its reports, its own field names on both webhooks.
import type { ProviderCase } from './case.ts';
import { query } from './case.ts';

const decodeHex = (hex: string) => Buffer.from(hex, 'hex').swap16().toString('utf16le');

export const http: ProviderCase = {
  type: 'http',
  config: (url) => ({
    url: `${url}/api/send`,
    method: 'GET',
    params: { msisdn: '{to}', msg: '{text}', dcs: '{coding}', ref: '{message_id}', dlr: '{status_url}' },
    coding_values: { gsm: '0', unicode: '8' },
    charset: 'ucs-2-hex',
    success_body_contains: 'OK',
    report_id: 'message_id',
    inbound_fields: { from: 'msisdn', text: 'message', id: 'msgid' },
    status_fields: { id: 'ref', status: 'stat', detail: 'err' },
  }),
  accept: () => ({ status: 200, body: 'OK', headers: { 'content-type': 'text/plain' } }),
  down: { status: 502, body: 'Bad Gateway', headers: { 'content-type': 'text/plain' } },
  sent: (r) => {
    if (!(r.query.dlr ?? '').includes('/gateways/GW/status?secret=')) throw new Error('no status url');
    const unicode = r.query.dcs === '8';
    return {
      to: r.query.msisdn ?? '',
      text: unicode ? decodeHex(r.query.msg ?? '') : (r.query.msg ?? ''),
      unicode,
    };
  },
  providerId: (_n, messageId) => String(messageId),
  inbound: (from, text, id, secret) => ({
    method: 'POST',
    url: `/gateways/GW/inbound?secret=${secret}`,
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify({ msisdn: from, message: text, msgid: id }),
  }),
  status: (id, delivered, secret) => ({
    method: 'GET',
    url: `/gateways/GW/status?${query({ secret, ref: id, stat: delivered ? 'DELIVRD' : 'UNDELIV', err: delivered ? '000' : '001' })}`,
  }),
};
