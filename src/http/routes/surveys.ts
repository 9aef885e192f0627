// SMS surveys (SPEC 5): one question per SMS, answers saved to case properties on completion.
import Type from 'typebox';
import { putSurvey } from '../../app/surveys/surveys.ts';
import { SurveyBody } from '../../domain/survey-shape.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';
import { notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, ProjectItemParams, type Api, type ApiDeps } from '../common.ts';

export const SurveyView = Type.Object(
  { id: Type.String(), project: Type.String(), ...SurveyBody.properties },
  { additionalProperties: false },
);

/** Surveys are stored only by putSurvey, from a validated SurveyBody: the domain's looser type narrows back. */
const surveyView = (project: string, survey: SurveyDefinition) => ({
  ...(survey as SurveyBody & { id: string }),
  project,
});

export function surveyRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['surveys'];

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
}
