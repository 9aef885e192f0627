// Messages: send one now or later (one event, one sub-event), the log with filters and
// cursor pages (newest first), and one message with its attempts and its event.
import { attemptFor } from '../../app/access/trace-view.ts';
import Type from 'typebox';
import type { AttemptRow } from '../../app/ports/read-model.ts';
import { Instant as InstantInput, withFields } from '../../lib/schema.ts';
import { SendBody } from '../../app/sending/schemas.ts';
import { sendMessage } from '../../app/sending/send.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import { phoneKey } from '../../domain/phone.ts';
import { notFound } from '../../app/errors.ts';
import {
  bearer,
  errors,
  iso,
  loadProject,
  NullableString,
  PageOf,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { EventDetail, eventDetail } from './events.ts';
import { messageChangeRoutes } from './message-changes.ts';
import {
  listFilter,
  MessageListQuery,
  MessageParams,
  MessageView,
  messageView,
  NullableInteger,
} from './message-views.ts';

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
        querystring: MessageListQuery,
        response: { 200: PageOf('messages', MessageView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const country = effectiveSettings(project.settings).defaultCountry;
      const filter = listFilter(request.query, (raw) => phoneKey(raw, country));
      const page = await deps.readModel.listMessages(project.id, filter);
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
        attempt_log: (await deps.readModel.attempts(message.id)).map((a) =>
          attemptView(attemptFor(request.principal, a)),
        ),
        event: event ? await eventDetail(deps, event) : null,
      };
    },
  );
  messageChangeRoutes(app, deps);
}
