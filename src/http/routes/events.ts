// Events: one per messaging action (an API send, a verification, a broadcast firing, ...),
// each with one sub-event per recipient; the messaging history.
import Type from 'typebox';
import type { EventRow, SubEventRow } from '../../app/ports/read-model.ts';
import { Instant as InstantInput } from '../../lib/schema.ts';
import { notFound } from '../../app/errors.ts';
import {
  bearer,
  Cursor,
  DEFAULT_PAGE,
  errors,
  iso,
  Limit,
  loadProject,
  NullableString,
  PageOf,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

export const EventView = Type.Object(
  {
    id: Type.Integer(),
    project: NullableString,
    source: Type.String({ description: 'api, verification, reply, broadcast, alert or keyword' }),
    source_id: NullableString,
    channel: Type.String(),
    content: Type.Unknown({ description: 'what was sent: text or translations, subject' }),
    status: Type.Enum(['in_progress', 'completed', 'error']),
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { additionalProperties: false },
);

const SubEventView = Type.Object(
  {
    id: Type.Integer(),
    recipient: Type.Object({ kind: Type.String(), id: Type.String() }, { additionalProperties: false }),
    status: Type.Enum(['in_progress', 'completed', 'error']),
    error_code: NullableString,
    error_text: NullableString,
    created_at: Type.String(),
    updated_at: Type.String(),
  },
  { additionalProperties: false },
);

export const EventDetail = Type.Object(
  { ...EventView.properties, sub_events: Type.Array(SubEventView) },
  { additionalProperties: false },
);

const eventView = (e: EventRow) => ({
  id: e.id,
  project: e.projectId,
  source: e.source,
  source_id: e.sourceId,
  channel: e.channel,
  content: e.content,
  status: e.status,
  created_at: iso(e.createdAt),
  updated_at: iso(e.updatedAt),
});

const subEventView = (s: SubEventRow) => ({
  id: s.id,
  recipient: { kind: s.recipientKind, id: s.recipientId },
  status: s.status,
  error_code: s.errorCode,
  error_text: s.errorText,
  created_at: iso(s.createdAt),
  updated_at: iso(s.updatedAt),
});

export async function eventDetail(deps: ApiDeps, event: EventRow) {
  return { ...eventView(event), sub_events: (await deps.readModel.subEvents(event.id)).map(subEventView) };
}

const ListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(['in_progress', 'completed', 'error'])),
    source: Type.Optional(Type.Enum(['api', 'verification', 'reply', 'broadcast', 'alert', 'keyword'])),
    from: Type.Optional(InstantInput),
    to: Type.Optional(InstantInput),
    cursor: Cursor,
    limit: Limit,
  },
  { additionalProperties: false },
);

const EventParams = Type.Object(
  { project: PathId, id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }) },
  { additionalProperties: false },
);

export function eventRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/projects/:project/events',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Events, newest first',
        tags: ['events'],
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery,
        response: { 200: PageOf('events', EventView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const q = request.query;
      const page = await deps.readModel.listEvents(project.id, {
        cursor: q.cursor,
        limit: q.limit ?? DEFAULT_PAGE,
        status: q.status,
        source: q.source,
        from: q.from === undefined ? undefined : Date.parse(q.from),
        to: q.to === undefined ? undefined : Date.parse(q.to),
      });
      return { events: page.items.map(eventView), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/projects/:project/events/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'One event with its sub-events',
        tags: ['events'],
        security: bearer,
        params: EventParams,
        response: { 200: EventDetail, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const event = await deps.readModel.event(project.id, request.params.id);
      if (!event) throw notFound(`no event ${request.params.id} in project '${project.id}'`);
      return eventDetail(deps, event);
    },
  );
}
