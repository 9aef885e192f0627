// Groups of cases or of mobile workers (SPEC 4, 7): broadcast recipients (`{"group": id}`) and
// case owners; list, create or replace, read, change some fields, delete (409 while in use).
import Type from 'typebox';
import { deleteGroup, putGroup } from '../../app/contacts/groups.ts';
import { GroupBody } from '../../app/contacts/schemas.ts';
import type { GroupRecord } from '../../app/ports/config-reads.ts';
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

const Kind = Type.Enum(['case', 'mobile_worker']);

export const GroupView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    kind: Kind,
    name: Type.Union([Type.String(), Type.Null()]),
    members: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

const GroupPatch = patchOf(GroupBody, 'Any fields of a group; `members` replaces the list');

const groupView = (group: GroupRecord) => ({
  id: group.id,
  project: group.projectId,
  kind: group.kind,
  name: group.name,
  members: group.members,
});

async function loadGroup(deps: ApiDeps, projectId: string, id: string): Promise<GroupRecord> {
  const project = await loadProject(deps, projectId);
  const group = await deps.store.groups.get(project.id, id);
  if (!group) throw notFound(`no group '${id}' in project '${project.id}'`);
  return { projectId: project.id, id, ...group };
}

export function groupRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['groups'];

  app.get(
    '/projects/:project/groups',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's groups by id",
        description: '`kind` narrows the list to groups of cases or of mobile workers.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: ListQuery({ kind: Type.Optional(Kind) }),
        response: { 200: PageOf('groups', GroupView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.readModel.groupPage(project.id, {
        ...pageOf(request.query),
        kind: request.query.kind,
      });
      return { groups: page.items.map(groupView), next_cursor: page.nextCursor };
    },
  );

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

  app.patch(
    '/projects/:project/groups/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of a group',
        description: PATCH_DESCRIPTION,
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: GroupPatch,
        response: { 200: GroupView, ...errors() },
      },
    },
    async (request) => {
      const { projectId, id, ...current } = await loadGroup(deps, request.params.project, request.params.id);
      const body = parseInput(GroupBody, merged(current, request.body));
      const group = await putGroup(deps, projectId, id, body);
      return { project: projectId, ...group, name: group.name ?? null };
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
    async (request) => groupView(await loadGroup(deps, request.params.project, request.params.id)),
  );

  app.delete(
    '/projects/:project/groups/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Delete a group',
        description:
          'Refused with 409 and `used_by` while a broadcast names it or open cases have it as their owner.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 204: Type.Null(), ...errors(409) },
      },
    },
    async (request, reply) => {
      const group = await loadGroup(deps, request.params.project, request.params.id);
      await deleteGroup(deps, group.projectId, group.id);
      return reply.code(204).send(null);
    },
  );
}
