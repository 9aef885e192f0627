// The operator console (issue #8): server-rendered pages at / in the API's process, using the
// same use cases (src/app) and keys. Mounted by src/cli/app.ts beside the API, in its own scope,
// so its form parser, hooks and error pages never reach the API or the webhooks.
//
// Adding a page (e.g. Messages):
//   1. src/console/pages/messages.ts exports `messagesPage: ConsolePage`, which registers its
//      routes relative to /p/:project (`app.get('/messages', ...)`). By then the session and the
//      project have been checked: `projectOf(request)` is the project, and a project key asking
//      for another project has already had 404. Forms post with the CSRF token (checked for
//      every non-GET before the handler runs).
//   2. src/console/views/messages.eta starts with `<% layout('./layout') %>` and shows `it.*`
//      through `<%= %>` only (it escapes); render it with `render(deps.readModel, request,
//      reply, 'messages', { title: 'Messages', nav: 'messages', ... })`.
//   3. Add `messagesPage` to PAGES below. The navigation (render.ts NAV) already links to it.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import formbody from '@fastify/formbody';
import fastifyStatic from '@fastify/static';
import fastifyView from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { InputError } from '../lib/input.ts';
import { ApiError, notFound } from '../app/errors.ts';
import { csrfHook, SIGN_IN_COOKIE } from './csrf.ts';
import type { ConsoleDeps, ConsolePage } from './deps.ts';
import { contactPage } from './pages/contact.ts';
import { composePage } from './pages/compose.ts';
import { gatewayPages } from './pages/gateways.ts';
import { contactsPage } from './pages/contacts.ts';
import { dashboardPage } from './pages/dashboard.ts';
import { messageExportPage } from './pages/message-export.ts';
import { messagesPage } from './pages/messages.ts';
import { registryPage } from './pages/registry.ts';
import { schedulesPage } from './pages/schedules.ts';
import { keywordsPage } from './pages/keywords.ts';
import { surveysPage } from './pages/surveys.ts';
import { groupsPage } from './pages/groups.ts';
import { adminInboxRoutes, inboxPage } from './pages/inbox.ts';
import { testSmsPage } from './pages/test-sms.ts';
import { settingsPage } from './pages/settings.ts';
import { signInRoutes } from './pages/sign-in.ts';
import { packagePath } from '../paths.ts';
import { surveyResultsPage } from './pages/survey-results.ts';
import { render } from './render.ts';
import { readCookie, sessionHook } from './session.ts';

/** The pages below /p/:project/, each one route file and one view. */
const PAGES: ConsolePage[] = [
  dashboardPage,
  contactsPage,
  contactPage,
  registryPage,
  messagesPage,
  messageExportPage,
  composePage,
  schedulesPage,
  keywordsPage,
  surveysPage,
  groupsPage,
  inboxPage,
  testSmsPage,
  settingsPage,
  surveyResultsPage,
  gatewayPages,
];

/** Views and our own assets, read from src/console/ whether the code runs compiled or not. */
const here = (path: string) => packagePath('src', 'console', path);
const require = createRequire(import.meta.url);

/** Files served under /assets/: our own, and htmx and Chart.js straight from node_modules. */
const ASSETS: Record<string, { file: string; root: string }> = {
  'console.css': { file: 'console.css', root: here('./public/') },
  'forms.css': { file: 'forms.css', root: here('./public/') },
  'compose.js': { file: 'compose.js', root: here('./public/') },
  'gateways.js': { file: 'gateways.js', root: here('./public/') },
  'dashboard.js': { file: 'dashboard.js', root: here('./public/') },
  'survey-charts.js': { file: 'survey-charts.js', root: here('./public/') },
  'htmx.min.js': { file: 'htmx.min.js', root: dirname(require.resolve('htmx.org/dist/htmx.min.js')) },
  'chart.umd.min.js': { file: 'chart.umd.min.js', root: dirname(require.resolve('chart.js')) },
};

/** Pages only load our own scripts and styles, and are never framed. */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'same-origin',
};

export async function consolePlugin(app: FastifyInstance, deps: ConsoleDeps): Promise<void> {
  await app.register(formbody, { bodyLimit: 64 * 1024 });
  await app.register(fastifyView, { engine: { eta: new Eta() }, root: here('./views/'), production: true });
  await app.register(fastifyStatic, { root: here('./public/'), serve: false });
  app.decorateRequest('operator', null);
  app.decorateRequest('consoleProject', null);

  app.addHook('onRequest', sessionHook(deps));
  app.addHook(
    'preHandler',
    csrfHook((request) => readCookie(request.headers.cookie, SIGN_IN_COOKIE)),
  );
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.headers(SECURITY_HEADERS);
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html'))
      reply.header('cache-control', 'no-store');
    return payload;
  });
  app.setErrorHandler(errorPage(deps));

  app.get<{ Params: { file: string } }>(
    '/assets/:file',
    { config: { consolePublic: true, rateLimit: false } },
    async (request, reply) => {
      // Own names only: `constructor` and the like are no assets.
      const asset = Object.hasOwn(ASSETS, request.params.file) ? ASSETS[request.params.file] : undefined;
      if (!asset) throw notFound('no such file');
      return reply.header('cache-control', 'public, max-age=3600').sendFile(asset.file, asset.root);
    },
  );
  signInRoutes(app, deps);
  adminInboxRoutes(app, deps);

  await app.register(
    async (scope) => {
      scope.addHook('onRequest', async (request) => {
        request.consoleProject = await accessibleProject(deps, request);
      });
      scope.setNotFoundHandler(async (request, reply) =>
        render(
          deps.readModel,
          request,
          reply,
          'error',
          { title: 'Not found', message: 'There is no such page.' },
          404,
        ),
      );
      for (const page of PAGES) page(scope, deps);
    },
    { prefix: '/p/:project' },
  );
}

/** The project of the path, or 404 exactly like the API: a project key sees only its own. */
async function accessibleProject(deps: ConsoleDeps, request: FastifyRequest) {
  const id = (request.params as { project?: string }).project ?? '';
  const principal = request.operator?.principal;
  if (!principal) return null;
  if (principal.kind === 'project' && principal.projectId !== id) throw notFound(`no project '${id}'`);
  const project = await deps.store.projects.get(id);
  if (!project) throw notFound(`no project '${id}'`);
  return project;
}

function errorPage(deps: ConsoleDeps) {
  return async (
    error: FastifyError | Error,
    request: FastifyRequest,
    reply: FastifyReply,
  ): Promise<FastifyReply> => {
    const show = (status: number, title: string, message: string) =>
      render(deps.readModel, request, reply, 'error', { title, message }, status);
    if (error instanceof ApiError && error.status === 404) return show(404, 'Not found', error.message);
    if (error instanceof ApiError) return show(error.status, 'Not allowed', error.message);
    if (error instanceof InputError) return show(400, 'Not done', error.message);
    const status = (error as FastifyError).statusCode ?? 500;
    if (status >= 400 && status < 500) return show(status, 'Bad request', error.message);
    request.log.error({ err: error }, 'console request failed');
    return show(500, 'Something went wrong', `The server log has the details (request ${request.id}).`);
  };
}
