// A message's life after it is queued (SPEC 6, 7): cancel it or change its time or text while it
// waits; answer an inbound one (an operator's reply, from the inbox); and the administrator's
// log of every project, including the messages of no project — inbound SMS from unknown numbers
// through a global gateway and the replies to them (SPEC 5 step 1). Registered by messageRoutes.
import Type from 'typebox';
import { cancelMessage, editMessage } from '../../app/sending/changes.ts';
import { replyToInbound } from '../../app/inbound/inbox.ts';
import { ALL_PROJECTS } from '../../app/ports/read-model.ts';
import { notFound } from '../../app/errors.ts';
import { FreeText, Instant as InstantInput, MAX_TEXT_LENGTH } from '../../lib/schema.ts';
import { phoneKey } from '../../domain/phone.ts';
import { bearer, errors, loadProject, PageOf, PathId, type Api, type ApiDeps } from '../common.ts';
import { listFilter, MessageListQuery, MessageParams, MessageView, messageView } from './message-views.ts';

const MessageEditBody = Type.Object(
  {
    /** Send at this instant instead (a past instant: now). */
    at: Type.Optional(InstantInput),
    /** The new text (SMS text is cleaned as the project sends it). */
    text: Type.Optional(Type.String({ minLength: 1, maxLength: MAX_TEXT_LENGTH })),
  },
  { additionalProperties: false, description: 'A new time or text for a message still queued' },
);

const ReplyBody = Type.Object(
  { text: FreeText },
  { additionalProperties: false, description: 'The answer, sent back through the gateway it arrived on' },
);
const ReplyResult = Type.Object({ message_id: Type.Integer() }, { additionalProperties: false });

const AdminMessageParams = Type.Object(
  { id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);
const AdminListQuery = Type.Object(
  {
    ...MessageListQuery.properties,
    project: Type.Optional(
      Type.Union([PathId], {
        description: 'a project id, or `none` for the messages of no project; absent: all',
      }),
    ),
  },
  { additionalProperties: false },
);

export function messageChangeRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['messages'];

  app.delete(
    '/projects/:project/messages/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Cancel a queued message',
        description:
          'A message still queued (waiting for its time, a window, a limit or a retry) and not being handed to its gateway right now ends `cancelled`; it stays in the log with its event. 409 when it is being sent, sent or final.',
        tags,
        security: bearer,
        params: MessageParams,
        response: { 204: Type.Null(), ...errors(409) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      await cancelMessage(deps, project.id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.patch(
    '/projects/:project/messages/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change when or what a queued message sends',
        description: '409 when it is being sent, sent or final.',
        tags,
        security: bearer,
        params: MessageParams,
        body: MessageEditBody,
        response: { 200: MessageView, ...errors(409) },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const { at, text } = request.body;
      await editMessage(deps, project.id, request.params.id, {
        at: at === undefined ? undefined : Date.parse(at),
        text,
      });
      const message = await deps.readModel.message(project.id, request.params.id);
      if (!message) throw notFound(`no message ${request.params.id} in project '${project.id}'`);
      return messageView(message);
    },
  );

  app.post(
    '/projects/:project/messages/:id/replies',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Answer an inbound message',
        description:
          'Queues a reply to its sender (a contact or an unknown number) through the gateway it arrived on; replies ignore restricted sending times.',
        tags,
        security: bearer,
        params: MessageParams,
        body: ReplyBody,
        response: { 202: ReplyResult, ...errors(409) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const id = await replyToInbound(deps, project.id, request.params.id, request.body.text);
      return reply.code(202).send({ message_id: id });
    },
  );

  app.get(
    '/messages',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'The message log of every project (admin), newest first',
        description:
          "`project=none` lists the messages of no project: inbound SMS from unknown numbers through a global gateway and the replies to them. The other filters are those of a project's log.",
        tags,
        security: bearer,
        querystring: AdminListQuery,
        response: { 200: PageOf('messages', MessageView), ...errors() },
      },
    },
    async (request) => {
      const { project, ...query } = request.query;
      const scope = project === undefined ? ALL_PROJECTS : project === 'none' ? null : project;
      const filter = listFilter(query, (raw) => phoneKey(raw));
      const page = await deps.readModel.listMessages(scope, filter);
      return { messages: page.items.map(messageView), next_cursor: page.nextCursor };
    },
  );

  app.post(
    '/messages/:id/replies',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Answer an inbound message of no project (admin)',
        description:
          "As a project's replies, for an SMS that came from an unknown number through a global gateway.",
        tags,
        security: bearer,
        params: AdminMessageParams,
        body: ReplyBody,
        response: { 202: ReplyResult, ...errors(409) },
      },
    },
    async (request, reply) => {
      const id = await replyToInbound(deps, null, request.params.id, request.body.text);
      return reply.code(202).send({ message_id: id });
    },
  );
}
