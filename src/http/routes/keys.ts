// Project API keys (admin; SPEC 7): created here, shown once, stored as a SHA-256 hash; listed
// (cursor pages by id), read, renamed, and deleted — a deleted key is revoked at once and kept
// for the record, but reads as gone (404) like any deleted object.
import Type from 'typebox';
import { createProjectKey } from '../../app/access/keys.ts';
import { type ApiKeyRecord } from '../../app/ports/access.ts';
import { notFound } from '../../app/errors.ts';
import {
  bearer,
  errors,
  iso,
  isoOrNull,
  loadProject,
  NullableInstant,
  NullableString,
  PageOf,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { BooleanFilter, ListQuery, pageOf } from './lists.ts';

const KeyBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'what the key is for' })) },
  { additionalProperties: false },
);

const KeyView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    name: NullableString,
    created_at: Type.String(),
    revoked_at: NullableInstant,
  },
  { additionalProperties: false },
);

const NewKeyView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    name: NullableString,
    created_at: Type.String(),
    revoked_at: NullableInstant,
    key: Type.String({ description: 'the key itself: shown only in this answer' }),
  },
  { additionalProperties: false },
);

const keyView = (record: ApiKeyRecord) => ({
  id: record.id,
  project: record.projectId ?? '',
  name: record.name,
  created_at: iso(record.createdAt),
  revoked_at: isoOrNull(record.revokedAt),
});

const KeyParams = Type.Object({ project: PathId, id: PathId }, { additionalProperties: false });
const KeyPatch = Type.Object(
  { name: Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()])) },
  { additionalProperties: false, description: "The key's new name; null clears it" },
);

/** A project's key that is not revoked, or 404. */
async function liveKey(deps: ApiDeps, projectId: string, id: string): Promise<ApiKeyRecord> {
  const project = await loadProject(deps, projectId);
  const key = await deps.keys.live(project.id, id);
  if (!key) throw notFound(`no key '${id}' in project '${project.id}'`);
  return key;
}

export function keyRoutes(app: Api, deps: ApiDeps): void {
  app.post(
    '/projects/:project/keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create a project key (admin); the key is in this answer only',
        tags: ['keys'],
        security: bearer,
        params: ProjectParams,
        body: KeyBody,
        response: { 201: NewKeyView, ...errors(403) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const { record, key } = await createProjectKey(deps, project.id, request.body.name ?? null);
      return reply.code(201).send({ ...keyView(record), key });
    },
  );

  app.get(
    '/projects/:project/keys',
    {
      config: { auth: 'admin' },
      schema: {
        summary: "List a project's keys (admin), without the keys themselves",
        description: 'By id; `revoked=true` lists the deleted (revoked) keys too.',
        tags: ['keys'],
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({ revoked: BooleanFilter }),
        response: { 200: PageOf('keys', KeyView), ...errors(403) },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.keys.page(project.id, {
        ...pageOf(request.query),
        revoked: request.query.revoked ?? false,
      });
      return { keys: page.items.map(keyView), next_cursor: page.nextCursor };
    },
  );

  app.get(
    '/projects/:project/keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Read a project key (admin), without the key itself',
        tags: ['keys'],
        security: bearer,
        params: KeyParams,
        response: { 200: KeyView, ...errors(403) },
      },
    },
    async (request) => keyView(await liveKey(deps, request.params.project, request.params.id)),
  );

  app.patch(
    '/projects/:project/keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Rename a project key (admin)',
        description: 'The key itself never changes: create a new one and delete the old one to rotate it.',
        tags: ['keys'],
        security: bearer,
        params: KeyParams,
        body: KeyPatch,
        response: { 200: KeyView, ...errors(403) },
      },
    },
    async (request) => {
      const key = await liveKey(deps, request.params.project, request.params.id);
      const name = request.body.name === undefined ? key.name : request.body.name;
      if (!(await deps.keys.rename(key.projectId ?? '', key.id, name)))
        throw notFound(`no key '${key.id}' in project '${request.params.project}'`);
      return keyView({ ...key, name });
    },
  );

  app.delete(
    '/projects/:project/keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Delete (revoke) a project key (admin)',
        description: 'The key stops working at once, and so do console sessions opened with it.',
        tags: ['keys'],
        security: bearer,
        params: KeyParams,
        response: { 204: Type.Null(), ...errors(403) },
      },
    },
    async (request, reply) => {
      const key = await liveKey(deps, request.params.project, request.params.id);
      await deps.keys.revoke(key.projectId ?? '', key.id, deps.clock.now());
      return reply.code(204).send(null);
    },
  );
}
