// What the provider types built on the shared HTTP client have in common (kannel,
// africastalking, infobip, telerivet): their address fields, a config that no longer parses
// as a rejection rather than a crash, and the status webhook address with the gateway's secret.
import Type from 'typebox';
import type { SendOutcome } from '../app/ports/gateway.ts';
import type { GatewayRecord } from '../app/ports/records.ts';
import { InputError } from '../lib/input.ts';

/** An http:// or https:// address. */
export const HttpUrl = (options: Record<string, unknown> = {}) =>
  Type.String({
    pattern: '^https?://[^\\s]+$',
    maxLength: 2000,
    errorMessage: 'must be an http:// or https:// URL',
    ...options,
  });

/** A non-empty short string (a user name, a key, a sender id). */
export const Word = Type.String({ minLength: 1, maxLength: 500 });

/** Default time a provider has to answer, in ms. */
export const DEFAULT_TIMEOUT_MS = 10_000;
export const TimeoutMs = Type.Integer({ minimum: 1, maximum: 300_000, default: DEFAULT_TIMEOUT_MS });

/** Runs `send` with the gateway's parsed config; a config that does not parse is a rejection. */
export async function withConfig<C>(
  gateway: GatewayRecord,
  parse: (config: unknown) => C,
  send: (config: C) => Promise<SendOutcome>,
): Promise<SendOutcome> {
  let config: C;
  try {
    config = parse(gateway.config);
  } catch (error) {
    if (error instanceof InputError)
      return { kind: 'rejected', detail: `the gateway's configuration is invalid: ${error.describe()}` };
    throw error;
  }
  return send(config);
}

/** The config as parsed, or null when it no longer parses (a webhook then authenticates nothing). */
export function configOrNull<C>(gateway: GatewayRecord, parse: (config: unknown) => C): C | null {
  try {
    return parse(gateway.config);
  } catch {
    return null;
  }
}

/** The status webhook's address with the gateway's inbound secret, for providers that call it back. */
export function statusUrlWithSecret(statusUrl: string, secret: string | null): string {
  return secret ? `${statusUrl}?secret=${encodeURIComponent(secret)}` : statusUrl;
}

/** A JSON body as an object, or null. */
export function jsonObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}
