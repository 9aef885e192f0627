// Project keywords (SPEC 5 step 4): the first word of an inbound SMS, matched case-insensitively;
// one definition per word and project.
import Type from 'typebox';
import type { KeywordRecord } from '../../app/ports/inbound-repos.ts';
import { putKeyword } from '../../app/inbound/keywords.ts';
import { KeywordBody } from '../../domain/definitions.ts';
import { notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, PathId, type Api, type ApiDeps } from '../common.ts';

const KeywordParams = Type.Object({ project: PathId, keyword: PathId }, { additionalProperties: false });

export const KeywordView = Type.Object(
  {
    keyword: Type.String({ description: 'as written; matched case-insensitively' }),
    project: Type.String(),
    ...KeywordBody.properties,
  },
  { additionalProperties: false },
);

const keywordView = (record: KeywordRecord) => ({
  keyword: record.keyword,
  project: record.projectId,
  ...record.definition,
});

export function keywordRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['keywords'];

  app.put(
    '/projects/:project/keywords/:keyword',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a keyword',
        description:
          'One word, not starting with `#`; `Visit` and `VISIT` are the same keyword. `action` `reply` (the default) needs `reply`; `survey` needs `survey` (an existing survey of the project); `notify_owner` needs `notify_text`.',
        tags,
        security: bearer,
        params: KeywordParams,
        body: KeywordBody,
        response: { 200: KeywordView, 201: KeywordView, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const existed = (await deps.store.keywords.get(project.id, request.params.keyword)) !== null;
      const record = await putKeyword(deps, project.id, request.params.keyword, request.body);
      return reply.code(existed ? 200 : 201).send(keywordView(record));
    },
  );

  app.get(
    '/projects/:project/keywords/:keyword',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a keyword (any case)',
        tags,
        security: bearer,
        params: KeywordParams,
        response: { 200: KeywordView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const record = await deps.store.keywords.get(project.id, request.params.keyword);
      if (!record) throw notFound(`no keyword '${request.params.keyword}' in project '${project.id}'`);
      return keywordView(record);
    },
  );
}
