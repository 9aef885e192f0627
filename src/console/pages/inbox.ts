// The inbox (issue 15, SPEC 5 step 1): a project's inbound SMS — from its contacts and from
// numbers nobody owns — newest first, each with how it was handled, the replies it got, and a
// reply box (the answer goes back through the gateway it arrived on). The administrator's /inbox
// shows the SMS of no project: those from unknown numbers through global gateways.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { replyToInbound } from '../../app/inbound/inbox.ts';
import type { MessageRow } from '../../app/ports/read-model.ts';
import { notFound } from '../../app/errors.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, type Form } from '../forms.ts';
import { localTime, projectPath, render } from '../render.ts';
import { projectZone } from './messages.ts';

/** Messages per page of the inbox. */
const INBOX_PAGE = 50;

/** How the pipeline handled an inbound SMS, in words (its stored outcome). */
export const OUTCOMES: Record<string, string> = {
  opted_out: 'opt-out keyword: opted out, confirmation sent',
  opted_in: 'opt-in keyword: opted in again, confirmation sent',
  opt_frozen: 'opt keyword from a number that may not change its opt-out: nothing changed',
  opt_ignored: 'opt keyword from a number another project owns: ignored',
  verified: 'verification code: the number is verified',
  awaiting_verification: 'from a number awaiting verification: waiting for the code',
  command: 'a # command',
  survey_answer: 'an answer to the open survey',
  keyword: 'a keyword: answered',
  default_reply: 'no keyword: the default reply was sent',
  registered: 'JOIN: registered',
  unhandled: 'from a contact, matched nothing: no reply',
  unrecognised: 'from an unknown number: no automatic reply',
};

interface InboxScope {
  /** The project, or null for the administrator's messages of no project. */
  projectId: string | null;
  zone: string;
  self: string;
  contactHref: ((kind: string, id: string) => string) | null;
  messageHref: ((id: number) => string) | null;
}

async function showInbox(
  deps: ConsoleDeps,
  request: FastifyRequest<{ Querystring: { cursor?: string; done?: string } }>,
  reply: FastifyReply,
  scope: InboxScope,
  problem: { id: number; message: string } | null = null,
) {
  const page = await deps.readModel.listMessages(scope.projectId, {
    direction: 'in',
    cursor: request.query.cursor || undefined,
    limit: INBOX_PAGE,
  });
  const replies = await deps.lists.repliesTo(page.items.map((m) => m.id));
  const repliesOf = (id: number): MessageRow[] => replies.filter((r) => r.replyTo === id);
  return render(
    deps.readModel,
    request,
    reply,
    'inbox',
    {
      title: scope.projectId === null ? 'Inbox of the global gateways' : 'Inbox',
      nav: 'inbox',
      global: scope.projectId === null,
      messages: page.items,
      repliesOf,
      outcome: (m: MessageRow) =>
        OUTCOMES[m.outcome ?? ''] ?? (m.outcome === null ? 'being handled' : m.outcome),
      more: page.nextCursor === null ? null : `${scope.self}?cursor=${encodeURIComponent(page.nextCursor)}`,
      done: request.query.done ?? null,
      problem,
      zone: scope.zone,
      self: scope.self,
      testSms: scope.projectId === null ? null : projectPath(scope.projectId, 'test-sms'),
      when: (ms: number | null) => (ms === null ? '' : localTime(ms, scope.zone)),
      contactHref: scope.contactHref,
      messageHref: scope.messageHref,
    },
    problem ? 400 : 200,
  );
}

/** Posts a reply; a blank or impossible one shows the inbox again with the problem on its box. */
async function postReply(
  deps: ConsoleDeps,
  request: FastifyRequest<{
    Params: { id: string };
    Body: Form;
    Querystring: { cursor?: string; done?: string };
  }>,
  reply: FastifyReply,
  scope: InboxScope,
) {
  const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : null;
  if (id === null) throw notFound(`no message ${request.params.id}`);
  try {
    await replyToInbound(deps, scope.projectId, id, field(request.body, 'text'));
  } catch (error) {
    const problem = formProblem(error, () => `reply-${id}`);
    if (!problem) throw error;
    return showInbox(deps, request, reply, scope, { id, message: problem.message });
  }
  return reply.redirect(`${scope.self}?done=${encodeURIComponent(`Reply to message ${id} queued.`)}`, 303);
}

function projectScope(request: FastifyRequest): InboxScope {
  const project = projectOf(request);
  return {
    projectId: project.id,
    zone: projectZone(project),
    self: projectPath(project.id, 'inbox'),
    contactHref: (kind, id) => projectPath(project.id, 'contacts', kind, id),
    messageHref: (id) => projectPath(project.id, 'messages', String(id)),
  };
}

export const inboxPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: { cursor?: string; done?: string } }>('/inbox', (request, reply) =>
    showInbox(deps, request, reply, projectScope(request)),
  );
  app.post<{ Params: { id: string }; Body: Form; Querystring: { cursor?: string; done?: string } }>(
    '/inbox/:id/reply',
    (request, reply) => postReply(deps, request, reply, projectScope(request)),
  );
};

/** The administrator's inbox, outside any project (a project key gets 404, as everywhere). */
export function adminInboxRoutes(app: FastifyInstance, deps: ConsoleDeps): void {
  const scope = (request: FastifyRequest): InboxScope => {
    if (request.operator?.principal.kind !== 'admin') throw notFound('no such page');
    return { projectId: null, zone: 'UTC', self: '/inbox', contactHref: null, messageHref: null };
  };
  app.get<{ Querystring: { cursor?: string; done?: string } }>('/inbox', (request, reply) =>
    showInbox(deps, request, reply, scope(request)),
  );
  app.post<{ Params: { id: string }; Body: Form; Querystring: { cursor?: string; done?: string } }>(
    '/inbox/:id/reply',
    (request, reply) => postReply(deps, request, reply, scope(request)),
  );
}
