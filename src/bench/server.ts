// The HTTP server as `caseline serve` builds it (the API and the gateway webhooks), on a
// benchmark database; and an admin key to call it with.
import type { FastifyInstance } from 'fastify';
import type { Store } from '../app/ports/store.ts';
import { ensureAdminKey } from '../app/access/keys.ts';
import { systemClock } from '../clock.ts';
import { createReadModel } from '../db/read-model.ts';
import { createApiKeyRepo } from '../db/repos/api-keys.ts';
import { createGatewayRemoval } from '../db/repos/gateway-removal.ts';
import { gatewayCatalog } from '../gateways/registry.ts';
import { buildServer } from '../http/server.ts';
import type { BenchDb } from './database.ts';

export const ADMIN_KEY = 'caseline-bench-admin-key-0123456789abcdef';

export async function benchServer(bench: BenchDb, store: Store): Promise<FastifyInstance> {
  const keys = createApiKeyRepo(bench.db.kysely);
  await ensureAdminKey(keys, systemClock, ADMIN_KEY);
  const app = buildServer({
    store,
    clock: systemClock,
    config: {
      api: {
        rateLimitPerMinute: 0,
        bodyLimitBytes: 64 * 1024 * 1024,
        batchLimit: 5_000,
        authFailuresPerMinute: 0,
      },
      publicUrl: 'http://127.0.0.1',
    },
    readModel: createReadModel(bench.db),
    keys,
    gatewayRemoval: createGatewayRemoval(bench.db.kysely),
    gatewayTypes: gatewayCatalog,
    isConflict: (error) => bench.db.dialect.isUniqueViolation(error),
    logger: false,
  });
  await app.ready();
  return app;
}
