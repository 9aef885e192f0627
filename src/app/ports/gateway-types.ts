// The contract of a gateway type (STYLE: one gateway, one folder, one shape). Each folder under
// src/gateways/ exports one definition; src/gateways/registry.ts lists them. Everything that
// depends on the kinds of gateways — the API's gateway schema, secret masking, the console's
// gateway form, the webhook routes, the queue's adapters, the mailer — is derived from that list,
// which main.ts hands to the API, the console and the worker as a GatewayCatalog.
import type { TObject } from 'typebox';
import type { Clock } from './clock.ts';
import type { GatewayAdapter, Mailer } from './gateway.ts';
import type { GatewayRecord } from './records.ts';

/** What every gateway type says about its configuration. */
interface ConfigDescription {
  /** The `type` of a gateway (`twilio`), or the name of an e-mail transport (`smtp`). */
  name: string;
  /** For people: the console's type list. */
  label: string;
  /** The type's `config` object: validation, the OpenAPI document and the console's form. */
  config: TObject;
  /** Top-level config fields whose values are secrets: never shown, never in traces. */
  secretFields: readonly string[];
  /**
   * Checks a config against the schema (and what the schema cannot say) and fills in defaults;
   * throws an InputError naming the field (`config.url`).
   */
  parseConfig(config: unknown): Record<string, unknown>;
  /** Every secret string in a parsed config: the secret fields, and any the type derives
   *  (a password inside a URL, a parameter named secret). */
  secretsOf(config: Record<string, unknown>): string[];
}

/** What an adapter may need from the server that runs it. */
export interface AdapterContext {
  clock: Clock;
  /** The server's public address (CASELINE_PUBLIC_URL), without a trailing slash. */
  publicUrl: string;
  /** The address of a gateway's status webhook, for providers that let a send name it. */
  statusUrl(gatewayId: string): string;
  /** `caseline/<version>`: the User-Agent of every request to a provider (SPEC 3.6). */
  userAgent: string;
  /** Where types that hold a connection (SMPP) hand what arrives on it. */
  receiver: Receiver;
  /** When the number last wrote through that gateway, or null (WhatsApp's 24-hour session). */
  lastInboundAt(gatewayId: string, number: string): Promise<number | null>;
  /** Whether the outbound address guard checks this gateway's connections (SPEC 3.6): a
   *  project key saved it and the operator did not lift the guard. */
  guarded(gateway: GatewayRecord): boolean;
}

/** The inbound pipeline and delivery reports, as a connection-based adapter reaches them. */
export interface Receiver {
  /** Stores and processes an SMS once per provider id; resolves once it is stored. */
  inbound(gateway: GatewayRecord, sms: InboundSms): Promise<void>;
  /** Applies a delivery report once per provider id and state. */
  status(gateway: GatewayRecord, report: StatusReport): Promise<void>;
}

/** An HTTP request to a gateway's webhook, as a gateway type reads it (GET or POST). */
export interface WebhookRequest {
  method: string;
  /** The full address the provider called (public URL, path and query), as signatures cover it. */
  url: string;
  query: Record<string, string>;
  headers: Record<string, string | undefined>;
  /** A form or JSON body's top-level fields as strings; empty for other bodies. */
  fields: Record<string, string>;
  /** A JSON body as parsed (providers that post nested JSON, e.g. Infobip's `results`); else null. */
  json: unknown;
  /** The body as received, for providers that post plain text. */
  rawBody: string;
}

/** An SMS a provider delivered to us. */
export interface InboundSms {
  /** The sender as the provider gives it; normalised by the inbound pipeline. */
  from: string;
  text: string;
  /** The provider's id of the message, when it has one: a second message with it is a replay. */
  providerMessageId?: string;
}

/** A provider's word on a message it had accepted. */
export interface StatusReport {
  providerMessageId: string;
  /** null: an intermediate state (queued, sending) that changes nothing here. */
  result: 'delivered' | 'error' | null;
  /** The provider's words for a failure or a state, for the log. */
  detail: string | null;
  /** A gateway that takes the message over instead of failing it (WhatsApp's `sms_fallback`). */
  reroute?: string | null;
}

/** What the webhook answers the provider. */
export interface WebhookAnswer {
  status: number;
  contentType: string;
  body: string;
}

/** How a type's webhooks are authenticated, read and answered. */
export interface WebhookHandling {
  /** A second path for the same webhooks: `twilio` serves /gateways/{id}/twilio/inbound too. */
  alias?: string;
  /** True when the request carries the gateway's credentials (a secret, a provider signature). */
  authenticate(request: WebhookRequest, gateway: GatewayRecord): boolean;
  /** The SMS in an inbound webhook (some providers post several at once); throws an InputError
   *  naming a missing field. */
  inbound?(request: WebhookRequest, gateway: GatewayRecord): InboundSms[];
  /** The reports in a status webhook; throws an InputError naming a missing or unknown field. */
  status?(request: WebhookRequest, gateway: GatewayRecord): StatusReport[];
  /** The answer after an inbound message was stored; absent: JSON with its id and outcome. */
  inboundAnswer?: WebhookAnswer;
  /** The answer after a status report was applied; absent: 204. */
  statusAnswer?: WebhookAnswer;
}

/** A type of SMS gateway. */
export interface SmsGatewayType extends ConfigDescription {
  channel: 'sms';
  /** The adapter that sends through gateways of this type; null where the caller provides one
   *  (the `test` type's recording instance). */
  createAdapter(context: AdapterContext): GatewayAdapter | null;
  webhooks: WebhookHandling;
}

/** A transport for e-mail, configured by the server's environment rather than per project. */
export interface EmailGatewayType extends ConfigDescription {
  channel: 'email';
  /** The transport's config from the environment, or null when it is not configured. */
  configFromEnv(env: Readonly<Record<string, string | undefined>>): Record<string, unknown> | null;
  createMailer(config: Record<string, unknown>): Mailer & { close?(): void };
}

export type GatewayType = SmsGatewayType | EmailGatewayType;

/** The registry as the API, the console and the queue see it. */
export interface GatewayCatalog {
  /** Every type, in registry order. */
  readonly types: readonly GatewayType[];
  /** The SMS gateway type of that name, or null. */
  sms(name: string): SmsGatewayType | null;
}
