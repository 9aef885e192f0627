// CommCare HQ case forwarding (shared/reference/commcare-forwarding.md): HQ posts each changed
// case as JSON; we upsert it with server_date_modified as the staleness guard (duplicates and
// late retries are harmless). HQ retries 5xx, 429 and some 4xx for days, and gives up on 422,
// so a payload that can never succeed answers 422 and everything else answers 2xx at once.
import Type from 'typebox';
import { upsertCases } from '../../app/contacts/case-batch.ts';
import { parseCommCareCases } from '../../app/contacts/commcare.ts';
import { ApiError } from '../../app/errors.ts';
import { errors, loadProject, ProjectParams, type Api, type ApiDeps } from '../common.ts';
import { BatchResult, itemResultView } from './cases.ts';

const security: Record<string, string[]>[] = [{ bearer: [] }, { basic: [] }];
const description =
  'Point a CommCare HQ "Forward Cases" forwarder (Payload Format: JSON) here. Authenticate with the project\'s key: as HTTP basic auth (any username, the key as the password) or as the API-key header value `Bearer <key>`. The body is one case (or a list); properties.case_type, case_name and owner_id become the case\'s type, name and owner, the other properties its properties, indices become properties index.<identifier>, closed closes it. An update older than the applied one (server_date_modified) is ignored and answered 200.';

export function commcareRoutes(app: Api, deps: ApiDeps): void {
  const config = { auth: 'project' as const, basicAuth: true, invalidStatus: 422 };
  const schema = {
    summary: 'Receive a case from CommCare HQ data forwarding',
    description,
    tags: ['commcare'],
    security,
    params: ProjectParams,
    body: Type.Unknown({
      description: "a case as CommCare HQ's JSON case forwarder sends it, or a list of them",
    }),
    headers: Type.Object({ 'server-modified-on': Type.Optional(Type.String({ maxLength: 100 })) }),
    response: { 200: BatchResult, ...errors(413, 415, 422) },
  };

  const receive = async (request: {
    params: { project: string };
    body: unknown;
    headers: { 'server-modified-on'?: string };
  }) => {
    const project = await loadProject(deps, request.params.project);
    const { entries } = parseCommCareCases(request.body, request.headers['server-modified-on']);
    if (entries.length > deps.batchLimit) {
      throw new ApiError(
        'payload_too_large',
        `at most ${deps.batchLimit} cases per request (it has ${entries.length})`,
        'body',
      );
    }
    const firstBad = entries.find((entry) => !entry.ok);
    // Nothing in the body can ever be applied: say so with 422, so HQ stops retrying it.
    if (firstBad && !firstBad.ok && entries.every((entry) => !entry.ok)) throw firstBad.error;
    const result = await upsertCases(deps, project.id, entries);
    return { counts: result.counts, results: result.results.map(itemResultView) };
  };

  app.post('/projects/:project/commcare/cases', { config, schema }, receive);
  app.put(
    '/projects/:project/commcare/cases',
    { config, schema: { ...schema, summary: 'The same, for a forwarder set to PUT' } },
    receive,
  );

  app.get(
    '/projects/:project/commcare/cases',
    {
      config: { auth: 'project', basicAuth: true },
      schema: {
        summary: 'Answers CommCare HQ\'s connection "Test" button',
        tags: ['commcare'],
        security,
        params: ProjectParams,
        response: {
          200: Type.Object(
            { status: Type.Literal('ok'), project: Type.String(), message: Type.String() },
            { additionalProperties: false },
          ),
          ...errors(),
        },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      return {
        status: 'ok' as const,
        project: project.id,
        message: `ready to receive forwarded cases for project '${project.id}'`,
      };
    },
  );
}
