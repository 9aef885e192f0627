// Prefix mappings (SPEC 3.2, 7): a prefix routes the numbers that start with it to one gateway of
// its owner — a project's under /projects/{project}/prefixes, the global gateways' under
// /prefixes (admin). The id of a mapping is its prefix. Registered by gatewayRoutes.
import Type from 'typebox';
import { mapPrefix, unmapPrefix } from '../../app/gateways/prefixes.ts';
import type { PrefixMapping } from '../../app/ports/config-reads.ts';
import { notFound } from '../../app/errors.ts';
import { Id } from '../../lib/schema.ts';
import {
  bearer,
  errors,
  loadProject,
  NullableString,
  PageOf,
  PathId,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { ListQuery, pageOf } from './lists.ts';

const Prefix = Type.String({ pattern: '^\\d{1,15}$', errorMessage: 'must be a prefix of 1 to 15 digits' });

export const PrefixView = Type.Object(
  {
    /** The prefix itself: the mapping's id. */
    id: Type.String(),
    prefix: Type.String(),
    /** The gateway numbers with this prefix go through. */
    gateway: Type.String(),
    /** The owner of the gateway; null: global. */
    project: NullableString,
  },
  { additionalProperties: false },
);

const PrefixBody = Type.Object(
  { gateway: Id },
  {
    additionalProperties: false,
    description: "The owner's gateway that numbers with this prefix go through",
  },
);
const ProjectPrefixParams = Type.Object({ project: PathId, prefix: Prefix }, { additionalProperties: false });
const GlobalPrefixParams = Type.Object({ prefix: Prefix }, { additionalProperties: false });

const prefixView = (m: PrefixMapping) => ({
  id: m.prefix,
  prefix: m.prefix,
  gateway: m.gatewayId,
  project: m.owner,
});

export function prefixRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['prefixes'];

  /** The owner's mapping of a prefix, or 404. */
  const mapping = async (owner: string | null, prefix: string) => {
    const found = (await deps.store.gateways.ownedBy(owner)).find((g) => g.prefixes.includes(prefix));
    if (!found)
      throw notFound(
        `no prefix ${prefix} in ${owner === null ? 'the global gateways' : `project '${owner}'`}`,
      );
    return prefixView({ prefix, gatewayId: found.id, owner });
  };
  const list = async (owner: string | null, query: { cursor?: string; limit?: number }) => {
    const page = await deps.readModel.prefixPage(owner, pageOf(query));
    return { prefixes: page.items.map(prefixView), next_cursor: page.nextCursor };
  };
  const put = async (owner: string | null, prefix: string, gateway: string) => {
    await mapPrefix(deps, owner, prefix, gateway);
    return prefixView({ prefix, gatewayId: gateway, owner });
  };

  for (const scope of ['project', 'global'] as const) {
    const base = scope === 'project' ? '/projects/:project/prefixes' : '/prefixes';
    const auth = scope === 'project' ? 'project' : 'admin';
    const whose = scope === 'project' ? "the project's gateways" : 'the global gateways (admin)';
    const ItemParams = scope === 'project' ? ProjectPrefixParams : GlobalPrefixParams;
    /** The owner a request speaks for: the path's project (404 when missing), or null. */
    const ownerOf = async (params: { project?: string }) =>
      params.project === undefined ? null : (await loadProject(deps, params.project)).id;

    app.get(
      base,
      {
        config: { auth },
        schema: {
          summary: `List the prefix mappings of ${whose}, by prefix`,
          tags,
          security: bearer,
          ...(scope === 'project' ? { params: ProjectParams } : {}),
          querystring: ListQuery({}),
          response: { 200: PageOf('prefixes', PrefixView), ...errors() },
        },
      },
      async (request) => list(await ownerOf(request.params as { project?: string }), request.query),
    );

    app.get(
      `${base}/:prefix`,
      {
        config: { auth },
        schema: {
          summary: `Read a prefix mapping of ${whose}`,
          tags,
          security: bearer,
          params: ItemParams,
          response: { 200: PrefixView, ...errors() },
        },
      },
      async (request) => {
        const params = request.params as { project?: string; prefix: string };
        return mapping(await ownerOf(params), params.prefix);
      },
    );

    for (const method of ['put', 'patch'] as const) {
      app[method](
        `${base}/:prefix`,
        {
          config: { auth },
          schema: {
            summary:
              method === 'put'
                ? `Map a prefix to one of ${whose}`
                : `Move an existing prefix mapping to another of ${whose}`,
            description:
              'A prefix maps to one gateway per owner: mapping it moves it from the gateway that had it. The longest matching prefix wins (SPEC 3.2).',
            tags,
            security: bearer,
            params: ItemParams,
            body: PrefixBody,
            response: { 200: PrefixView, ...(method === 'put' ? { 201: PrefixView } : {}), ...errors() },
          },
        },
        async (request, reply) => {
          const params = request.params as { project?: string; prefix: string };
          const owner = await ownerOf(params);
          const existed = (await deps.store.gateways.ownedBy(owner)).some((g) =>
            g.prefixes.includes(params.prefix),
          );
          if (method === 'patch' && !existed) await mapping(owner, params.prefix);
          const body = request.body as { gateway: string };
          return reply.code(existed ? 200 : 201).send(await put(owner, params.prefix, body.gateway));
        },
      );
    }

    app.delete(
      `${base}/:prefix`,
      {
        config: { auth },
        schema: {
          summary: `Remove a prefix mapping of ${whose}`,
          tags,
          security: bearer,
          params: ItemParams,
          response: { 204: Type.Null(), ...errors() },
        },
      },
      async (request, reply) => {
        const params = request.params as { project?: string; prefix: string };
        await unmapPrefix(deps, await ownerOf(params), params.prefix);
        return reply.code(204).send(null);
      },
    );
  }
}
