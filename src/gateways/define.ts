// What the gateway types share when they describe themselves: a config checked by its schema
// (unknown fields refused, named `config.<field>`), and secrets that are the secret fields'
// values unless a type derives more.
import type { TObject } from 'typebox';
import type { AdapterContext, SmsGatewayType, WebhookHandling } from '../app/ports/gateway-types.ts';
import type { GatewayAdapter } from '../app/ports/gateway.ts';
import { parseInput } from '../lib/input.ts';

interface SmsTypeParts<C extends Record<string, unknown>> {
  name: string;
  label: string;
  config: TObject;
  secretFields?: readonly string[];
  /** Default: the schema alone, an absent config read as `{}`. */
  parseConfig?(config: unknown): C;
  /** Default: the values of the secret fields. */
  secretsOf?(config: C): string[];
  createAdapter(context: AdapterContext): GatewayAdapter | null;
  webhooks: WebhookHandling;
}

/** The values of `fields` in a config that are non-empty strings. */
export function fieldSecrets(config: Record<string, unknown>, fields: readonly string[]): string[] {
  return fields.map((field) => config[field]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** An SMS gateway type from its parts; `C` is the type's own parsed config. */
export function smsGatewayType<C extends Record<string, unknown>>(parts: SmsTypeParts<C>): SmsGatewayType {
  const secretFields = parts.secretFields ?? [];
  const parseConfig =
    parts.parseConfig ?? ((config: unknown) => parseInput(parts.config, config ?? {}, 'config') as C);
  const secretsOf = parts.secretsOf ?? ((config: C) => fieldSecrets(config, secretFields));
  return {
    channel: 'sms',
    name: parts.name,
    label: parts.label,
    config: parts.config,
    secretFields,
    parseConfig,
    // The catalog hands back a config this type parsed.
    secretsOf: (config) => secretsOf(config as C),
    createAdapter: parts.createAdapter,
    webhooks: parts.webhooks,
  };
}
