// Projects: PUT creates or changes settings (admin), GET reads one (admin or its key), and the
// admin lists them.
import Type from 'typebox';
import type { ProjectRecord } from '../../app/ports/records.ts';
import { putProject } from '../../app/projects/projects.ts';
import { ProjectSettings } from '../../domain/project-settings.ts';
import { InputError } from '../../lib/input.ts';
import {
  bearer,
  Cursor,
  DEFAULT_PAGE,
  errors,
  Limit,
  loadProject,
  PageOf,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

export const ProjectView = Type.Object(
  { id: Type.String(), settings: ProjectSettings },
  {
    additionalProperties: false,
    description: 'A project and its settings (SPEC 7; absent settings take their defaults)',
  },
);

export const projectView = (project: ProjectRecord) => ({ id: project.id, settings: project.settings });

export function projectRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/projects',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'List projects (admin)',
        tags: ['projects'],
        security: bearer,
        querystring: Type.Object({ cursor: Cursor, limit: Limit }, { additionalProperties: false }),
        response: { 200: PageOf('projects', ProjectView), ...errors() },
      },
    },
    async (request) => {
      const page = await deps.readModel.listProjects({
        cursor: request.query.cursor,
        limit: request.query.limit ?? DEFAULT_PAGE,
      });
      return { projects: page.items.map(projectView), next_cursor: page.nextCursor };
    },
  );

  app.put(
    '/projects/:project',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create a project or change its settings (admin)',
        description:
          'Given settings replace the stored ones; `null` clears one; absent ones keep their value.',
        tags: ['projects'],
        security: bearer,
        params: ProjectParams,
        body: ProjectSettings,
        response: { 200: ProjectView, 201: ProjectView, ...errors(403) },
      },
    },
    async (request, reply) => {
      const existed = (await deps.store.projects.get(request.params.project)) !== null;
      const project = await putProject(deps, request.params.project, request.body).catch((error: unknown) => {
        // The use case calls the id `id`; here it is the path's `project`.
        throw error instanceof InputError && error.field === 'id'
          ? new InputError('project', error.message)
          : error;
      });
      return reply.code(existed ? 200 : 201).send(projectView(project));
    },
  );

  app.get(
    '/projects/:project',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a project',
        tags: ['projects'],
        security: bearer,
        params: ProjectParams,
        response: { 200: ProjectView, ...errors() },
      },
    },
    async (request) => projectView(await loadProject(deps, request.params.project)),
  );
}
