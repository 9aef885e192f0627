// Bearer API keys (SPEC 7): the admin key reaches everything; a project key reaches only routes
// of its own project (`:project` in the path) and gets 404 for anything else, exactly as if it
// did not exist. Runs before the body is read, so an unauthorised request costs nothing.
import type { FastifyRequest } from 'fastify';
import { authenticate } from '../app/access/keys.ts';
import { type ApiKeyRepo } from '../app/ports/access.ts';
import { ApiError, notFound } from '../app/errors.ts';

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

export function authHook(keys: ApiKeyRepo) {
  return async (request: FastifyRequest): Promise<void> => {
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
    const principal = await authenticate(keys, key);
    if (!principal) throw new ApiError('unauthorized', 'the API key is not valid (unknown or revoked)');
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
