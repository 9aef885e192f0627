// Opt-outs: the global state of a number (admin), and the opted-out numbers a project meets.
import Type from 'typebox';
import { getOptOut, setOptOut } from '../../app/registry/opt-outs.ts';
import type { OptOutRecord } from '../../app/ports/records.ts';
import {
  bearer,
  errors,
  isoOrNull,
  loadProject,
  NullableInstant,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

const OptOutView = Type.Object(
  {
    number: Type.String({ description: 'digits, no +' }),
    opted_out: Type.Boolean(),
    /** false: the number never changes state by itself (another system's own number, say). */
    can_opt_in: Type.Boolean(),
  },
  { additionalProperties: false },
);

const OptOutBody = Type.Object(
  { opted_out: Type.Optional(Type.Boolean()), can_opt_in: Type.Optional(Type.Boolean()) },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'the fields to change; the others keep their value',
  },
);

const view = (record: OptOutRecord) => ({
  number: record.number,
  opted_out: record.optedOut,
  can_opt_in: record.canOptIn,
});

const NumberParams = Type.Object({ number: PathId }, { additionalProperties: false });

export function optOutRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['opt-outs'];

  app.get(
    '/opt-outs/:number',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'The opt-out state of a number (admin)',
        tags,
        security: bearer,
        params: NumberParams,
        response: { 200: OptOutView, ...errors() },
      },
    },
    async (request) => view(await getOptOut(deps, request.params.number)),
  );

  app.put(
    '/opt-outs/:number',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Set the opt-out state of a number (admin)',
        description:
          "Opt-out is global per number (SPEC 5). can_opt_in false freezes the state: the number's own STOP/START change nothing.",
        tags,
        security: bearer,
        params: NumberParams,
        body: OptOutBody,
        response: { 200: OptOutView, ...errors() },
      },
    },
    async (request) => view(await setOptOut(deps, request.params.number, request.body)),
  );

  app.get(
    '/projects/:project/opt-outs',
    {
      config: { auth: 'project' },
      schema: {
        summary: "The opted-out numbers among the project's contacts and messages",
        tags,
        security: bearer,
        params: ProjectParams,
        response: {
          200: Type.Object(
            {
              opt_outs: Type.Array(
                Type.Object(
                  { number: Type.String(), can_opt_in: Type.Boolean(), opted_out_at: NullableInstant },
                  { additionalProperties: false },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          ...errors(),
        },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const rows = await deps.readModel.projectOptOuts(project.id);
      return {
        opt_outs: rows.map((row) => ({
          number: row.number,
          can_opt_in: row.canOptIn,
          opted_out_at: isoOrNull(row.optedOutAt),
        })),
      };
    },
  );
}
