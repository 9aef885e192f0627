// The gateway types, one line each: adding a type is its folder and one line here (STYLE).
// Everything else — the API's gateway schema, secret masking, the console's form, the webhook
// routes, the queue's adapters, the mailer — is derived from this list.
import type {
  AdapterContext,
  EmailGatewayType,
  GatewayCatalog,
  GatewayType,
  Receiver,
  SmsGatewayType,
} from '../app/ports/gateway-types.ts';
import type { Adapters, GatewayAdapter, OutboundSms } from '../app/ports/gateway.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import { outboundScope } from './guarded-lookup.ts';
import type { Clock } from '../app/ports/clock.ts';
import { alternatives, InputError } from '../lib/input.ts';
import { systemClock } from '../clock.ts';
import { africasTalkingType } from './africastalking/africastalking.ts';
import { httpType } from './http/http.ts';
import { infobipType } from './infobip/infobip.ts';
import { kannelType } from './kannel/kannel.ts';
import { telerivetType } from './telerivet/telerivet.ts';
import { smppType } from './smpp/smpp.ts';
import { smtpType } from './smtp/smtp.ts';
import { testType } from './test/test.ts';
import { twilioType } from './twilio/twilio.ts';
import { USER_AGENT } from './user-agent.ts';

const NO_RECEIVER: Receiver = {
  inbound: () => Promise.reject(new Error('no receiver for inbound messages')),
  status: () => Promise.reject(new Error('no receiver for delivery reports')),
};

export const REGISTRY: readonly GatewayType[] = [
  testType,
  httpType,
  twilioType,
  kannelType,
  africasTalkingType,
  infobipType,
  telerivetType,
  smppType,
  smtpType,
];

const smsTypes = REGISTRY.filter((type): type is SmsGatewayType => type.channel === 'sms');

/** The registry as the API, the console and the queue are handed it. */
export const gatewayCatalog: GatewayCatalog = {
  types: REGISTRY,
  sms: (name) => smsTypes.find((type) => type.name === name) ?? null,
};

/** The names of the SMS gateway types: a gateway's `type`. */
export const GATEWAY_TYPES: readonly string[] = smsTypes.map((type) => type.name);

/** The e-mail transport of that name. */
export function emailType(name: string): EmailGatewayType | null {
  return (
    REGISTRY.find((type): type is EmailGatewayType => type.channel === 'email' && type.name === name) ?? null
  );
}

/**
 * The adapter of each SMS gateway type. `test` is the one instance the caller keeps (to read
 * what it accepted); `publicUrl` is where providers call back (status webhooks).
 */
export function createAdapters(options: {
  test?: GatewayAdapter;
  publicUrl: string;
  clock?: Clock;
  /** Where connection-based types hand what arrives; default: nowhere (dropped, unanswered). */
  receiver?: Receiver;
  /** WhatsApp's session window; default: no session known. */
  lastInboundAt?: AdapterContext['lastInboundAt'];
  /** CASELINE_ALLOW_PRIVATE_GATEWAYS: no connection is guarded; default false. */
  allowPrivate?: boolean;
}): Adapters {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const context: AdapterContext = {
    clock: options.clock ?? systemClock,
    publicUrl,
    statusUrl: (gatewayId: string) => `${publicUrl}/gateways/${encodeURIComponent(gatewayId)}/status`,
    userAgent: USER_AGENT,
    receiver: options.receiver ?? NO_RECEIVER,
    lastInboundAt: options.lastInboundAt ?? (() => Promise.resolve(null)),
    guarded: (gateway) => options.allowPrivate !== true && gateway.trusted !== true,
  };
  const adapters = new Map(
    smsTypes.map((type) => [
      type.name,
      type.name === 'test' ? (options.test ?? null) : guardedSends(type.createAdapter(context), context),
    ]),
  );
  const byType = (type: string) => adapters.get(type) ?? null;
  return Object.assign(byType, {
    types: [...adapters].filter(([, adapter]) => adapter !== null).map(([type]) => type),
  });
}

/** The adapter with each guarded gateway's send in outboundScope: every HTTP request it makes
 *  checks the addresses it connects to (guarded-lookup.ts), whichever type built it. */
function guardedSends(adapter: GatewayAdapter | null, context: AdapterContext): GatewayAdapter | null {
  if (adapter === null) return null;
  const send = adapter.send.bind(adapter);
  return Object.assign(Object.create(adapter) as GatewayAdapter, {
    send: (gateway: GatewayRecord, sms: OutboundSms) =>
      context.guarded(gateway) ? outboundScope.run(true, () => send(gateway, sms)) : send(gateway, sms),
  });
}

/**
 * A gateway's `config` checked against its type's schema, with the type's defaults filled in;
 * throws an InputError naming the field (`config.url`, or `type` for an unknown type).
 */
export function parseGatewayConfig(type: string, config: unknown): Record<string, unknown> {
  const found = gatewayCatalog.sms(type);
  if (!found)
    throw new InputError('type', `must be ${alternatives(GATEWAY_TYPES.map((name) => `'${name}'`))}`);
  return found.parseConfig(config);
}
