// CSRF protection for every console form: a per-session token, derived from the session id
// (so nothing more is stored), sent back as the hidden field `_csrf` or, from htmx, as the
// `X-CSRF-Token` header (the layout puts it in hx-headers). A new session (a new id) at every
// sign-in rotates it. Before sign-in there is no session, so the sign-in form carries a random
// token that must match a short-lived cookie (double submit) — accepted by the sign-in form
// alone: a cookie planted by a neighbouring site must never stand in for a session's token.
// Any other non-GET request without a matching token answers 403.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';
/** Holds the sign-in form's token until the session exists. */
export const SIGN_IN_COOKIE = 'caseline_sign_in';

/** The session's token: not the session id, and not derivable from the stored hash of it. */
export function csrfTokenFor(sessionId: string): string {
  return createHash('sha256').update(`caseline console csrf\u0000${sessionId}`, 'utf8').digest('base64url');
}

export function newSignInToken(): string {
  return randomBytes(24).toString('base64url');
}

function same(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** The token a request presents: the form field, else the header. */
function presented(request: FastifyRequest): string | null {
  const body = request.body;
  if (typeof body === 'object' && body !== null && CSRF_FIELD in body) {
    const value = (body as Record<string, unknown>)[CSRF_FIELD];
    if (typeof value === 'string') return value;
  }
  const header = request.headers[CSRF_HEADER];
  return typeof header === 'string' ? header : null;
}

/**
 * preHandler (after the form is parsed): every request but GET and HEAD must present the
 * session's token; the sign-in form (route config `signInForm`) the token of the sign-in
 * cookie instead, which `signInToken` reads.
 */
export function csrfHook(signInToken: (request: FastifyRequest) => string | null) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (request.method === 'GET' || request.method === 'HEAD') return undefined;
    const token = presented(request);
    const signingIn = request.routeOptions.config.signInForm === true;
    const expected = [request.operator?.csrf ?? null, signingIn ? signInToken(request) : null].filter(
      (t): t is string => t !== null && t !== '',
    );
    if (token !== null && expected.some((t) => same(t, token))) return undefined;
    return reply
      .code(403)
      .type('text/plain; charset=utf-8')
      .send(
        'Forbidden: the form is missing its security token or it has expired. Reload the page and try again.',
      );
  };
}
