// Project keywords (SPEC 5 step 4, 7): the first word of an inbound SMS, matched
// case-insensitively; one definition per word and project: list, create or replace, read,
// change some fields, delete.
import Type from 'typebox';
import type { KeywordRecord } from '../../app/ports/inbound-repos.ts';
import { deleteKeyword, putKeyword } from '../../app/inbound/keywords.ts';
import { KeywordBody } from '../../domain/definitions.ts';
import { parseInput } from '../../lib/input.ts';
import { patchOf } from '../../lib/schema.ts';
import { notFound } from '../../app/errors.ts';
import {
  bearer,
  errors,
  loadProject,
  PageOf,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { ListQuery, merged, PATCH_DESCRIPTION, pageOf } from './lists.ts';

const KeywordParams = Type.Object({ project: PathId, keyword: PathId }, { additionalProperties: false });

export const KeywordView = Type.Object(
  {
    keyword: Type.String({ description: 'as written; matched case-insensitively' }),
    project: Type.String(),
    ...KeywordBody.properties,
  },
  { additionalProperties: false },
);

const KeywordPatch = patchOf(KeywordBody, 'Any fields of a keyword');

const keywordView = (record: KeywordRecord) => ({
  keyword: record.keyword,
  project: record.projectId,
  ...record.definition,
});

async function loadKeyword(deps: ApiDeps, projectId: string, keyword: string): Promise<KeywordRecord> {
  const project = await loadProject(deps, projectId);
  const record = await deps.store.keywords.get(project.id, keyword);
  if (!record) throw notFound(`no keyword '${keyword}' in project '${project.id}'`);
  return record;
}

export function keywordRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['keywords'];

  app.get(
    '/projects/:project/keywords',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's keywords",
        description: 'In alphabetical order, regardless of case; `next_cursor` pages through them.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({}),
        response: { 200: PageOf('keywords', KeywordView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.readModel.keywordPage(project.id, pageOf(request.query));
      return { keywords: page.items.map(keywordView), next_cursor: page.nextCursor };
    },
  );

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

  app.patch(
    '/projects/:project/keywords/:keyword',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of a keyword',
        description: PATCH_DESCRIPTION,
        tags,
        security: bearer,
        params: KeywordParams,
        body: KeywordPatch,
        response: { 200: KeywordView, ...errors() },
      },
    },
    async (request) => {
      const current = await loadKeyword(deps, request.params.project, request.params.keyword);
      const body = parseInput(KeywordBody, merged(current.definition, request.body));
      return keywordView(await putKeyword(deps, current.projectId, current.keyword, body));
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
    async (request) => keywordView(await loadKeyword(deps, request.params.project, request.params.keyword)),
  );

  app.delete(
    '/projects/:project/keywords/:keyword',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Delete a keyword (any case)',
        tags,
        security: bearer,
        params: KeywordParams,
        response: { 204: Type.Null(), ...errors() },
      },
    },
    async (request, reply) => {
      const current = await loadKeyword(deps, request.params.project, request.params.keyword);
      await deleteKeyword(deps, current.projectId, current.keyword);
      return reply.code(204).send(null);
    },
  );
}
