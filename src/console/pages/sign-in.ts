// Signing in with an API key (a project key, or the admin key), signing out, the home page
// (the admin's project list; a project key goes straight to its dashboard) and the admin's
// project switcher.
import type { FastifyInstance } from 'fastify';
import { signIn, signOut } from '../../app/access/sessions.ts';
import { newSignInToken, SIGN_IN_COOKIE } from '../csrf.ts';
import type { ConsoleDeps } from '../deps.ts';
import { projectPath, render } from '../render.ts';
import {
  addCookie,
  clearSessionCookie,
  readCookie,
  safeNext,
  setCookieValue,
  setSessionCookie,
} from '../session.ts';

const SIGN_IN_TOKEN_SECONDS = 3600;

type Form = Record<string, unknown> | undefined;
const field = (body: Form, name: string): string => (typeof body?.[name] === 'string' ? body[name] : '');

export function signInRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const publicRoute = { config: { consolePublic: true } };

  app.get<{ Querystring: { next?: string } }>('/sign-in', publicRoute, async (request, reply) => {
    const next = safeNext(request.query.next);
    if (request.operator) return reply.redirect(next, 303);
    const token = newSignInToken();
    addCookie(
      reply,
      setCookieValue(SIGN_IN_COOKIE, token, {
        maxAge: SIGN_IN_TOKEN_SECONDS,
        path: '/sign-in',
        secure: deps.secureCookies,
      }),
    );
    return render(deps.readModel, request, reply, 'sign-in', {
      title: 'Sign in',
      signInToken: token,
      next,
      error: null,
    });
  });

  app.post<{ Body: Form }>(
    '/sign-in',
    { config: { consolePublic: true, signInForm: true } },
    async (request, reply) => {
      const next = safeNext(field(request.body, 'next'));
      const wait = deps.authFailures.retryAfterMs(request.ip, deps.clock.now());
      const session = wait > 0 ? null : await signIn(deps, field(request.body, 'key'));
      if (!session) {
        if (wait === 0) deps.authFailures.fail(request.ip, deps.clock.now());
        else reply.header('retry-after', String(Math.ceil(wait / 1000)));
        const token = readCookie(request.headers.cookie, SIGN_IN_COOKIE) ?? '';
        const error =
          wait > 0
            ? `Too many wrong keys from this address: try again in ${Math.ceil(wait / 1000)} s.`
            : 'This key is not valid: it is unknown or has been revoked.';
        return render(
          deps.readModel,
          request,
          reply,
          'sign-in',
          { title: 'Sign in', signInToken: token, next, error },
          wait > 0 ? 429 : 401,
        );
      }
      setSessionCookie(reply, session, deps.clock.now(), deps.secureCookies);
      addCookie(
        reply,
        setCookieValue(SIGN_IN_COOKIE, '', { maxAge: 0, path: '/sign-in', secure: deps.secureCookies }),
      );
      const home =
        session.principal.kind === 'project' && next === '/'
          ? `${projectPath(session.principal.projectId)}/`
          : next;
      return reply.redirect(home, 303);
    },
  );

  app.post('/sign-out', async (request, reply) => {
    if (request.operator) await signOut(deps, request.operator.id);
    clearSessionCookie(reply, deps.secureCookies);
    return reply.redirect('/sign-in', 303);
  });

  app.get('/', async (request, reply) => {
    const principal = request.operator?.principal;
    if (principal?.kind === 'project') return reply.redirect(`${projectPath(principal.projectId)}/`, 303);
    const projects = (await deps.readModel.listProjects({ limit: 500 })).items.map((p) => p.id);
    return render(deps.readModel, request, reply, 'projects', { title: 'Projects', list: projects });
  });

  app.get<{ Querystring: { project?: string } }>('/switch', async (request, reply) => {
    const wanted = request.query.project ?? '';
    const principal = request.operator?.principal;
    const project = principal?.kind === 'project' ? principal.projectId : wanted;
    return reply.redirect(project === '' ? '/' : `${projectPath(project)}/`, 303);
  });
}
