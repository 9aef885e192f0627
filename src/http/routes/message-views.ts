// What the message routes share (messages.ts, message-changes.ts): a message as the API shows
// it, the log's query and its filter, and the path of one message.
import Type from 'typebox';
import type { Static } from 'typebox';
import type { ContactKind } from '../../app/ports/records.ts';
import type { MessageFilter, MessageRow } from '../../app/ports/read-model.ts';
import { Instant as InstantInput } from '../../lib/schema.ts';
import {
  Cursor,
  DEFAULT_PAGE,
  iso,
  isoOrNull,
  Limit,
  NullableInstant,
  NullableString,
  PathId,
} from '../common.ts';

export const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
const Contact = Type.Union([
  Type.Object({ kind: Type.String(), id: Type.String() }, { additionalProperties: false }),
  Type.Null(),
]);

export const MessageView = Type.Object(
  {
    id: Type.Integer(),
    project: NullableString,
    direction: Type.Enum(['in', 'out']),
    channel: Type.Enum(['sms', 'email']),
    kind: Type.String({ description: 'message, reply, opt_confirmation or inbound' }),
    status: Type.String({ description: 'queued, sent, delivered, received, error or cancelled' }),
    contact: Contact,
    phone: NullableString,
    email: NullableString,
    gateway: NullableString,
    subject: NullableString,
    text: Type.String(),
    segments: NullableInteger,
    attempts: Type.Integer(),
    error_code: NullableString,
    error_text: NullableString,
    event_id: NullableInteger,
    sub_event_id: NullableInteger,
    reply_to: NullableInteger,
    /** When the queue looks at it next; null once final. */
    due_at: NullableInstant,
    /** What it waits for: window, daily_limit, rate_limit, retry. */
    wait_reason: NullableString,
    provider_message_id: NullableString,
    created_at: Type.String(),
    sent_at: NullableInstant,
    delivered_at: NullableInstant,
  },
  { additionalProperties: false },
);

export const messageView = (m: MessageRow) => ({
  id: m.id,
  project: m.projectId,
  direction: m.direction,
  channel: m.channel,
  kind: m.kind,
  status: m.status,
  contact: m.contact,
  phone: m.phone,
  email: m.email,
  gateway: m.gatewayId,
  subject: m.subject,
  text: m.text,
  segments: m.segments,
  attempts: m.attempts,
  error_code: m.errorCode,
  error_text: m.errorText,
  event_id: m.eventId,
  sub_event_id: m.subEventId,
  reply_to: m.replyTo,
  due_at: isoOrNull(m.dueAt),
  wait_reason: m.waitReason,
  provider_message_id: m.providerMessageId,
  created_at: iso(m.createdAt),
  sent_at: isoOrNull(m.sentAt),
  delivered_at: isoOrNull(m.deliveredAt),
});

export const MessageListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['queued', 'sent', 'delivered', 'received', 'error', 'cancelled'])),
    direction: Type.Optional(Type.Enum(['in', 'out'])),
    contact: Type.Optional(
      Type.String({
        pattern: '^(case|mobile_worker):.{1,200}$',
        errorMessage: 'must be case:ID or mobile_worker:ID',
      }),
    ),
    number: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    from: Type.Optional(InstantInput),
    to: Type.Optional(InstantInput),
    error_code: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    cursor: Cursor,
    limit: Limit,
  },
  { additionalProperties: false },
);

export const MessageParams = Type.Object(
  { project: PathId, id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

/** The read model's filter for a log query; `number` reads a typed number as the log stores it. */
export function listFilter(
  q: Static<typeof MessageListQuery>,
  number: (raw: string) => string,
): MessageFilter {
  const contact = q.contact === undefined ? undefined : /^(case|mobile_worker):(.+)$/.exec(q.contact);
  return {
    cursor: q.cursor,
    limit: q.limit ?? DEFAULT_PAGE,
    status: q.status,
    direction: q.direction,
    contact: contact ? { kind: contact[1] as ContactKind, id: contact[2] ?? '' } : undefined,
    number: q.number === undefined ? undefined : number(q.number),
    from: q.from === undefined ? undefined : Date.parse(q.from),
    to: q.to === undefined ? undefined : Date.parse(q.to),
    errorCode: q.error_code,
  };
}
