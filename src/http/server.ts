// The HTTP server: /healthz, /metrics, the API under /api/v1 with its OpenAPI document at
// /api/v1/openapi.json and an explorer at /docs, and the gateway webhooks under /gateways/{id}/.
// The operator console (src/console) is mounted beside it by src/cli/app.ts: neither knows the other.
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { GatewayRemoval } from '../app/ports/store.ts';
import type { ApiKeyRepo } from '../app/ports/access.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { GatewayCatalog } from '../app/ports/gateway-types.ts';
import type { Store } from '../app/ports/store.ts';
import type { ReadModel } from '../app/ports/read-model.ts';
import type { Config } from '../config.ts';
import type { OutboundPolicy } from '../app/ports/outbound.ts';
import { resolveHost } from '../lib/resolve-host.ts';
import { LOG_REDACTION, RequestLogs } from '../logging.ts';
import type { Metrics } from '../metrics.ts';
import { FailureLimiter } from '../lib/failure-limiter.ts';
import { authHook } from './auth.ts';
import type { Api, ApiDeps, AuthMode } from './common.ts';
import { ApiError } from '../app/errors.ts';
import { createErrorHandler, notFoundHandler, validatorCompiler, type ConflictTest } from './errors.ts';
import { alertRoutes } from './routes/alerts.ts';
import { broadcastRoutes } from './routes/broadcasts.ts';
import { caseRoutes } from './routes/cases.ts';
import { commcareRoutes } from './routes/commcare.ts';
import { contactRoutes } from './routes/contacts.ts';
import { eventRoutes } from './routes/events.ts';
import { gatewayRoutes } from './routes/gateways.ts';
import { keyRoutes } from './routes/keys.ts';
import { groupRoutes } from './routes/groups.ts';
import { keywordRoutes } from './routes/keywords.ts';
import { messageRoutes } from './routes/messages.ts';
import { mobileWorkerRoutes } from './routes/mobile-workers.ts';
import { optOutRoutes } from './routes/opt-outs.ts';
import { phoneNumberRoutes } from './routes/phone-numbers.ts';
import { projectRoutes } from './routes/projects.ts';
import { surveyRoutes } from './routes/surveys.ts';
import { API_PREFIX, docsOptions, openApiOptions } from './openapi.ts';
import { webhookRoutes } from './webhooks.ts';

export { API_PREFIX };

export interface ServerDeps {
  store: Store;
  clock: Clock;
  /** `publicUrl`: the address gateways call, which Twilio's signatures cover. */
  config: Pick<Config, 'api' | 'publicUrl'> &
    Partial<Pick<Config, 'logLevel' | 'allowPrivateGateways' | 'trustProxy' | 'metrics'>>;
  readModel: ReadModel;
  keys: ApiKeyRepo;
  gatewayRemoval: GatewayRemoval;
  /** The gateway types (src/gateways/registry.ts): the gateway schema and the webhooks derive from it. */
  gatewayTypes: GatewayCatalog;
  metrics?: Metrics;
  /** The outbound address guard (SPEC 3.6); default: config.allowPrivateGateways and the system resolver. */
  outbound?: OutboundPolicy;
  /** Wrong keys per client address, shared with the console's sign-in when it is mounted. */
  authFailures?: FailureLimiter;
  /** Throws unless the database answers and takes writes (/healthz); default: a read. */
  healthProbe?: () => Promise<void>;
  /** Recognises the database's unique-constraint errors (409). */
  isConflict?: ConflictTest;
  /** Fastify's logger option; default: JSON logs at config.logLevel. */
  logger?: FastifyServerOptions['logger'];
  /** A logger of ours (src/logging.ts) instead of `logger`. */
  loggerInstance?: FastifyBaseLogger;
}

/** One route of the API, as the tests enumerate them. */
export interface RouteEntry {
  method: string;
  url: string;
  auth: AuthMode;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route under /api/v1 with who may call it. */
    apiRoutes: RouteEntry[];
  }
}

/** The guard as configured: CASELINE_ALLOW_PRIVATE_GATEWAYS and the system resolver. */
export function outboundPolicy(config: ServerDeps['config']): OutboundPolicy {
  return { allowPrivate: config.allowPrivateGateways ?? false, resolve: (host) => resolveHost(host) };
}

