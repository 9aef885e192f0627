// The Test SMS page (issue 15): a simulated inbound SMS — a sender and a text — through one of the
// gateways the project may test with, processed exactly as a real one; the page then shows how
// it was handled and the replies it queued (a keyword's answer, a confirmation). A project key
// tests on its own gateways; the admin also on the shared and global ones the project uses.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { simulateInbound } from '../../app/inbound/inbox.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render } from '../render.ts';
import { OUTCOMES } from './inbox.ts';

async function gateways(deps: ConsoleDeps, request: FastifyRequest): Promise<string[]> {
  const project = projectOf(request);
  const admin = request.operator?.principal.kind === 'admin';
  const usable = admin
    ? await deps.store.gateways.visibleTo(project.id)
    : await deps.store.gateways.ownedBy(project.id);
  return usable.map((g) => g.id);
}

async function show(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  form: { gateway: string; from: string; text: string },
  problem: FormProblem | null,
  result: { id: number; outcome: string; replies: string[] } | null,
  status = 200,
) {
  const project = projectOf(request);
  const ids = await gateways(deps, request);
  return render(
    deps.readModel,
    request,
    reply,
    'test-sms',
    {
      title: 'Test SMS',
      nav: 'test-sms',
      form: { ...form, gateway: form.gateway || (ids[0] ?? '') },
      gateways: ids,
      problem,
      err: problemOn(problem),
      result,
      self: projectPath(project.id, 'test-sms'),
      inbox: projectPath(project.id, 'inbox'),
      gatewaysPage: projectPath(project.id, 'gateways'),
      messageHref: (id: number) => projectPath(project.id, 'messages', String(id)),
    },
    status,
  );
}

export const testSmsPage: ConsolePage = (app, deps) => {
  app.get('/test-sms', async (request, reply) =>
    show(deps, request, reply, { gateway: '', from: '', text: '' }, null, null),
  );

  app.post<{ Body: Form }>('/test-sms', async (request, reply) => {
    const project = projectOf(request);
    const form = {
      gateway: field(request.body, 'gateway'),
      from: field(request.body, 'from'),
      text: field(request.body, 'text'),
    };
    try {
      const result = await simulateInbound(deps, {
        project: project.id,
        ...form,
        admin: request.operator?.principal.kind === 'admin',
      });
      const replies = (await deps.lists.repliesTo([result.messageId])).map((r) => r.text);
      const outcome = OUTCOMES[result.outcome] ?? result.outcome;
      return show(deps, request, reply, { ...form, text: '' }, null, {
        id: result.messageId,
        outcome,
        replies,
      });
    } catch (error) {
      const problem = formProblem(error, (path) =>
        ['gateway', 'from', 'text'].includes(path) ? path : 'text',
      );
      if (!problem) throw error;
      return show(deps, request, reply, form, problem, null, 400);
    }
  });
};
