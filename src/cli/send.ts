// `caseline send <project> <to> <text>`: one message through the same use case as the API.
// `to` is case:ID, mobile_worker:ID or a phone number. The message is queued; a running
// `caseline serve` or `caseline worker` hands it to the gateway.
import type { Deps } from '../app/ports/deps.ts';
import type { Recipient } from '../domain/recipients.ts';
import { sendMessage } from '../app/sending/send.ts';
import { InputError } from '../lib/input.ts';

export function recipientOf(to: string): Recipient {
  const match = /^(case|mobile_worker):(.+)$/.exec(to);
  if (match?.[1] === 'case') return { case: match[2] ?? '' };
  if (match?.[1] === 'mobile_worker') return { mobile_worker: match[2] ?? '' };
  if (/^\+?[\d\s\-.()]{3,30}$/.test(to)) return { phone: to };
  throw new InputError('to', `"${to}" is not case:ID, mobile_worker:ID or a phone number`);
}

export interface SendOptions {
  channel?: 'sms' | 'email';
  subject?: string;
}

/** Queues the message and describes what became of it. Fails (exit 1) when it was not queued. */
export async function sendFromCli(
  deps: Deps,
  project: string,
  to: string,
  text: string,
  options: SendOptions = {},
): Promise<{ ok: boolean; lines: string[] }> {
  const result = await sendMessage(deps, {
    project,
    to: recipientOf(to),
    text,
    ...(options.channel ? { channel: options.channel } : {}),
    ...(options.subject !== undefined ? { subject: options.subject } : {}),
  });
  const lines: string[] = [];
  let ok = true;
  for (const sub of result.subEvents) {
    if (sub.error) {
      ok = false;
      lines.push(
        `not sent to ${sub.recipient.kind} ${sub.recipient.id}: ${sub.error.code} — ${sub.error.text} (event ${result.eventId})`,
      );
    } else {
      lines.push(
        `queued message ${sub.messageId ?? '?'} to ${sub.recipient.kind} ${sub.recipient.id} (event ${result.eventId}); a running server or worker sends it`,
      );
    }
  }
  return { ok, lines };
}