export function buildServer(deps: ServerDeps): FastifyInstance {
  const api = deps.config.api;
  const app = Fastify({
    // The client address of rate limits and auth throttles: the connection's, unless the
    // operator says which proxies' X-Forwarded-For to believe (CASELINE_TRUST_PROXY).
    trustProxy: trustedProxies(deps.config.trustProxy ?? false),
    ...(deps.loggerInstance
      ? { loggerInstance: deps.loggerInstance }
      : { logger: deps.logger ?? { level: deps.config.logLevel ?? 'info', ...LOG_REDACTION } }),
    // Requests are logged at debug (src/logging.ts).
    logController: new RequestLogs(),
    // Each answer's serializer is compiled when first used rather than all ~150 at start, which
    // took a third of a second of every start.
    schemaController: { compilersFactory: { buildSerializer: lazySerializers } },
    bodyLimit: api.bodyLimitBytes,
    // Ids in paths are up to 200 characters; leave room for encoding.
    routerOptions: { maxParamLength: 1000 },
    // Answers reuse input schemas whose "exactly one of" is a `oneOf` of bare `required` lists;
    // the serializer's ajv would log a strictTypes warning for each at start-up.
    serializerOpts: { ajv: { strictTypes: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(createErrorHandler(deps.isConflict));
  app.setNotFoundHandler(notFoundHandler);
  app.decorateRequest('principal', null);

  const routes: RouteEntry[] = [];
  app.decorate('apiRoutes', routes);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith(API_PREFIX) || route.url === `${API_PREFIX}/openapi.json`) return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      routes.push({ method, url: route.url, auth: route.config?.auth ?? 'admin' });
    }
  });

  app.register(swagger, openApiOptions(deps.config.publicUrl));
  app.register(swaggerUi, docsOptions());

  if (api.rateLimitPerMinute > 0) {
    app.register(rateLimit, {
      global: true,
      max: api.rateLimitPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const who = request.principal;
        if (who?.kind === 'project') return `key:${who.keyId}`;
        if (who?.kind === 'admin') return 'key:admin';
        return `ip:${request.ip}`;
      },
      errorResponseBuilder: (_request, context) =>
        new ApiError(
          'rate_limited',
          `more than ${context.max} requests per minute for this key; retry in ${context.after}`,
        ),
    });
  }

  // In a plugin, so that they are added after the OpenAPI plugin has started collecting routes.
  app.register(async (scope) => {
    // Healthy means able to work: the database answers and takes writes (a read-only file does not).
    scope.get('/healthz', { config: { rateLimit: false } }, async (request, reply) => {
      try {
        await (deps.healthProbe ? deps.healthProbe() : deps.store.messages.nextDueAt());
        return { status: 'ok' };
      } catch (error) {
        request.log.error({ err: error }, 'health check failed');
        return reply
          .code(503)
          .send({ status: 'error', message: 'the database cannot be written or reached' });
      }
    });
    if (deps.metrics) {
      const { registry } = deps.metrics;
      const token = deps.config.metrics?.token ?? null;
      scope.get('/metrics', { config: { rateLimit: false } }, async (request, reply) => {
        // CASELINE_METRICS_TOKEN: the scraper presents it as a bearer token.
        if (token !== null && !sameSecret(bearerOf(request.headers.authorization), token)) {
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer realm="metrics"')
            .send({
              error: {
                code: 'unauthorized',
                message: 'this needs the metrics token: Authorization: Bearer <token>',
              },
            });
        }
        reply.type(registry.contentType);
        return registry.metrics();
      });
    }
  });
  app.get(`${API_PREFIX}/openapi.json`, { config: { rateLimit: false }, schema: { hide: true } }, async () =>
    app.swagger(),
  );

  const authFailures = deps.authFailures ?? new FailureLimiter(api.authFailuresPerMinute, 60_000);
  const apiDeps: ApiDeps = {
    store: deps.store,
    clock: deps.clock,
    readModel: deps.readModel,
    keys: deps.keys,
    gatewayRemoval: deps.gatewayRemoval,
    gatewayTypes: deps.gatewayTypes,
    batchLimit: api.batchLimit,
    outbound: deps.outbound ?? outboundPolicy(deps.config),
  };
  app.register(
    async (scope) => {
      const typed = scope.withTypeProvider<TypeBoxTypeProvider>() as unknown as Api;
      scope.addHook('onRequest', authHook(deps.keys, authFailures, deps.clock));
      for (const register of [
        projectRoutes,
        keyRoutes,
        caseRoutes,
        mobileWorkerRoutes,
        gatewayRoutes,
        messageRoutes,
        eventRoutes,
        contactRoutes,
        phoneNumberRoutes,
        optOutRoutes,
        commcareRoutes,
        alertRoutes,
        broadcastRoutes,
        keywordRoutes,
        groupRoutes,
        surveyRoutes,
      ]) {
        register(typed, apiDeps);
      }
    },
    { prefix: API_PREFIX },
  );
  // Gateway webhooks: outside /api/v1 and its keys (each gateway authenticates its own calls),
  // in their own scope so their form-body parser does not reach the API.
  app.register(async (scope) =>
    webhookRoutes(scope, {
      store: deps.store,
      clock: deps.clock,
      publicUrl: deps.config.publicUrl,
      gatewayTypes: deps.gatewayTypes,
      // The same budget as wrong API keys, counted per gateway and address.
      authFailures: new FailureLimiter(api.authFailuresPerMinute, 60_000),
    }),
  );
  return app;
}

/** The token of an `Authorization: Bearer <token>` header, or ''. */
function bearerOf(header: string | undefined): string {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1] ?? '';
}

/** Compares in constant time (of the hashes), whatever the lengths. */
function sameSecret(presented: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/** CASELINE_TRUST_PROXY as Fastify takes it: a hop count trusts that many proxies nearest us. */
function trustedProxies(setting: boolean | number | string) {
  return typeof setting === 'number' ? (_address: string, hop: number) => hop < setting : setting;
}

/** Fastify's serializer factory, each serializer compiled at its first use. */
function lazySerializers(...factoryArgs: Parameters<ReturnType<typeof SerializerSelector>>) {
  const compile = SerializerSelector()(...factoryArgs);
  return (route: Parameters<typeof compile>[0]) => {
    let serialize: ReturnType<typeof compile> | null = null;
    return (data: unknown) => (serialize ??= compile(route))(data);
  };
}
