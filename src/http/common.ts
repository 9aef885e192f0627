// What every route module shares: the typed Fastify instance, the dependencies, route options
// (who may call it) and the small schemas of lists, instants and errors.
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { GatewayCatalog } from '../app/ports/gateway-types.ts';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import type { TSchema } from 'typebox';
import type { GatewayRemoval } from '../app/ports/store.ts';
import type { OutboundPolicy } from '../app/ports/outbound.ts';
import type { ApiKeyRepo } from '../app/ports/access.ts';
import type { Principal } from '../app/access/keys.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { ProjectRecord } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import type { ReadModel } from '../app/ports/read-model.ts';
import { ErrorBody } from './errors.ts';
import { notFound } from '../app/errors.ts';

/** Who may call a route. `project`: the admin key or that project's key (the path's `:project`). */
export type AuthMode = 'public' | 'admin' | 'project';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Default `admin`. */
    auth?: AuthMode;
    /** Also accept HTTP basic auth with the key as the password (CommCare's forwarder). */
    basicAuth?: boolean;
    /** Status for invalid input (default 400). */
    invalidStatus?: number;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export type Api = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

export interface ApiDeps {
  store: Store;
  clock: Clock;
  readModel: ReadModel;
  keys: ApiKeyRepo;
  gatewayRemoval: GatewayRemoval;
  /** The gateway types (src/gateways/registry.ts), as main.ts hands them over. */
  gatewayTypes: GatewayCatalog;
  /** Most items in one batch request. */
  batchLimit: number;
  /** The outbound address guard's setting and resolver (SPEC 3.6). */
  outbound: OutboundPolicy;
}

/** The project of the path, or 404 (the same answer a project key gets for another project). */
export async function loadProject(deps: ApiDeps, id: string): Promise<ProjectRecord> {
  const project = await deps.store.projects.get(id);
  if (!project) throw notFound(`no project '${id}'`);
  return project;
}

/** Epoch ms as an ISO 8601 instant (UTC). */
export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

export const Instant = Type.String({ format: 'date-time', description: 'an ISO 8601 instant (UTC)' });
export const NullableInstant = Type.Union([Instant, Type.Null()]);
export const NullableString = Type.Union([Type.String(), Type.Null()]);

/** A path id: 1 to 200 characters, no control characters, not starting or ending with a space. */
export const PathId = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\s\\u0000-\\u001f](?:[^\\u0000-\\u001f]*[^\\s\\u0000-\\u001f])?$',
  errorMessage: 'must be an id: no control characters, not blank, no space at either end',
});
export const ProjectParams = Type.Object({ project: PathId }, { additionalProperties: false });
export const ProjectItemParams = Type.Object(
  { project: PathId, id: PathId },
  { additionalProperties: false },
);

/** Page size: 1 to 500, default 50. */
export const DEFAULT_PAGE = 50;
export const Limit = Type.Optional(
  Type.Integer({ minimum: 1, maximum: 500, description: 'items per page (default 50)' }),
);
export const Cursor = Type.Optional(
  Type.String({ minLength: 1, maxLength: 200, description: "the previous page's next_cursor" }),
);

/** A page: the items and the cursor of the next page (null on the last one). */
export function PageOf<T extends TSchema>(key: string, item: T) {
  return Type.Object(
    { [key]: Type.Array(item), next_cursor: NullableString },
    { additionalProperties: false },
  );
}

type Status = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429;

/** The error answers a route documents, next to its success schemas. */
export function errors(...statuses: Status[]): Record<number, typeof ErrorBody> {
  const out: Record<number, typeof ErrorBody> = {};
  for (const status of [400, 401, 404, 429, ...statuses]) out[status] = ErrorBody;
  return out;
}

export const bearer: Record<string, string[]>[] = [{ bearer: [] }];
