// Bearer API keys (SPEC 7): the admin key reaches everything; a project key reaches only routes
// of its own project (`:project` in the path) and gets 404 for anything else, exactly as if it
// did not exist. Runs before the body is read, so an unauthorised request costs nothing. A
// client address that keeps presenting wrong keys is refused for a while (429, Retry-After),
// so keys cannot be guessed at speed.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { authenticate } from '../app/access/keys.ts';
import { type ApiKeyRepo } from '../app/ports/access.ts';
import { ApiError, notFound } from '../app/errors.ts';
import type { Clock } from '../app/ports/clock.ts';
import type { FailureLimiter } from '../lib/failure-limiter.ts';

/** The key in an Authorization header: `Bearer <key>`, or (when allowed) basic auth with the key as the password. */
export function presentedKey(header: string | undefined, allowBasic: boolean): string | null {
  if (header === undefined) return null;
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return null;
  const [, scheme = '', value = ''] = match;
  if (scheme.toLowerCase() === 'bearer') return value;
  if (scheme.toLowerCase() === 'basic' && allowBasic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return decoded || null;
    const password = decoded.slice(colon + 1);
    // CommCare's basic auth has a username field too; either may hold the key.
    return password !== '' ? password : decoded.slice(0, colon) || null;
  }
  return null;
}

export function authHook(keys: ApiKeyRepo, failures: FailureLimiter, clock: Clock) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    request.principal = null;
    const config = request.routeOptions.config;
    const mode = config.auth ?? 'admin';
    if (mode === 'public') return;
    const basic = config.basicAuth === true;
    const key = presentedKey(request.headers.authorization, basic);
    const challenge = basic
      ? 'API key as Authorization: Bearer <key>, or basic auth with the key as the password'
      : 'Authorization: Bearer <key>';
    if (key === null) throw new ApiError('unauthorized', `an API key is required: ${challenge}`);
    const wait = failures.retryAfterMs(request.ip, clock.now());
    if (wait > 0) {
      const seconds = Math.ceil(wait / 1000);
      reply.header('retry-after', String(seconds));
      throw new ApiError('rate_limited', `too many wrong API keys from this address; retry in ${seconds} s`);
    }
    const principal = await authenticate(keys, key);
    if (!principal) {
      failures.fail(request.ip, clock.now());
      throw new ApiError('unauthorized', 'the API key is not valid (unknown or revoked)');
    }
    request.principal = principal;
    if (principal.kind === 'admin') return;
    const project = (request.params as Record<string, string | undefined>).project;
    if (project === principal.projectId) {
      if (mode === 'project') return;
      throw new ApiError('forbidden', 'this needs the admin key');
    }
    throw notFound(project === undefined ? 'not found' : `no project '${project}'`);
  };
}
