// What the console's pages are handed: the same store, clock, read model and keys as the API,
// plus the console's sessions and read queries.
import type { FastifyInstance } from 'fastify';
import type { ConsoleLists } from '../app/ports/read-model.ts';
import type { ConsoleReads } from '../app/ports/read-model.ts';
import type { ConsoleSessionRepo } from '../app/ports/access.ts';
import type { ApiKeyRepo } from '../app/ports/access.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { ProjectRecord } from '../app/ports/records.ts';
import type { GatewayCatalog } from '../app/ports/gateway-types.ts';
import type { GatewayRemoval, Store } from '../app/ports/store.ts';
import type { OutboundPolicy } from '../app/ports/outbound.ts';
import type { ReadModel } from '../app/ports/read-model.ts';
import type { FastifyRequest } from 'fastify';
import type { FailureLimiter } from '../lib/failure-limiter.ts';

export interface ConsoleDeps {
  store: Store;
  clock: Clock;
  readModel: ReadModel;
  keys: ApiKeyRepo;
  sessions: ConsoleSessionRepo;
  reads: ConsoleReads;
  /** The messages, schedules and configuration lists. */
  lists: ConsoleLists;
  /** The gateway types (src/gateways/registry.ts) and what stores a gateway needs. */
  gatewayTypes: GatewayCatalog;
  gatewayRemoval: GatewayRemoval;
  /** The outbound address guard's setting and resolver (SPEC 3.6). */
  outbound: OutboundPolicy;
  /** Wrong keys per client address (shared with the API): the sign-in form is throttled too. */
  authFailures: FailureLimiter;
  /** Mark cookies Secure: the console is reached over HTTPS. */
  secureCookies: boolean;
  /** CASELINE_PUBLIC_URL: where providers call the gateway webhooks. */
  publicUrl: string;
}

/** A page module: registers its routes below /p/:project/ (the access check has run). */
export type ConsolePage = (app: FastifyInstance, deps: ConsoleDeps) => void;

/** The checked project of a /p/:project/ request. */
export function projectOf(request: FastifyRequest): ProjectRecord {
  const project = request.consoleProject;
  if (!project) throw new Error('projectOf() outside /p/:project/');
  return project;
}
