// "Will this contact get messages, and if not, why" (SPEC 2.4, 6): the same rules the sender uses.
import Type from 'typebox';
import { contactStatus } from '../../app/contacts/contacts.ts';
import { notFound } from '../../app/errors.ts';
import { bearer, errors, loadProject, NullableString, PathId, type Api, type ApiDeps } from '../common.ts';

const StatusView = Type.Object(
  {
    gets_sms: Type.Boolean({ description: 'whether an SMS sent now would be queued' }),
    phone_status: Type.Enum([
      'INACTIVE',
      'NO_PHONE_NUMBER',
      'INVALID_PHONE_NUMBER',
      'TWO_WAY',
      'PENDING_VERIFICATION',
      'PHONE_NUMBER_IN_USE',
      'ONE_WAY',
    ]),
    opted_out: Type.Boolean({
      description: 'the number has opted out: no SMS goes to it, whatever its phone status',
    }),
    reason: Type.String({ description: 'the status in words, with what to do about it' }),
    phone_number: NullableString,
    time_zone: Type.String({ description: 'the effective zone' }),
    language: NullableString,
    email: NullableString,
    gateway: Type.Union([
      Type.Object({ id: Type.String(), rule: Type.String() }, { additionalProperties: false }),
      Type.Object({ error: Type.String(), reason: Type.String() }, { additionalProperties: false }),
      Type.Null(),
    ]),
    warnings: Type.Array(Type.String()),
  },
  { additionalProperties: false },
);

const Params = Type.Object(
  { project: PathId, kind: Type.Enum(['case', 'mobile_worker']), id: PathId },
  { additionalProperties: false },
);

export function contactRoutes(app: Api, deps: ApiDeps): void {
  app.get(
    '/projects/:project/contacts/:kind/:id/why',
    {
      config: { auth: 'project' },
      schema: {
        summary: 'Will this contact get messages, and if not, why',
        tags: ['contacts'],
        security: bearer,
        params: Params,
        response: { 200: StatusView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const { kind, id } = request.params;
      const found =
        kind === 'case'
          ? await deps.store.cases.get(project.id, id)
          : await deps.store.workers.get(project.id, id);
      if (!found)
        throw notFound(`no ${kind === 'case' ? 'case' : 'mobile worker'} '${id}' in project '${project.id}'`);
      return contactStatus(deps.store, project, kind, id);
    },
  );
}
