// Cases: single upsert (PUT), read, delete (the case is marked deleted and releases its
// number), list, and the batch upsert in one transaction with per-item results.
import Type from 'typebox';
import { CaseIndex } from '../../domain/case-index.ts';
import { parseCaseItems, upsertCases, type CaseItemResult } from '../../app/contacts/case-batch.ts';
import { upsertCase } from '../../app/contacts/cases.ts';
import type { CaseRecord } from '../../app/ports/records.ts';
import { CaseBody } from '../../app/contacts/schemas.ts';
import { ApiError, notFound } from '../../app/errors.ts';
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
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

export const CaseView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    type: Type.String(),
    name: NullableString,
    owner: NullableString,
    closed: Type.Boolean(),
    deleted: Type.Boolean(),
    properties: Type.Record(Type.String(), Type.String()),
    /** Links to other cases by identifier (`parent`, `host`). */
    indices: Type.Record(Type.String(), CaseIndex),
    server_modified_on: Type.String({ description: 'the modification time of the applied update' }),
  },
  { additionalProperties: false },
);

export const caseView = (record: CaseRecord) => ({
  id: record.id,
  project: record.projectId,
  type: record.type,
  name: record.name,
  owner: record.ownerId,
  closed: record.closed,
  deleted: record.deleted,
  properties: record.properties,
  indices: record.indices ?? {},
  server_modified_on: iso(record.serverModifiedOn),
});

const Outcome = Type.Object(
  {
    status: Type.Enum(['created', 'updated', 'ignored']),
    /** Why an update was ignored (older than the one applied). */
    reason: Type.Optional(Type.String()),
    case: CaseView,
  },
  { additionalProperties: false },
);

const ItemResult = Type.Object(
  {
    index: Type.Integer(),
    id: NullableString,
    status: Type.Enum(['created', 'updated', 'ignored', 'error']),
    reason: Type.Optional(Type.String()),
    error: Type.Optional(
      Type.Object({ field: Type.String(), message: Type.String() }, { additionalProperties: false }),
    ),
  },
  { additionalProperties: false },
);

export const BatchResult = Type.Object(
  {
    counts: Type.Object(
      { created: Type.Integer(), updated: Type.Integer(), ignored: Type.Integer(), errors: Type.Integer() },
      { additionalProperties: false },
    ),
    results: Type.Array(ItemResult),
  },
  { additionalProperties: false },
);

export function itemResultView(result: CaseItemResult) {
  if (result.status === 'error')
    return { index: result.index, id: result.id, status: result.status, error: result.error };
  if (result.status === 'ignored')
    return { index: result.index, id: result.id, status: result.status, reason: result.reason };
  return { index: result.index, id: result.id, status: result.status };
}

const BatchBody = Type.Object(
  {
    cases: Type.Array(Type.Unknown(), {
      description:
        'cases, each {id, ...the fields of PUT /projects/{project}/cases/{id}}; each is checked on its own',
    }),
  },
  { additionalProperties: false },
);

export function caseRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/projects/:project/cases',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'List cases by id',
        tags: ['cases'],
        security: bearer,
        params: ProjectParams,
        querystring: Type.Object(
          {
            type: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
            open: Type.Optional(Type.Boolean()),
            cursor: Cursor,
            limit: Limit,
          },
          { additionalProperties: false },
        ),
        response: { 200: PageOf('cases', CaseView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const { type, open, cursor, limit } = request.query;
      const page = await deps.readModel.listCases(project.id, {
        type,
        open,
        cursor,
        limit: limit ?? DEFAULT_PAGE,
      });
      return { cases: page.items.map(caseView), next_cursor: page.nextCursor };
    },
  );

  app.put(
    '/projects/:project/cases/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or update a case',
        description:
          'Given properties are merged (null removes one). An update whose server_modified_on is older than the last applied one is ignored; an equal time is applied.',
        tags: ['cases'],
        security: bearer,
        params: ProjectItemParams,
        body: CaseBody,
        response: { 200: Outcome, 201: Outcome, ...errors() },
      },
    },
    async (request, reply) => {
      await loadProject(deps, request.params.project);
      const outcome = await upsertCase(deps, {
        ...request.body,
        project: request.params.project,
        id: request.params.id,
      });
      const body = {
        status: outcome.status,
        ...(outcome.status === 'ignored' ? { reason: outcome.reason } : {}),
        case: caseView(outcome.case),
      };
      return reply.code(outcome.status === 'created' ? 201 : 200).send(body);
    },
  );

  app.get(
    '/projects/:project/cases/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a case',
        tags: ['cases'],
        security: bearer,
        params: ProjectItemParams,
        response: { 200: CaseView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const record = await deps.store.cases.get(project.id, request.params.id);
      if (!record) throw notFound(`no case '${request.params.id}' in project '${project.id}'`);
      return caseView(record);
    },
  );

  app.delete(
    '/projects/:project/cases/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Delete a case',
        description:
          'Marks the case deleted: it releases its number and gets no more messages; its history stays.',
        tags: ['cases'],
        security: bearer,
        params: ProjectItemParams,
        response: { 200: Outcome, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const current = await deps.store.cases.get(project.id, request.params.id);
      if (!current) throw notFound(`no case '${request.params.id}' in project '${project.id}'`);
      const at = Math.max(deps.clock.now(), current.serverModifiedOn);
      const outcome = await upsertCase(deps, {
        project: project.id,
        id: current.id,
        deleted: true,
        server_modified_on: iso(at),
      });
      return {
        status: outcome.status,
        ...(outcome.status === 'ignored' ? { reason: outcome.reason } : {}),
        case: caseView(outcome.case),
      };
    },
  );

  app.post(
    '/projects/:project/cases/batch',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or update many cases in one transaction',
        description:
          'Each item is checked on its own: a bad item is reported by index and field and nothing of it is applied; the good ones are applied in order, in one transaction.',
        tags: ['cases'],
        security: bearer,
        params: ProjectParams,
        body: BatchBody,
        response: { 200: BatchResult, ...errors(413) },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const raw = request.body.cases;
      if (raw.length > deps.batchLimit) {
        throw new ApiError(
          'payload_too_large',
          `a batch holds at most ${deps.batchLimit} cases (it has ${raw.length})`,
          'cases',
        );
      }
      const result = await upsertCases(deps, project.id, parseCaseItems(raw));
      return { counts: result.counts, results: result.results.map(itemResultView) };
    },
  );
}
