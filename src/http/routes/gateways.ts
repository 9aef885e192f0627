// Gateways (SPEC 3.2, 3.6, 7): a project's own under /projects/{project}/gateways, and every
// gateway (global ones included) under /gateways for the admin: list (cursor pages), create or
// change, read, change some fields, delete (409 while contacts name it). Gateway ids are global.
// The config is checked against its type before it is stored; answers never show its secrets.
// Prefix mappings, stored with their gateways, have their routes in prefixes.ts.
import Type from 'typebox';
import { ApiError, notFound } from '../../app/errors.ts';
import { deleteGateway } from '../../app/gateways/removal.ts';
import { gatewayBody } from '../../app/gateways/schemas.ts';
import { maskConfig } from '../../app/gateways/secrets.ts';
import { storeGateway, type SavedBy } from '../../app/gateways/store.ts';
import type { GatewayCatalog } from '../../app/ports/gateway-types.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import type { Principal } from '../../app/access/keys.ts';
import {
  bearer,
  errors,
  loadProject,
  NullableString,
  PageOf,
  PathId,
  ProjectItemParams,
  ProjectParams,
  type Api,
  type ApiDeps,
} from '../common.ts';
import { ListQuery, PATCH_DESCRIPTION, pageOf } from './lists.ts';
import { prefixRoutes } from './prefixes.ts';

/** The admin key's saves are trusted; a project key's are guarded (SPEC 3.6). */
const savedBy = (principal: Principal | null): SavedBy => (principal?.kind === 'admin' ? 'admin' : 'project');

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
    /** Whether inbound webhooks need a secret (the secret itself is never shown again). */
    inbound_secret_set: Type.Boolean(),
    /** Only in the answer that created the gateway without one: the secret generated for it. */
    inbound_secret: Type.Optional(Type.String()),
    /** A global gateway's country for national sender numbers; null for none. */
    default_country: NullableString,
  },
  { additionalProperties: false },
);

/** The create answer of a gateway given no inbound secret: the view and the generated secret, once. */
const createdView = <V extends object>(
  view: V,
  record: GatewayRecord,
  current: GatewayRecord | null,
  given: string | undefined,
): V & { inbound_secret?: string } =>
  current === null && given === undefined && record.inboundSecret !== null
    ? { ...view, inbound_secret: record.inboundSecret }
    : view;

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

const List = PageOf('gateways', GatewayView);
const GlobalParams = Type.Object({ id: PathId }, { additionalProperties: false });
const GatewayListQuery = ListQuery({ type: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) });

