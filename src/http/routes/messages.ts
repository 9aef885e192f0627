// Messages: send one now or later (one event, one sub-event), the log with filters and
// cursor pages (newest first), and one message with its attempts and its event.
import Type from 'typebox';
import type { ContactKind } from '../../app/ports/records.ts';
import type { AttemptRow, MessageRow } from '../../app/ports/read-model.ts';
import { Instant as InstantInput, withFields } from '../../lib/schema.ts';
import { SendBody } from '../../app/sending/schemas.ts';
import { sendMessage } from '../../app/sending/send.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import { phoneKey } from '../../domain/phone.ts';
import { notFound } from '../../app/errors.ts';
import {
  bearer,
  Cursor,
  DEFAULT_PAGE,
  errors,
  iso,
  isoOrNull,
  Limit,
  loadProject,
  NullableInstant,
  NullableString,
  PageOf,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { EventDetail, eventDetail } from './events.ts';

const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);
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

const AttemptView = Type.Object(
  {
    id: Type.Integer(),
    gateway: NullableString,
    started_at: Type.String(),
    finished_at: Type.String(),
    outcome: Type.String(),
    status_code: NullableInteger,
    detail: NullableString,
    /** The request as sent, secrets replaced. */
    request_trace: NullableString,
    response_trace: NullableString,
  },
  { additionalProperties: false },
);

const attemptView = (a: AttemptRow) => ({
  id: a.id,
  gateway: a.gatewayId,
  started_at: iso(a.startedAt),
  finished_at: iso(a.finishedAt),
  outcome: a.outcome,
  status_code: a.statusCode,
  detail: a.detail,
  request_trace: a.requestTrace,
  response_trace: a.responseTrace,
});

const MessageDetail = Type.Object(
  {
    ...MessageView.properties,
    attempt_log: Type.Array(AttemptView),
    event: Type.Union([EventDetail, Type.Null()]),
  },
  { additionalProperties: false },
);

const SendRequest = withFields(
  /** Send at this instant instead of now (the recipient is decided now). */
  { at: Type.Optional(InstantInput) },
  SendBody,
);

const SendResult = Type.Object(
  {
    event_id: Type.Integer(),
    sub_events: Type.Array(
      Type.Object(
        {
          id: Type.Integer(),
          recipient: Type.Object({ kind: Type.String(), id: Type.String() }, { additionalProperties: false }),
          message_id: NullableInteger,
          error: Type.Union([
            Type.Object({ code: Type.String(), text: Type.String() }, { additionalProperties: false }),
            Type.Null(),
          ]),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);

const ListQuery = Type.Object(
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

const MessageParams = Type.Object(
  { project: PathId, id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

export function messageRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['messages'];

  app.post(
    '/projects/:project/messages',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Send one message',
        description:
          'Makes one event with one sub-event for the recipient. A recipient that cannot get it (no number, opted out, ...) is recorded with its error code on the sub-event; the answer shows it.',
        tags,
        security: bearer,
        params: ProjectParams,
        body: SendRequest,
        response: { 202: SendResult, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const { at, ...body } = request.body;
      const result = await sendMessage(
        deps,
        { ...body, project: project.id },
        at === undefined ? {} : { at: Date.parse(at) },
      );
      return reply.code(202).send({
        event_id: result.eventId,
        sub_events: result.subEvents.map((s) => ({
          id: s.subEventId,
          recipient: s.recipient,
          message_id: s.messageId,
          error: s.error,
        })),
      });
    },
  );

  app.get(
    '/projects/:project/messages',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'The message log, newest first',
        description:
          '`contact` is case:ID or mobile_worker:ID; `from` (inclusive) and `to` (exclusive) bound the creation time.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery,
        response: { 200: PageOf('messages', MessageView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const q = request.query;
      const contact = q.contact === undefined ? undefined : /^(case|mobile_worker):(.+)$/.exec(q.contact);
      const page = await deps.readModel.listMessages(project.id, {
        cursor: q.cursor,
        limit: q.limit ?? DEFAULT_PAGE,
        status: q.status,
        direction: q.direction,
        contact: contact ? { kind: contact[1] as ContactKind, id: contact[2] ?? '' } : undefined,
        number:
          q.number === undefined
            ? undefined
            : phoneKey(q.number, effectiveSettings(project.settings).defaultCountry),
        from: q.from === undefined ? undefined : Date.parse(q.from),
        to: q.to === undefined ? undefined : Date.parse(q.to),
        errorCode: q.error_code,
      });
      return { messages: page.items.map(messageView), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/projects/:project/messages/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'One message with its attempts and its event',
        tags,
        security: bearer,
        params: MessageParams,
        response: { 200: MessageDetail, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const message = await deps.readModel.message(project.id, request.params.id);
      if (!message) throw notFound(`no message ${request.params.id} in project '${project.id}'`);
      const event = message.eventId === null ? null : await deps.readModel.event(project.id, message.eventId);
      return {
        ...messageView(message),
        attempt_log: (await deps.readModel.attempts(message.id)).map(attemptView),
        event: event ? await eventDetail(deps, event) : null,
      };
    },
  );
}
