// SMS surveys (SPEC 5, 7): one question per SMS, answers saved to case properties on completion;
// list, create or replace, read, change some fields, delete (409 while something starts it);
// sessions and results.
import Type from 'typebox';
import { putSurvey } from '../../app/surveys/surveys.ts';
import { deleteSurvey } from '../../app/surveys/removal.ts';
import { listSessions, requireSurvey, resultColumns, resultRows } from '../../app/surveys/results.ts';
import { sendTable } from '../../lib/table-export.ts';
import { SurveyBody } from '../../domain/survey-shape.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';
import { notFound } from '../../app/errors.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { patchOf } from '../../lib/schema.ts';
import {
  bearer,
  Cursor,
  DEFAULT_PAGE,
  errors,
  Instant,
  Limit,
  loadProject,
  NullableInstant,
  PageOf,
  PathId,
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { ListQuery, merged, PATCH_DESCRIPTION, pageOf } from './lists.ts';

/** One session of a survey: its contact, status, start and end, and the stored answers. */
export const SessionView = Type.Object(
  {
    id: Type.Integer(),
    survey: Type.String(),
    contact: Type.Object(
      { kind: Type.Enum(['case', 'mobile_worker']), id: Type.String() },
      { additionalProperties: false },
    ),
    status: Type.Enum(['open', 'completed', 'expired', 'closed']),
    started_at: Instant,
    ended_at: NullableInstant,
    answers: Type.Record(Type.String(), Type.String(), {
      description: 'question id → stored value; skipped and hidden questions have none',
    }),
  },
  { additionalProperties: false },
);

const SessionFilter = {
  /** Only the sessions of this case. */
  case: Type.Optional(PathId),
  /** Only the sessions of this mobile worker. */
  mobile_worker: Type.Optional(PathId),
  cursor: Cursor,
  limit: Limit,
};
const SurveySessionsQuery = Type.Object(SessionFilter, { additionalProperties: false });
const SessionsQuery = Type.Object(
  { survey: Type.Optional(PathId), ...SessionFilter },
  { additionalProperties: false },
);
const ExportParams = Type.Object(
  { project: PathId, id: PathId, format: Type.Enum(['csv', 'xlsx']) },
  { additionalProperties: false },
);

function contactFilter(query: { case?: string; mobile_worker?: string }) {
  if (query.case !== undefined && query.mobile_worker !== undefined)
    throw new InputError('case', 'give case or mobile_worker, not both');
  if (query.case !== undefined) return { kind: 'case' as const, id: query.case };
  if (query.mobile_worker !== undefined) return { kind: 'mobile_worker' as const, id: query.mobile_worker };
  return undefined;
}

export const SurveyView = Type.Object(
  { id: Type.String(), project: Type.String(), ...SurveyBody.properties },
  { additionalProperties: false },
);

const SurveyPatch = patchOf(SurveyBody, 'Any fields of a survey');

/** Surveys are stored only by putSurvey, from a validated SurveyBody: the domain's looser type narrows back. */
const surveyView = (project: string, survey: SurveyDefinition) => ({
  ...(survey as SurveyBody & { id: string }),
  project,
});

async function loadSurvey(
  deps: ApiDeps,
  projectId: string,
  id: string,
): Promise<SurveyDefinition & { project: string }> {
  const project = await loadProject(deps, projectId);
  const survey = await deps.store.surveys.get(project.id, id);
  if (!survey) throw notFound(`no survey '${id}' in project '${project.id}'`);
  return { ...survey, project: project.id };
}

export function surveyRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['surveys'];

  /** A page of the project's sessions, of one survey (which must exist) and/or one contact. */
  const sessionsPage = async (
    projectId: string,
    q: { survey?: string; case?: string; mobile_worker?: string; cursor?: string; limit?: number },
  ) => {
    const project = await loadProject(deps, projectId);
    if (q.survey !== undefined) await requireSurvey(deps.store, project.id, q.survey);
    return listSessions(deps.store, {
      projectId: project.id,
      surveyId: q.survey,
      contact: contactFilter(q),
      cursor: q.cursor,
      limit: q.limit ?? DEFAULT_PAGE,
    });
  };

  app.get(
    '/projects/:project/surveys',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's surveys by id",
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({}),
        response: { 200: PageOf('surveys', SurveyView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.readModel.surveyPage(project.id, pageOf(request.query));
      return { surveys: page.items.map((s) => surveyView(project.id, s)), next_cursor: page.nextCursor };
    },
  );

  app.put(
    '/projects/:project/surveys/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a survey',
        description:
          'Question types: text, int, decimal, date (YYYYMMDD), time (HHMM), single and multiple (with `choices`), label. A text is a string, or `translations` (language → text, `*` untranslated). `show_if` asks a question only when a condition on an earlier answer holds; `save_to` writes the answer to the case on completion. Labels go out joined with the next question in one SMS.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: SurveyBody,
        response: { 200: SurveyView, 201: SurveyView, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const existed = (await deps.store.surveys.get(project.id, request.params.id)) !== null;
      const survey = await putSurvey(deps, project.id, request.params.id, request.body);
      return reply.code(existed ? 200 : 201).send(surveyView(project.id, survey));
    },
  );

  app.get(
    '/projects/:project/surveys/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a survey',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 200: SurveyView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const survey = await deps.store.surveys.get(project.id, request.params.id);
      if (!survey) throw notFound(`no survey '${request.params.id}' in project '${project.id}'`);
      return surveyView(project.id, survey);
    },
  );

  app.patch(
    '/projects/:project/surveys/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of a survey',
        description: `${PATCH_DESCRIPTION} A given \`questions\` list replaces the whole list.`,
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: SurveyPatch,
        response: { 200: SurveyView, ...errors() },
      },
    },
    async (request) => {
      const { id, project, ...current } = await loadSurvey(deps, request.params.project, request.params.id);
      const body = parseInput(SurveyBody, merged(current as SurveyBody, request.body));
      return surveyView(project, await putSurvey(deps, project, id, body));
    },
  );

  app.delete(
    '/projects/:project/surveys/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Delete a survey',
        description:
          'Refused with 409 and `used_by` while a keyword, an alert or a broadcast starts it. Its open sessions are closed; their answers stay.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 204: Type.Null(), ...errors(409) },
      },
    },
    async (request, reply) => {
      const survey = await loadSurvey(deps, request.params.project, request.params.id);
      await deleteSurvey(deps, survey.project, survey.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/projects/:project/surveys/:id/sessions',
    {
      config: { auth: 'project' },
      schema: {
        summary: "A survey's sessions with their answers",
        description: 'In start order, a page at a time; optionally of one case or mobile worker.',
        // The derived id would equal the project-wide list's (survey-sessions).
        operationId: 'listSurveySessions',
        tags,
        security: bearer,
        params: ProjectItemParams,
        querystring: SurveySessionsQuery,
        response: { 200: PageOf('sessions', SessionView), ...errors() },
      },
    },
    async (request) => sessionsPage(request.params.project, { ...request.query, survey: request.params.id }),
  );

  app.get(
    '/projects/:project/survey-sessions',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Survey sessions of a project, of a contact or a survey',
        description:
          "In start order, a page at a time: `case` or `mobile_worker` gives one contact's sessions.",
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: SessionsQuery,
        response: { 200: PageOf('sessions', SessionView), ...errors() },
      },
    },
    async (request) => sessionsPage(request.params.project, request.query),
  );

  app.get(
    '/projects/:project/surveys/:id/results.:format',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Export a survey's results (CSV or XLSX)",
        operationId: 'exportSurveyResults',
        description:
          'One row per session: session, contact_kind, contact_id, status, started_at, ended_at, then one column per question (its id) with the stored answer.',
        tags,
        security: bearer,
        params: ExportParams,
        response: { ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const survey = await requireSurvey(deps.store, project.id, request.params.id);
      return sendTable(reply, request.log, {
        format: request.params.format,
        name: `survey-${project.id}-${survey.id}`,
        sheet: 'results',
        columns: resultColumns(survey),
        pages: resultRows(deps.store, project.id, survey),
      });
    },
  );
}
