// What the benchmarks set up before the clock starts: a project, a gateway, phone numbers and
// queued message rows.
import type { Insertable } from 'kysely';
import type { Deps } from '../app/ports/deps.ts';
import { putGateway } from '../app/gateways/gateways.ts';
import type { Mailer } from '../app/ports/gateway.ts';
import { putProject } from '../app/projects/projects.ts';
import type { ProjectSettings } from '../domain/project-settings.ts';
import type { Database } from '../db/schema.ts';

export const PROJECT = 'p';
export const GATEWAY = 'GW';
export const INBOUND_SECRET = 'bench-inbound-secret';

/** Distinct valid Kenyan mobile numbers, international form without '+': 254710000000 + i. */
export function phoneNumber(i: number): string {
  return String(254_710_000_000 + i);
}

/** The `http` gateway posting form fields to, text and ref (our message id) to `url`. */
export function httpGatewayConfig(url: string) {
  return { url, params: { to: '{to}', text: '{text}', ref: '{message_id}' } };
}

/** The benchmark project (daily limit out of the way) and its default gateway. */
export async function setupProject(
  deps: Deps,
  settings: ProjectSettings,
  gatewayUrl: string | null,
): Promise<void> {
  await putProject(deps, PROJECT, { daily_sms_limit: 1_000_000_000, ...settings });
  await putGateway(deps, GATEWAY, {
    project: PROJECT,
    default: true,
    inbound_secret: INBOUND_SECRET,
    ...(gatewayUrl === null
      ? { type: 'test' as const }
      : { type: 'http' as const, config: httpGatewayConfig(gatewayUrl) }),
  });
}

/** Outbound needs no e-mail. */
export const noMailer: Mailer = {
  send: async () => ({ kind: 'rejected', detail: 'no mailer in the benchmark' }),
};

/**
 * One event with `count` sub-events and their queued SMS rows (ids 1..count), due at `dueAt(i)`:
 * what an API send or a broadcast leaves in the queue.
 */
export function queuedRows(count: number, now: number, dueAt: (i: number) => number) {
  const events: Insertable<Database['events']>[] = [
    {
      id: 1,
      project_id: PROJECT,
      source: 'api',
      source_id: null,
      channel: 'sms',
      content: '{"text":"benchmark"}',
      status: 'in_progress',
      created_at: now,
      updated_at: now,
    },
  ];
  const subEvents: Insertable<Database['sub_events']>[] = [];
  const messages: Insertable<Database['messages']>[] = [];
  for (let i = 1; i <= count; i++) {
    const phone = phoneNumber(i);
    subEvents.push({
      id: i,
      event_id: 1,
      project_id: PROJECT,
      recipient_kind: 'phone',
      recipient_id: phone,
      status: 'in_progress',
      error_code: null,
      error_text: null,
      created_at: now,
      updated_at: now,
    });
    messages.push({
      id: i,
      project_id: PROJECT,
      event_id: 1,
      sub_event_id: i,
      direction: 'out',
      channel: 'sms',
      contact_kind: null,
      contact_id: null,
      phone,
      email: null,
      gateway_id: GATEWAY,
      subject: null,
      text: `Benchmark message ${i}`,
      segments: 1,
      status: 'queued',
      error_code: null,
      error_text: null,
      kind: 'message',
      reply_to: null,
      due_at: dueAt(i),
      wait_reason: null,
      lease_owner: null,
      lease_until: null,
      idempotency_key: `bench-${i}`,
      provider_message_id: null,
      outcome: null,
      created_at: now,
      sent_at: null,
      delivered_at: null,
      updated_at: now,
    });
  }
  return { events, subEvents, messages };
}
