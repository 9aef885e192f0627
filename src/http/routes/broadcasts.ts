// Broadcasts (SPEC 4): upsert (which reschedules every recipient from now), read with the
// instance count, and the preview.
import Type from 'typebox';
import { putBroadcast } from '../../app/scheduling/broadcasts.ts';
import type { BroadcastRecord } from '../../app/ports/schedule-repos.ts';
import { BroadcastBody } from '../../domain/definitions.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, ProjectItemParams, type Api, type ApiDeps } from '../common.ts';
import { instanceFields, instanceSummary, preview, PreviewQuery, PreviewView } from './schedule-views.ts';

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

async function broadcastView(deps: ApiDeps, broadcast: BroadcastRecord) {
  return {
    id: broadcast.id,
    project: broadcast.projectId,
    ...broadcast.definition,
    active: broadcast.active,
    ...(await instanceSummary(deps, 'broadcast', broadcast.projectId, broadcast.id)),
  };
}

async function loadBroadcast(deps: ApiDeps, projectId: string, id: string): Promise<BroadcastRecord> {
  const project = await loadProject(deps, projectId);
  const broadcast = await deps.store.broadcasts.get(project.id, id);
  if (!broadcast) throw notFound(`no broadcast '${id}' in project '${project.id}'`);
  return broadcast;
}

export function broadcastRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['broadcasts'];

  app.put(
    '/projects/:project/broadcasts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a broadcast',
        description:
          "The body replaces the whole definition, and every recipient is scheduled afresh from now (one instance per recipient time zone, so a local time is each recipient's own). Events already past are skipped, never sent late.",
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
      const broadcast = await putBroadcast(deps, {
        ...request.body,
        project: project.id,
        id: request.params.id,
      });
      return reply.code(existed ? 200 : 201).send(await broadcastView(deps, broadcast));
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
    async (request) =>
      broadcastView(deps, await loadBroadcast(deps, request.params.project, request.params.id)),
  );

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
