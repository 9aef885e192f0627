// Sending through the generic `http` gateway (SPEC 3.6): one request per SMS to an
// aggregator's URL, its parameters filled from templates, as most in-country aggregators
// offer. The response is read by ../http-outcome.ts.
import type { Clock } from '../../app/ports/clock.ts';
import type { GatewayAdapter, OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import { InputError } from '../../lib/input.ts';
import { systemClock } from '../../clock.ts';
import { countSegments } from '../../domain/text.ts';
import { exchange } from '../http-outcome.ts';
import { statusUrlWithSecret } from '../provider.ts';
import { valueAt } from '../../lib/json-path.ts';
import type { HttpRequest, HttpResponse, SuccessReading } from '../http-outcome.ts';
import { parseHttpConfig, secretsOf, type HttpSettings, type Placeholder } from './config.ts';

export function createHttpAdapter(
  options: { clock?: Clock; statusUrl?(gatewayId: string): string } = {},
): GatewayAdapter {
  const clock = options.clock ?? systemClock;
  return {
    async send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome> {
      let config: HttpSettings;
      try {
        config = parseHttpConfig(gateway.config);
      } catch (error) {
        if (error instanceof InputError)
          return { kind: 'rejected', detail: `the gateway's configuration is invalid: ${error.describe()}` };
        throw error;
      }
      const gsm = countSegments(sms.text).encoding === 'GSM-7';
      const hex = !gsm && config.charset === 'ucs-2-hex';
      const coding = config.coding_values ?? { gsm: '0', unicode: '2' };
      const values: Record<Placeholder, string> = {
        to: sms.to.replace(/^\+/, ''),
        text: hex ? Buffer.from(sms.text, 'utf16le').swap16().toString('hex').toUpperCase() : sms.text,
        from: config.from ?? '',
        message_id: String(sms.messageId),
        idempotency_key: sms.idempotencyKey,
        coding: gsm ? coding.gsm : coding.unicode,
        charset: hex ? 'UCS-2' : 'UTF-8',
        status_url: statusUrlWithSecret(options.statusUrl?.(gateway.id) ?? '', gateway.inboundSecret),
      };
      const params: Record<string, string> = {};
      for (const [name, template] of Object.entries(config.params)) params[name] = render(template, values);
      // A secret param may be a template ("Bearer {x}" is unlikely, but its rendered value is what travels).
      const secrets = [
        ...secretsOf(config),
        ...config.secret_params.flatMap((name) => params[name] ?? []),
        ...(gateway.inboundSecret ? [gateway.inboundSecret] : []),
      ];
      return exchange(buildRequest(config, params, sms.idempotencyKey), config.timeout_ms, {
        secrets,
        successStatuses: config.success_statuses,
        readSuccess: (response) => readSuccess(config, response, values.message_id),
        now: () => clock.now(),
      });
    },
  };
}

function buildRequest(
  config: HttpSettings,
  params: Record<string, string>,
  idempotencyKey: string,
): HttpRequest {
  const url = new URL(config.url);
  const headers: Record<string, string> = {};
  // fetch refuses URLs with credentials: they become a basic Authorization header.
  if (url.username !== '' || url.password !== '') {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.Authorization = `Basic ${Buffer.from(pair).toString('base64')}`;
    url.username = '';
    url.password = '';
  }
  Object.assign(headers, config.headers);
  headers['Idempotency-Key'] = idempotencyKey;
  if (config.method === 'GET') {
    for (const [name, value] of Object.entries(params)) url.searchParams.append(name, value);
    return { method: 'GET', url: url.toString(), headers, body: null };
  }
  const json = config.body_format === 'json';
  if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) {
    headers['Content-Type'] = json ? 'application/json' : 'application/x-www-form-urlencoded';
  }
  const body = json ? JSON.stringify(params) : new URLSearchParams(params).toString();
  return { method: 'POST', url: url.toString(), headers, body };
}

function readSuccess(config: HttpSettings, response: HttpResponse, ours: string): SuccessReading {
  const expected = config.success_body_contains;
  if (expected !== undefined && !response.body.includes(expected)) {
    const body = response.body.replace(/\s+/g, ' ').trim();
    return {
      failure: `HTTP ${response.status} without '${expected}' in the response: ${body.slice(0, 300) || '(empty body)'}`,
    };
  }
  // Reports name our id (the aggregator echoes {message_id}): it is the id to match them by.
  if (config.report_id === 'message_id') return { providerMessageId: ours };
  if (config.message_id_path === undefined) return { providerMessageId: null };
  let parsed: unknown;
  try {
    parsed = JSON.parse(response.body);
  } catch {
    // The gateway said yes; a missing id only costs us delivery-report matching.
    return { providerMessageId: null };
  }
  const found = valueAt(parsed, config.message_id_path);
  return { providerMessageId: typeof found === 'string' || typeof found === 'number' ? String(found) : null };
}

export function render(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) =>
    Object.hasOwn(values, name) ? values[name as Placeholder] : whole,
  );
}
