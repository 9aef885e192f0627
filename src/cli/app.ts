// The HTTP application of `caseline serve`: the API (src/http) and the operator console
// (src/console) mounted side by side on one server. Neither imports the other; this is where
// they meet, with the same use cases, keys and gateway types.
import type { FastifyInstance } from 'fastify';
import { consolePlugin } from '../console/plugin.ts';
import type { ConsoleDeps } from '../console/deps.ts';
import { buildServer, outboundPolicy, type ServerDeps } from '../http/server.ts';
import { FailureLimiter } from '../lib/failure-limiter.ts';

export interface AppDeps extends ServerDeps {
  /** The console's sessions and read queries; without them the server has no console. */
  console?: Pick<ConsoleDeps, 'sessions' | 'reads' | 'lists'>;
}

export function buildApp(deps: AppDeps): FastifyInstance {
  // One budget of wrong keys per client address, whether tried on the API or the sign-in form.
  const authFailures = deps.authFailures ?? new FailureLimiter(deps.config.api.authFailuresPerMinute, 60_000);
  const outbound = deps.outbound ?? outboundPolicy(deps.config);
  const app = buildServer({ ...deps, authFailures, outbound });
  const parts = deps.console;
  if (parts) {
    const consoleDeps: ConsoleDeps = {
      store: deps.store,
      clock: deps.clock,
      readModel: deps.readModel,
      keys: deps.keys,
      gatewayRemoval: deps.gatewayRemoval,
      gatewayTypes: deps.gatewayTypes,
      outbound,
      authFailures,
      ...parts,
      // Cookies are Secure when the console is reached over HTTPS.
      secureCookies: deps.config.publicUrl.startsWith('https:'),
      publicUrl: deps.config.publicUrl,
    };
    // In its own scope: its form parser, session hooks and HTML errors never reach the API.
    app.register(async (scope) => consolePlugin(scope, consoleDeps));
  }
  return app;
}
