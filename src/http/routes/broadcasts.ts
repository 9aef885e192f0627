// Broadcasts (SPEC 4, 7): the list, create or replace (which reschedules every recipient from
// now), read with the instance count, a partial update (`{"active": false}` stops it, `true`
// restarts it from now), delete, and the preview.
import Type from 'typebox';
import { saveBroadcast } from '../../app/scheduling/activation.ts';
import type { InstanceSummary } from '../../app/ports/config-reads.ts';
import type { BroadcastRecord } from '../../app/ports/schedule-repos.ts';
import { BroadcastBody } from '../../domain/definitions.ts';
import { parseInput } from '../../lib/input.ts';
import { patchOf } from '../../lib/schema.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import {
  bearer,
  errors,
  loadProject,
  PageOf,
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { BooleanFilter, ListQuery, merged, PATCH_DESCRIPTION, pageOf } from './lists.ts';
import {
  instanceFields,
  instanceSummary,
  preview,
  PreviewQuery,
  PreviewView,
  summaryFields,
  deleteScheduleRoute,
} from './schedule-views.ts';

export const BroadcastView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    ...BroadcastBody.properties,
    active: Type.Boolean(),
    ...instanceFields,
  },
  { additionalProperties: false },
);

const BroadcastPatch = patchOf(
  BroadcastBody,
  'Any fields of a broadcast; `{"active": false}` stops it, `true` restarts it',
);

const broadcastView = (broadcast: BroadcastRecord, summary: InstanceSummary | undefined) => ({
  id: broadcast.id,
  project: broadcast.projectId,
  ...broadcast.definition,
  active: broadcast.active,
  ...summaryFields(summary),
});

const viewOne = async (deps: ApiDeps, broadcast: BroadcastRecord) =>
  broadcastView(broadcast, await instanceSummary(deps, 'broadcast', broadcast.projectId, broadcast.id));

async function loadBroadcast(deps: ApiDeps, projectId: string, id: string): Promise<BroadcastRecord> {
  const project = await loadProject(deps, projectId);
  const broadcast = await deps.store.broadcasts.get(project.id, id);
  if (!broadcast) throw notFound(`no broadcast '${id}' in project '${project.id}'`);
  return broadcast;
}

export function broadcastRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['broadcasts'];

  app.get(
    '/projects/:project/broadcasts',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's broadcasts by id",
        description: '`active` narrows the list; `next_cursor` pages through it.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({ active: BooleanFilter }),
        response: { 200: PageOf('broadcasts', BroadcastView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.readModel.broadcastPage(project.id, {
        ...pageOf(request.query),
        active: request.query.active,
      });
      const summaries = await deps.readModel.instanceSummaries(
        'broadcast',
        project.id,
        page.items.map((b) => b.id),
      );
      return {
        broadcasts: page.items.map((b) => broadcastView(b, summaries.get(b.id))),
        next_cursor: page.nextCursor,
      };
    },
  );

  app.put(
    '/projects/:project/broadcasts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a broadcast',
        description:
          "The body replaces the whole definition, and every recipient is scheduled afresh from now (one instance per recipient time zone, so a local time is each recipient's own). Events already past are skipped, never sent late. A body that differs from the stored one only in `active` stops (`false`) or restarts (`true`, from now, never sending what was missed) the broadcast instead.",
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: BroadcastBody,
        response: { 200: BroadcastView, 201: BroadcastView, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const existed = (await deps.store.broadcasts.get(project.id, request.params.id)) !== null;
      const broadcast = await saveBroadcast(deps, {
        ...request.body,
        project: project.id,
        id: request.params.id,
      });
      return reply.code(existed ? 200 : 201).send(await viewOne(deps, broadcast));
    },
  );

  app.patch(
    '/projects/:project/broadcasts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of a broadcast, or stop or restart it',
        description: `${PATCH_DESCRIPTION} \`{"active": false}\` stops every future firing at once and keeps the history; \`{"active": true}\` goes on from now, never sending what was missed. Any other change schedules every recipient afresh from now.`,
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: BroadcastPatch,
        response: { 200: BroadcastView, ...errors() },
      },
    },
    async (request) => {
      const current = await loadBroadcast(deps, request.params.project, request.params.id);
      const body = parseInput(
        BroadcastBody,
        merged({ ...current.definition, active: current.active }, request.body),
      );
      return viewOne(
        deps,
        await saveBroadcast(deps, { ...body, project: current.projectId, id: current.id }),
      );
    },
  );

  app.get(
    '/projects/:project/broadcasts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a broadcast with its instance count',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 200: BroadcastView, ...errors() },
      },
    },
    async (request) => viewOne(deps, await loadBroadcast(deps, request.params.project, request.params.id)),
  );

  deleteScheduleRoute(app, deps, 'broadcast', loadBroadcast);

  app.get(
    '/projects/:project/broadcasts/:id/preview',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'What a broadcast would send in the coming days',
        description:
          "One line per event and recipient: the UTC instant, the recipient's local time, and the text — or the error code that would stop it. Nothing is queued. 409 when an alert of the project has the same id (the preview cannot tell them apart).",
        tags,
        security: bearer,
        params: ProjectItemParams,
        querystring: PreviewQuery,
        response: { 200: PreviewView, ...errors(409) },
      },
    },
    async (request) => {
      const broadcast = await loadBroadcast(deps, request.params.project, request.params.id);
      // previewSchedule looks up alerts first: with an alert of the same id it would show that.
      if (await deps.store.alerts.get(broadcast.projectId, broadcast.id)) {
        throw new ApiError(
          'conflict',
          `alert '${broadcast.id}' has the same id as this broadcast; the preview cannot tell them apart`,
          'id',
        );
      }
      return preview(deps, broadcast.projectId, broadcast.id, request.query.days);
    },
  );
}
