// What a provider test table says about one gateway type: how to configure it against the
// local provider, what the provider answers, how to read what it was sent, and how the
// provider calls our webhooks.
import type { InjectOptions } from 'fastify';
import type { Answer, Recorded } from '../../support/provider-harness.ts';

export interface ProviderCase {
  type: string;
  config(url: string): Record<string, unknown>;
  /** The provider takes the n-th request (its id for it: providerId). */
  accept(request: Recorded, n: number): Answer;
  /** The provider cannot take it now (a retry should follow). */
  down: Answer;
  /** The number and the text the provider received, decoded as the provider would; `unicode`:
   *  whether it was told the text is not GSM-7 (absent: the provider takes UTF-8 as it is). */
  sent(request: Recorded): { to: string; text: string; unicode?: boolean };
  /** The id delivery reports name for the message of our id sent in the n-th request. */
  providerId(n: number, messageId: number): string;
  /** The provider delivering an SMS (`secret`: the gateway's credentials, or a wrong one). */
  inbound(from: string, text: string, id: string, secret: string): InjectOptions;
  /** The provider reporting on a message. */
  status(id: string, delivered: boolean, secret: string): InjectOptions;
}

export const query = (values: Record<string, string>) => new URLSearchParams(values).toString();

export const form = (url: string, values: Record<string, string>): InjectOptions => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/x-www-form-urlencoded' },
  payload: query(values),
});

export const json = (url: string, body: unknown): InjectOptions => ({
  method: 'POST',
  url,
  headers: { 'content-type': 'application/json' },
  payload: JSON.stringify(body),
});
