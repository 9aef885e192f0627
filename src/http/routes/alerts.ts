// Conditional alerts (SPEC 4): upsert, read with the progress of processing the existing cases
// (done as due work after each create or edit) and the instance count, and the preview.
import Type from 'typebox';
import { putAlert } from '../../app/scheduling/alerts.ts';
import type { AlertRecord } from '../../app/ports/schedule-repos.ts';
import { AlertBody } from '../../domain/definitions.ts';
import { notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, ProjectItemParams, type Api, type ApiDeps } from '../common.ts';
import { instanceFields, instanceSummary, preview, PreviewQuery, PreviewView } from './schedule-views.ts';

const Processing = Type.Object(
  {
    /** Open cases of the alert's type when processing started. */
    total: Type.Integer({ minimum: 0 }),
    done: Type.Integer({ minimum: 0 }),
    /** True until every existing case has been looked at. */
    pending: Type.Boolean(),
  },
  {
    additionalProperties: false,
    description: 'processing of the existing cases after a create or edit; pending until done',
  },
);

export const AlertView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    ...AlertBody.properties,
    active: Type.Boolean(),
    /** Bumped by each change of the definition. */
    version: Type.Integer(),
    processing: Processing,
    ...instanceFields,
  },
  { additionalProperties: false },
);

async function alertView(deps: ApiDeps, alert: AlertRecord) {
  const { total, done, pending } = alert.processing;
  return {
    id: alert.id,
    project: alert.projectId,
    ...alert.definition,
    active: alert.active,
    version: alert.version,
    processing: { total, done, pending },
    ...(await instanceSummary(deps, 'alert', alert.projectId, alert.id)),
  };
}

async function loadAlert(deps: ApiDeps, projectId: string, id: string): Promise<AlertRecord> {
  const project = await loadProject(deps, projectId);
  const alert = await deps.store.alerts.get(project.id, id);
  if (!alert) throw notFound(`no alert '${id}' in project '${project.id}'`);
  return alert;
}

export function alertRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['alerts'];

  app.put(
    '/projects/:project/alerts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a conditional alert',
        description:
          'The body replaces the whole definition. Every open case of `case_type` is then processed in the background: `processing` shows the progress, and cases that match get a schedule instance. Re-sending an unchanged definition changes nothing; `active: false` removes every instance.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: AlertBody,
        response: { 200: AlertView, 201: AlertView, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const existed = (await deps.store.alerts.get(project.id, request.params.id)) !== null;
      const alert = await putAlert(deps, { ...request.body, project: project.id, id: request.params.id });
      return reply.code(existed ? 200 : 201).send(await alertView(deps, alert));
    },
  );

  app.get(
    '/projects/:project/alerts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read an alert with its processing progress and instance count',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 200: AlertView, ...errors() },
      },
    },
    async (request) => alertView(deps, await loadAlert(deps, request.params.project, request.params.id)),
  );

  app.get(
    '/projects/:project/alerts/:id/preview',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'What an alert would send in the coming days',
        description:
          "One line per event and recipient: the UTC instant, the recipient's local time, and the text — or the error code that would stop it. Nothing is queued.",
        tags,
        security: bearer,
        params: ProjectItemParams,
        querystring: PreviewQuery,
        response: { 200: PreviewView, ...errors() },
      },
    },
    async (request) => {
      const alert = await loadAlert(deps, request.params.project, request.params.id);
      return preview(deps, alert.projectId, alert.id, request.query.days);
    },
  );
}