export function gatewayRoutes(app: Api, deps: ApiDeps): void {
  const tags = ['gateways'];
  const catalog = deps.gatewayTypes;
  const GatewayBody = gatewayBody(catalog.types.filter((t) => t.channel === 'sms').map((t) => t.name));
  const { project: _project, ...ownFields } = GatewayBody.properties;
  /** A project's own gateway: the fields of GatewayBody but `project` (the path says it). */
  const ProjectGatewayBody = Type.Object(ownFields, { additionalProperties: false });
  const view = (g: GatewayRecord) => gatewayView(catalog, g);
  const page = async (owner: string | null, query: { cursor?: string; limit?: number; type?: string }) => {
    const found = await deps.readModel.gatewayPage(owner, { ...pageOf(query), type: query.type });
    return { gateways: found.items.map(view), next_cursor: found.nextCursor };
  };
  /** The project's own gateway, or 404 (the same for another project's or a global one). */
  const ownGateway = async (projectId: string, id: string) => {
    const project = await loadProject(deps, projectId);
    const gateway = await deps.store.gateways.get(id);
    if (!gateway || gateway.owner !== project.id)
      throw notFound(`no gateway '${id}' in project '${project.id}'`);
    return { project, gateway };
  };
  /** As the project's PUT: sharing with other projects needs the admin key. */
  const checkSharing = (principal: Principal | null, projectId: string, sharing: readonly string[]) => {
    if (principal?.kind !== 'admin' && sharing.some((other) => other !== projectId)) {
      throw new ApiError(
        'forbidden',
        'sharing a gateway with other projects needs the admin key',
        'shared_with',
      );
    }
  };

  app.get(
    '/projects/:project/gateways',
    {
      config: { auth: 'project' },
      schema: {
        summary: "List a project's own gateways by id",
        description: '`type` narrows the list; `next_cursor` pages through it.',
        tags,
        security: bearer,
        params: ProjectParams,
        querystring: GatewayListQuery,
        response: { 200: List, ...errors() },
      },
    },
    async (request) => {
      const project = await loadProject(deps, request.params.project);
      return page(project.id, request.query);
    },
  );

  app.put(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Create or change one of the project's gateways",
        description:
          'Absent fields keep their value. `config` is checked against the type; its addresses may not reach loopback, private, link-local or metadata addresses (400 `GATEWAY_URL_FORBIDDEN`) unless the admin key saves it. Sharing with other projects needs the admin key. Created without `inbound_secret`, the gateway gets a random one, shown once in this answer.',
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
      checkSharing(request.principal, project.id, request.body.shared_with ?? []);
      const record = await storeGateway(
        deps,
        request.params.id,
        { ...request.body, project: project.id },
        current,
        savedBy(request.principal),
      );
      return reply
        .code(current ? 200 : 201)
        .send(createdView(view(record), record, current, request.body.inbound_secret));
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
    async (request) => view((await ownGateway(request.params.project, request.params.id)).gateway),
  );

  app.patch(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Change some fields of one of the project's gateways",
        description: `${PATCH_DESCRIPTION} \`config\` is checked against the type; \`********\` keeps a stored secret.`,
        tags,
        security: bearer,
        params: ProjectItemParams,
        body: ProjectGatewayBody,
        response: { 200: GatewayView, ...errors(403) },
      },
    },
    async (request) => {
      const { project, gateway } = await ownGateway(request.params.project, request.params.id);
      checkSharing(request.principal, project.id, request.body.shared_with ?? []);
      return view(
        await storeGateway(
          deps,
          gateway.id,
          { ...request.body, project: project.id },
          gateway,
          savedBy(request.principal),
        ),
      );
    },
  );

  app.delete(
    '/projects/:project/gateways/:id',
    {
      config: { auth: 'project' },
      schema: {
        summary: "Delete one of the project's gateways",
        description:
          'Refused with 409 and `used_by` while open cases name it (`contact_backend_id`) or another gateway falls back to it. Its prefixes and shares go with it.',
        tags,
        security: bearer,
        params: ProjectItemParams,
        response: { 204: Type.Null(), ...errors(409) },
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
        summary: 'List the global gateways by id (admin)',
        tags,
        security: bearer,
        querystring: GatewayListQuery,
        response: { 200: List, ...errors() },
      },
    },
    async (request) => page(null, request.query),
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
      const record = await storeGateway(deps, request.params.id, request.body, current, 'admin');
      return reply
        .code(current ? 200 : 201)
        .send(createdView(view(record), record, current, request.body.inbound_secret));
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

  app.patch(
    '/gateways/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Change some fields of any gateway (admin)',
        description: PATCH_DESCRIPTION,
        tags,
        security: bearer,
        params: GlobalParams,
        body: GatewayBody,
        response: { 200: GatewayView, ...errors() },
      },
    },
    async (request) => {
      const gateway = await deps.store.gateways.get(request.params.id);
      if (!gateway) throw notFound(`no gateway '${request.params.id}'`);
      return view(await storeGateway(deps, gateway.id, request.body, gateway, 'admin'));
    },
  );

  app.delete(
    '/gateways/:id',
    {
      config: { auth: 'admin' },
      schema: {
        summary: 'Delete any gateway (admin)',
        description:
          'Refused with 409 and `used_by` while open cases name it or another gateway falls back to it.',
        tags,
        security: bearer,
        params: GlobalParams,
        response: { 204: Type.Null(), ...errors(409) },
      },
    },
    async (request, reply) => {
      if (!(await deleteGateway(deps, request.params.id, undefined, null)))
        throw notFound(`no gateway '${request.params.id}'`);
      return reply.code(204).send(null);
    },
  );

  prefixRoutes(app, deps);
}
