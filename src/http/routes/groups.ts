// Groups of cases or of mobile workers: broadcast recipients (`{"group": id}`) and case owners.
import Type from 'typebox';
import { putGroup } from '../../app/contacts/groups.ts';
import { GroupBody } from '../../app/contacts/schemas.ts';
import { notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, ProjectItemParams, type Api, type ApiDeps } from '../common.ts';

export const GroupView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    kind: Type.Enum(['case', 'mobile_worker']),
    name: Type.Union([Type.String(), Type.Null()]),
    members: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

export function groupRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['groups'];
  app.put(
    '/projects/:project/groups/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or replace a group',
        description:
          'A group of cases or of mobile workers; `members` replaces the list. Broadcasts name it as `{"group": id}`; a case whose owner is a group of mobile workers sends "owner" alerts to each of them.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: GroupBody,
        response: { 200: GroupView, 201: GroupView, ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const existed = (await deps.store.groups.get(project.id, request.params.id)) !== null;
      const group = await putGroup(deps, project.id, request.params.id, request.body);
      return reply
        .code(existed ? 200 : 201)
        .send({ project: project.id, ...group, name: group.name ?? null });
    },
  );
  app.get(
    '/projects/:project/groups/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a group',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 200: GroupView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const group = await deps.store.groups.get(project.id, request.params.id);
      if (!group) throw notFound(`no group '${request.params.id}' in project '${project.id}'`);
      return { id: request.params.id, project: project.id, ...group };
    },
  );
}
