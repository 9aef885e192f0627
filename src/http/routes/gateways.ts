// Gateways (SPEC 3.2, 3.6): a project's own under /projects/{project}/gateways, and every
// gateway (global ones included) under /gateways for the admin. Gateway ids are global. The
// config is checked against its type before it is stored; answers never show its secrets.
import Type from 'typebox';
import { ApiError, notFound } from '../../app/errors.ts';
import { deleteGateway } from '../../app/gateways/removal.ts';
import { gatewayBody } from '../../app/gateways/schemas.ts';
import { maskConfig } from '../../app/gateways/secrets.ts';
import { storeGateway } from '../../app/gateways/store.ts';
import type { GatewayCatalog } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import {
  bearer,
  errors,
  loadProject,
  NullableString,
  PathId,
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';

const Keywords = Type.Union([Type.Array(Type.String()), Type.Null()]);

export const GatewayView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    /** The owning project; null for a global gateway. */
    project: NullableString,
    type: Type.String(),
    /** The type's settings with secrets shown as ********. */
    config: Type.Record(Type.String(), Type.Unknown()),
    default: Type.Boolean(),
    prefixes: Type.Array(Type.String()),
    shared_with: Type.Array(Type.String()),
    rate_limit_per_minute: Type.Union([Type.Integer(), Type.Null()]),
    max_attempts: Type.Integer(),
    retry_minutes: Type.Number(),
    opt_out_keywords: Keywords,
    opt_in_keywords: Keywords,
    /** Whether inbound webhooks need a secret (the secret itself is never shown). */
    inbound_secret_set: Type.Boolean(),
    /** A global gateway's country for national sender numbers; null for none. */
    default_country: NullableString,
  },
  { additionalProperties: false },
);

const gatewayView = (catalog: GatewayCatalog, g: GatewayRecord) => ({
  id: g.id,
  name: g.name,
  project: g.owner,
  type: g.type,
  config: maskConfig(catalog, g.type, g.config),
  default: g.isDefault,
  prefixes: g.prefixes,
  shared_with: g.sharedWith,
  rate_limit_per_minute: g.rateLimitPerMinute,
  max_attempts: g.maxAttempts,
  retry_minutes: g.retryMinutes,
  opt_out_keywords: g.optOutKeywords,
  opt_in_keywords: g.optInKeywords,
  inbound_secret_set: g.inboundSecret !== null,
  default_country: g.defaultCountry ?? null,
});

const List = Type.Object({ gateways: Type.Array(GatewayView) }, { additionalProperties: false });
const GlobalParams = Type.Object({ id: PathId }, { additionalProperties: false });

export function gatewayRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['gateways'];
  const catalog = deps.gatewayTypes;
  const GatewayBody = gatewayBody(catalog.types.filter((t) => t.channel === 'sms').map((t) => t.name));
  const { project: _project, ...ownFields } = GatewayBody.properties;
  /** A project's own gateway: the fields of GatewayBody but `project` (the path says it). */
  const ProjectGatewayBody = Type.Object(ownFields, { additionalProperties: false });
  const view = (g: GatewayRecord) => gatewayView(catalog, g);

  app.get(
    '/projects/:project/gateways',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's own gateways",
        tags,
        security: bearer,
        params: ProjectParams,
        response: { 200: List, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      return { gateways: (await deps.store.gateways.ownedBy(project.id)).map(view) };
    },
  );

  app.put(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Create or change one of the project's gateways",
        description:
          'Absent fields keep their value. `config` is checked against the type. Sharing with other projects needs the admin key.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: ProjectGatewayBody,
        response: { 200: GatewayView, 201: GatewayView, ...errors(403, 409) },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      const current = await deps.store.gateways.get(request.params.id);
      if (current && current.owner !== project.id) {
        throw new ApiError(
          'conflict',
          `gateway id '${request.params.id}' is taken; gateway ids are unique across projects`,
          'id',
        );
      }
      const sharing = request.body.shared_with ?? [];
      if (request.principal?.kind !== 'admin' && sharing.some((other) => other !== project.id)) {
        throw new ApiError(
          'forbidden',
          'sharing a gateway with other projects needs the admin key',
          'shared_with',
        );
      }
      const record = await storeGateway(
        deps,
        request.params.id,
        { ...request.body, project: project.id },
        current,
      );
      return reply.code(current ? 200 : 201).send(view(record));
    },
  );

  app.get(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Read one of the project's gateways",
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 200: GatewayView, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      const gateway = await deps.store.gateways.get(request.params.id);
      if (!gateway || gateway.owner !== project.id)
        throw notFound(`no gateway '${request.params.id}' in project '${project.id}'`);
      return view(gateway);
    },
  );

  app.delete(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Delete one of the project's gateways",
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 204: Type.Null(), ...errors() },
      },
    },
    async (request, reply) => {
      const project = await loadProject(deps, request.params.project);
      if (!(await deleteGateway(deps, request.params.id, project.id)))
        throw notFound(`no gateway '${request.params.id}' in project '${project.id}'`);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/gateways',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'List the global gateways (admin)',
        tags,
        security: bearer,
        querystring: Type.Object({}, { additionalProperties: false }),
        response: { 200: List, ...errors() },
      },
    },
    async () => ({ gateways: (await deps.store.gateways.ownedBy(null)).map(view) }),
  );

  app.put(
    '/gateways/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Create or change any gateway (admin); without `project` it is global',
        description:
          "A global gateway's `default` and `prefixes` act for every project; `shared_with` lets projects name it.",
        tags,
        security: bearer,
        params: GlobalParams,
        body: GatewayBody,
        response: { 200: GatewayView, 201: GatewayView, ...errors() },
      },
    },
    async (request, reply) => {
      const current = await deps.store.gateways.get(request.params.id);
      const record = await storeGateway(deps, request.params.id, request.body, current);
      return reply.code(current ? 200 : 201).send(view(record));
    },
  );

  app.get(
    '/gateways/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Read any gateway (admin)',
        tags,
        security: bearer,
        params: GlobalParams,
        response: { 200: GatewayView, ...errors() },
      },
    },
    async (request) => {
      const gateway = await deps.store.gateways.get(request.params.id);
      if (!gateway) throw notFound(`no gateway '${request.params.id}'`);
      return view(gateway);
    },
  );

  app.delete(
    '/gateways/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Delete any gateway (admin)',
        tags,
        security: bearer,
        params: GlobalParams,
        response: { 204: Type.Null(), ...errors() },
      },
    },
    async (request, reply) => {
      if (!(await deleteGateway(deps, request.params.id)))
        throw notFound(`no gateway '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );
}
