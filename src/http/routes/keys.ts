// Project API keys (admin): created here, shown once, stored as a SHA-256 hash.
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
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

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
        tags: ['keys'],
        security: bearer,
        params: ProjectParams,
        response: {
          200: Type.Object({ keys: Type.Array(KeyView) }, { additionalProperties: false }),
          ...errors(403),
        },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      return { keys: (await deps.keys.forProject(project.id)).map(keyView) };
    },
  );

  app.delete(
    '/projects/:project/keys/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Revoke a project key (admin)',
        tags: ['keys'],
        security: bearer,
        params: Type.Object({ project: PathId, id: PathId }, { additionalProperties: false }),
        response: { 204: Type.Null(), ...errors(403) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      if (!(await deps.keys.revoke(project.id, request.params.id, deps.clock.now())))
        throw notFound(`no key '${request.params.id}' in project '${project.id}'`);
      return reply.code(204).send(null);
    },
  );
}
