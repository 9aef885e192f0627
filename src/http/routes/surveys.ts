// SMS surveys (SPEC 5, 7): one question per SMS, answers saved to case properties on completion;
// list, create or replace, read, change some fields, delete (409 while something starts it).
import Type from 'typebox';
import { putSurvey } from '../../app/surveys/surveys.ts';
import { deleteSurvey } from '../../app/surveys/removal.ts';
import { SurveyBody } from '../../domain/survey-shape.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';
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
import { ListQuery, merged, PATCH_DESCRIPTION, pageOf } from './lists.ts';

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
          'Question types: text, int, decimal, date (YYYYMMDD), time (HHMM), single and multiple (with `choices`), label. Texts are language → text (`*` untranslated).',
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
      const { project, ...survey } = await loadSurvey(deps, request.params.project, request.params.id);
      return surveyView(project, survey);
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
}
