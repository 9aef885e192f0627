// Mobile workers: upsert, read, list, change some fields, remove or change one of their numbers
// (the registry follows, SPEC 2.2), and verification of one of their numbers (SPEC 2.3).
import Type from 'typebox';
import type { WorkerRecord } from '../../app/ports/records.ts';
import { MobileWorkerBody } from '../../app/contacts/schemas.ts';
import { VerifyBody } from '../../app/registry/schemas.ts';
import { InputError } from '../../lib/input.ts';
import { startVerification } from '../../app/registry/verification.ts';
import { changeWorkerNumber, upsertMobileWorker } from '../../app/contacts/workers.ts';
import { MAX_ID_LENGTH } from '../../lib/schema.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import {
  bearer,
  Cursor,
  DEFAULT_PAGE,
  errors,
  Limit,
  loadProject,
  NullableString,
  PageOf,
  PathId,
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { PATCH_DESCRIPTION } from './lists.ts';

export const WorkerView = Type.Object(
  {
    id: Type.String(),
    project: Type.String(),
    username: NullableString,
    name: NullableString,
    first_name: NullableString,
    last_name: NullableString,
    phone_numbers: Type.Array(Type.String()),
    email: NullableString,
    language: NullableString,
    time_zone: NullableString,
    active: Type.Boolean(),
  },
  { additionalProperties: false },
);

const workerView = (worker: WorkerRecord) => ({
  id: worker.id,
  project: worker.projectId,
  username: worker.username,
  name: worker.name,
  first_name: worker.firstName ?? null,
  last_name: worker.lastName ?? null,
  phone_numbers: worker.phoneNumbers,
  email: worker.email,
  language: worker.language,
  time_zone: worker.timeZone,
  active: worker.active,
});

const Outcome = Type.Object(
  { status: Type.Enum(['created', 'updated']), mobile_worker: WorkerView },
  { additionalProperties: false },
);

const VerificationView = Type.Object(
  {
    result: Type.Enum(['WORKFLOW_STARTED', 'ALREADY_IN_USE', 'ALREADY_VERIFIED', 'RESENT_PENDING']),
    /** The event of the verification SMS, when one was sent. */
    event_id: Type.Union([Type.Integer(), Type.Null()]),
  },
  { additionalProperties: false },
);

const WorkerNumberParams = Type.Object(
  { project: PathId, id: PathId, number: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
const NumberChange = Type.Object(
  { number: Type.String({ minLength: 1, maxLength: MAX_ID_LENGTH }) },
  { additionalProperties: false, description: 'The new number, in any form SPEC 2.1 reads' },
);

/** Usernames are unique per project: 409 naming the worker that has it. */
async function checkUsername(deps: ApiDeps, projectId: string, id: string, username: string | undefined) {
  if (username === undefined) return;
  const holder = await deps.readModel.workerByUsername(projectId, username);
  if (holder && holder.id !== id)
    throw new ApiError(
      'conflict',
      `username '${username}' belongs to mobile worker '${holder.id}'`,
      'username',
    );
}

export function mobileWorkerRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/projects/:project/mobile-workers',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'List mobile workers by id',
        tags: ['mobile workers'],
        security: bearer,
        params: ProjectParams,
        querystring: Type.Object({ cursor: Cursor, limit: Limit }, { additionalProperties: false }),
        response: { 200: PageOf('mobile_workers', WorkerView), ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const page = await deps.readModel.listWorkers(project.id, {
        cursor: request.query.cursor,
        limit: request.query.limit ?? DEFAULT_PAGE,
      });
      return { mobile_workers: page.items.map(workerView), next_cursor: page.nextCursor };
    },
  );

  app.put(
    '/projects/:project/mobile-workers/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Create or update a mobile worker',
        description:
          'Given fields replace the stored ones (null clears email, language, time_zone). The first phone number is the default.',
        tags: ['mobile workers'],
        security: bearer,
        params: ProjectItemParams,
        body: MobileWorkerBody,
        response: { 200: Outcome, 201: Outcome, ...errors(409) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      await checkUsername(deps, project.id, request.params.id, request.body.username);
      const outcome = await upsertMobileWorker(deps, {
        ...request.body,
        project: project.id,
        id: request.params.id,
      });
      return reply
        .code(outcome.status === 'created' ? 201 : 200)
        .send({ status: outcome.status, mobile_worker: workerView(outcome.worker) });
    },
  );

  app.get(
    '/projects/:project/mobile-workers/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Read a mobile worker',
        tags: ['mobile workers'],
        security: bearer,
        params: ProjectItemParams,
        response: { 200: WorkerView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const worker = await deps.store.workers.get(project.id, request.params.id);
      if (!worker) throw notFound(`no mobile worker '${request.params.id}' in project '${project.id}'`);
      return workerView(worker);
    },
  );

  app.patch(
    '/projects/:project/mobile-workers/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Change some fields of a mobile worker',
        description: `${PATCH_DESCRIPTION} \`phone_numbers\` replaces the whole list; null clears email, language or time_zone.`,
        tags: ['mobile workers'],
        security: bearer,
        params: ProjectItemParams,
        body: MobileWorkerBody,
        response: { 200: WorkerView, ...errors(409) },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      if (!(await deps.store.workers.get(project.id, request.params.id)))
        throw notFound(`no mobile worker '${request.params.id}' in project '${project.id}'`);
      await checkUsername(deps, project.id, request.params.id, request.body.username);
      const outcome = await upsertMobileWorker(deps, {
        ...request.body,
        project: project.id,
        id: request.params.id,
      });
      return workerView(outcome.worker);
    },
  );

  app.patch(
    '/projects/:project/mobile-workers/:id/phone-numbers/:number',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Change one of a mobile worker's numbers",
        description:
          'The number keeps its place in the list (the first is the default). The old number is released in the registry (SPEC 2.2); the new one starts one-way until verified.',
        tags: ['mobile workers'],
        security: bearer,
        params: WorkerNumberParams,
        body: NumberChange,
        response: { 200: WorkerView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const { id, number } = request.params;
      return workerView(await changeWorkerNumber(deps, project.id, id, number, request.body.number));
    },
  );

  app.delete(
    '/projects/:project/mobile-workers/:id/phone-numbers/:number',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Remove one of a mobile worker's numbers",
        description:
          'The number is released in the registry at once (SPEC 2.2), and the next waiting claim on it, if any, becomes its owner.',
        tags: ['mobile workers'],
        security: bearer,
        params: WorkerNumberParams,
        response: { 204: Type.Null(), ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      await changeWorkerNumber(deps, project.id, request.params.id, request.params.number, null);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/projects/:project/mobile-workers/:id/verifications',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Start verification of one of a mobile worker's numbers",
        description:
          'WORKFLOW_STARTED: the worker gets the verification SMS; RESENT_PENDING: sent again; ALREADY_VERIFIED; ALREADY_IN_USE: another contact owns the number (nothing sent).',
        tags: ['mobile workers'],
        security: bearer,
        params: ProjectItemParams,
        body: VerifyBody,
        response: { 200: VerificationView, ...errors(409) },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const worker = await deps.store.workers.get(project.id, request.params.id);
      if (!worker) throw notFound(`no mobile worker '${request.params.id}' in project '${project.id}'`);
      try {
        const outcome = await startVerification(deps, {
          project: project.id,
          mobile_worker: worker.id,
          number: request.body.number,
        });
        return { result: outcome.result, event_id: outcome.eventId };
      } catch (error) {
        if (error instanceof InputError && error.field === 'mobile_worker')
          throw new ApiError('conflict', error.message);
        throw error;
      }
    },
  );
}
