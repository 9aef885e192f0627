// The gateway types: one line each (STYLE: adding a gateway touches its folder and this file).
import type { Adapters, GatewayAdapter } from '../app/ports/gateway.ts';
import type { Clock } from '../app/ports/clock.ts';
import { Strict } from '../lib/schema.ts';
import { InputError, parseInput } from '../lib/input.ts';
import { createHttpAdapter, parseHttpConfig } from './http/http.ts';
import { createTwilioAdapter, parseTwilioConfig } from './twilio/twilio.ts';

export const GATEWAY_TYPES = ['test', 'http', 'twilio'] as const;
export type GatewayType = (typeof GATEWAY_TYPES)[number];

/** The `test` type takes no configuration. */
const TestConfig = Strict({});

const configParsers: Record<GatewayType, (config: unknown) => Record<string, unknown>> = {
  test: (config) => ({ ...parseInput(TestConfig, config ?? {}, 'config') }),
  http: parseHttpConfig,
  twilio: parseTwilioConfig,
};

/**
 * The adapter of each gateway type. `test` is the one instance the caller keeps (to read what
 * it accepted); `publicUrl` is where Twilio sends its status callbacks.
 */
export function createAdapters(options: {
  test?: GatewayAdapter;
  publicUrl: string;
  clock?: Clock;
}): Adapters {
  const base = options.publicUrl.replace(/\/+$/, '');
  const clock = options.clock === undefined ? {} : { clock: options.clock };
  const adapters: Record<GatewayType, GatewayAdapter | null> = {
    test: options.test ?? null,
    http: createHttpAdapter(clock),
    twilio: createTwilioAdapter({
      ...clock,
      statusCallbackUrl: (gatewayId) => `${base}/gateways/${encodeURIComponent(gatewayId)}/twilio/status`,
    }),
  };
  return (type) => (isGatewayType(type) ? adapters[type] : null);
}

export function isGatewayType(type: string): type is GatewayType {
  return (GATEWAY_TYPES as readonly string[]).includes(type);
}

/**
 * A gateway's `config` checked against its type's schema, with the type's defaults filled in;
 * throws an InputError naming the field (`config.url`, or `type` for an unknown type).
 */
export function parseGatewayConfig(type: string, config: unknown): Record<string, unknown> {
  if (!isGatewayType(type))
    throw new InputError(
      'type',
      `must be ${GATEWAY_TYPES.slice(0, -1)
        .map((t) => `'${t}'`)
        .join(', ')} or '${GATEWAY_TYPES.at(-1) ?? ''}'`,
    );
  return configParsers[type](config);
}
