// Conditional alerts (SPEC 4, 7): the list, create or replace, read with the progress of
// processing the existing cases (done as due work after each create or edit) and the instance
// count, a partial update (`{"active": false}` stops it), delete, and the preview.
import Type from 'typebox';
import { putAlert } from '../../app/scheduling/alerts.ts';
import type { InstanceSummary } from '../../app/ports/config-reads.ts';
import type { AlertRecord } from '../../app/ports/schedule-repos.ts';
import { AlertBody } from '../../domain/definitions.ts';
import { parseInput } from '../../lib/input.ts';
import { patchOf } from '../../lib/schema.ts';
import { notFound } from '../../app/errors.ts';
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

const AlertPatch = patchOf(
  AlertBody,
  'Any fields of an alert; `{"active": false}` stops it, `true` restarts it',
);

function alertView(alert: AlertRecord, summary: InstanceSummary | undefined) {
  const { total, done, pending } = alert.processing;
  return {
    id: alert.id,
    project: alert.projectId,
    ...alert.definition,
    active: alert.active,
    version: alert.version,
    processing: { total, done, pending },
    ...summaryFields(summary),
  };
}

const viewOne = async (deps: ApiDeps, alert: AlertRecord) =>
  alertView(alert, await instanceSummary(deps, 'alert', alert.projectId, alert.id));

async function loadAlert(deps: ApiDeps, projectId: string, id: string): Promise<AlertRecord> {
  const project = await loadProject(deps, projectId);
  const alert = await deps.store.alerts.get(project.id, id);
  if (!alert) throw notFound(`no alert '${id}' in project '${project.id}'`);
  return alert;
}

export function alertRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['alerts'];

  app.get(
    '/projects/:project/alerts',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's alerts by id",
        description: '`active` and `case_type` narrow the list; `next_cursor` pages through it.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({
          active: BooleanFilter,
          case_type: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: { 200: PageOf('alerts', AlertView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const { active, case_type: caseType } = request.query;
      const page = await deps.readModel.alertPage(project.id, { ...pageOf(request.query), active, caseType });
      const summaries = await deps.readModel.instanceSummaries(
        'alert',
        project.id,
        page.items.map((alert) => alert.id),
      );
      return {
        alerts: page.items.map((alert) => alertView(alert, summaries.get(alert.id))),
        next_cursor: page.nextCursor,
      };
    },
  );

  app.put(
    '/projects/:project/alerts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a conditional alert',
        description:
          'The body replaces the whole definition. Every open case of `case_type` is then processed in the background: `processing` shows the progress, and cases that match get a schedule instance. Re-sending an unchanged definition changes nothing; `active: false` stops every instance (they stay, with no next event) and `active: true` recalculates them from now, never sending what was missed.',
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
      return reply.code(existed ? 200 : 201).send(await viewOne(deps, alert));
    },
  );

  app.patch(
    '/projects/:project/alerts/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of an alert, or stop or restart it',
        description: `${PATCH_DESCRIPTION} \`{"active": false}\` stops every future firing at once and keeps the history; \`{"active": true}\` recalculates from now and never sends what was missed.`,
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: AlertPatch,
        response: { 200: AlertView, ...errors() },
      },
    },
    async (request) => {
      const current = await loadAlert(deps, request.params.project, request.params.id);
      const body = parseInput(
        AlertBody,
        merged({ ...current.definition, active: current.active }, request.body),
      );
      const alert = await putAlert(deps, { ...body, project: current.projectId, id: current.id });
      return viewOne(deps, alert);
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
    async (request) => viewOne(deps, await loadAlert(deps, request.params.project, request.params.id)),
  );

  deleteScheduleRoute(app, deps, 'alert', loadAlert);

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
