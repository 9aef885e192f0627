// The sending ports: what a gateway adapter and the mailer are handed and what they answer.
import type { FailureKind } from '../../domain/retry.ts';
import type { GatewayRecord } from './records.ts';

export interface OutboundSms {
  messageId: number;
  /** Stable across retries and crashes: gateways that support it de-duplicate on it. */
  idempotencyKey: string;
  to: string;
  text: string;
}

export interface OutboundEmail {
  messageId: number;
  idempotencyKey: string;
  projectId: string | null;
  /** The project's sender address; null: the mailer's default. */
  from: string | null;
  to: string;
  subject: string;
  text: string;
}

/** The closed set of outcomes of one send attempt; the queue alone decides what follows. */
export type SendOutcome =
  | {
      kind: 'accepted';
      providerMessageId: string | null;
      /** A message sent in several parts (SMPP): the provider's id of each part, in order. */
      parts?: string[];
      statusCode?: number;
      trace?: AttemptTrace;
    }
  | {
      kind: FailureKind;
      detail: string;
      statusCode?: number;
      /** A longer wait asked for by the gateway (429 Retry-After), in ms. */
      retryAfterMs?: number;
      /** Another gateway that takes the message over now, as its next attempt (WhatsApp's
       *  `sms_fallback` when the recipient cannot get WhatsApp). */
      reroute?: string;
      trace?: AttemptTrace;
    };

/** Request and response as stored with an attempt, secrets already replaced. */
export interface AttemptTrace {
  request: string | null;
  response: string | null;
}

export interface GatewayAdapter {
  send(gateway: GatewayRecord, sms: OutboundSms): Promise<SendOutcome>;
  /** Types that hold a connection (SMPP): keep these gateways connected, so what they deliver
   *  arrives while nothing is sent, and let go of any other. */
  connect?(gateways: readonly GatewayRecord[]): void;
  /** Lets go of every connection (the process stops). */
  close?(): Promise<void>;
}

export interface Mailer {
  send(mail: OutboundEmail): Promise<SendOutcome>;
}

/** Gateway adapters by gateway type; `types` lists the types that have one. */
export type Adapters = ((type: string) => GatewayAdapter | null) & { types?: readonly string[] };
