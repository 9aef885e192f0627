// The console's session cookie: an HTTP-only, SameSite=Lax cookie holding a random session id
// (the database keeps only its hash, see app/access/sessions.ts). A hook resolves it on every
// request; pages need a live session, the few public routes (sign-in, assets) do not.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { resumeSession, type OpenSession, type SessionDeps } from '../app/access/sessions.ts';
import { csrfTokenFor } from './csrf.ts';

export const SESSION_COOKIE = 'caseline_session';

/** The signed-in operator of a console request. */
export interface Operator extends OpenSession {
  /** The session's CSRF token, for forms and htmx's hx-headers. */
  csrf: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A console route open without a session (sign-in, assets). */
    consolePublic?: boolean;
    /** The sign-in form: its CSRF token is the sign-in cookie's (there is no session yet). */
    signInForm?: boolean;
  }
  interface FastifyRequest {
    operator: Operator | null;
  }
}

/** The value of one cookie in a Cookie header, or null. */
export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  }
  return null;
}

export interface CookieOptions {
  /** Seconds; 0 removes the cookie. */
  maxAge: number;
  path: string;
  /** Only over HTTPS. */
  secure: boolean;
}

/** A Set-Cookie value: always HttpOnly and SameSite=Lax. */
export function setCookieValue(name: string, value: string, options: CookieOptions): string {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${options.path}`,
    `Max-Age=${options.maxAge}`,
    'HttpOnly',
    'SameSite=Lax',
  ];
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

export function addCookie(reply: FastifyReply, cookie: string): void {
  const current = reply.getHeader('set-cookie');
  const list = current === undefined ? [] : Array.isArray(current) ? current : [String(current)];
  reply.header('set-cookie', [...list, cookie]);
}

export function setSessionCookie(
  reply: FastifyReply,
  session: OpenSession,
  now: number,
  secure: boolean,
): void {
  const maxAge = Math.max(0, Math.floor((session.expiresAt - now) / 1000));
  addCookie(reply, setCookieValue(SESSION_COOKIE, session.id, { maxAge, path: '/', secure }));
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean): void {
  addCookie(reply, setCookieValue(SESSION_COOKIE, '', { maxAge: 0, path: '/', secure }));
}

/** Only same-site paths are followed after sign-in (no `//host` or `/\host`). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[^\s]*$/.test(next) && next.length <= 500 ? next : '/';
}

/**
 * onRequest: resolves the session cookie into request.operator. Without a live session a page
 * sends the browser to /sign-in (htmx requests get HX-Redirect); public routes go on.
 */
export function sessionHook(deps: SessionDeps) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    request.operator = null;
    const id = readCookie(request.headers.cookie, SESSION_COOKIE);
    const session = id === null ? null : await resumeSession(deps, id);
    if (session) {
      request.operator = { ...session, csrf: csrfTokenFor(session.id) };
      request.principal = session.principal;
      return undefined;
    }
    if (request.routeOptions.config.consolePublic === true) return undefined;
    const target = `/sign-in?next=${encodeURIComponent(request.method === 'GET' ? request.url : '/')}`;
    if (request.headers['hx-request'] === 'true') {
      return reply.code(401).header('hx-redirect', target).send();
    }
    return reply.redirect(target, 303);
  };
}
