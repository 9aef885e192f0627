// Creating and editing alerts and broadcasts: one form for both (views/schedule-form.eta),
// checked by the API's schemas (AlertBody, BroadcastBody) and saved by its use cases (putAlert,
// putBroadcast). A validation error re-shows the form with the problem on its input, nothing
// saved.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { putAlert } from '../../app/scheduling/alerts.ts';
import { putBroadcast } from '../../app/scheduling/broadcasts.ts';
import { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import { Id } from '../../lib/schema.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { notFound } from '../../app/errors.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render } from '../render.ts';
import { bodyOf, draftFrom, draftOf, OPS, scheduleInputFor, type ScheduleDraft } from '../schedule-form.ts';

type Kind = 'alert' | 'broadcast';
const PLURAL: Record<Kind, string> = { alert: 'alerts', broadcast: 'broadcasts' };

export function kindOf(segment: string): Kind {
  if (segment === 'alerts') return 'alert';
  if (segment === 'broadcasts') return 'broadcast';
  throw notFound(`no kind of schedule '${segment}'`);
}

async function showForm(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  kind: Kind,
  draft: ScheduleDraft,
  isNew: boolean,
  problem: FormProblem | null,
  status = 200,
) {
  const project = projectOf(request);
  const noun = kind === 'alert' ? 'alert' : 'broadcast';
  return render(
    deps.readModel,
    request,
    reply,
    'schedule-form',
    {
      title: isNew ? `New ${noun}` : `Edit ${noun} ${draft.id}`,
      nav: 'schedules',
      kind,
      isNew,
      d: draft,
      ops: OPS,
      problem,
      err: problemOn(problem),
      action: projectPath(project.id, 'schedules', PLURAL[kind]),
      back: projectPath(project.id, 'schedules'),
    },
    status,
  );
}

export const scheduleEditPage: ConsolePage = (app, deps) => {
  app.get<{ Params: { kind: string } }>('/schedules/:kind/new', async (request, reply) => {
    const kind = kindOf(request.params.kind);
    return showForm(deps, request, reply, kind, draftOf(kind, '', null), true, null);
  });

  app.get<{ Params: { kind: string; id: string } }>('/schedules/:kind/:id/edit', async (request, reply) => {
    const project = projectOf(request);
    const kind = kindOf(request.params.kind);
    const record =
      kind === 'alert'
        ? await deps.store.alerts.get(project.id, request.params.id)
        : await deps.store.broadcasts.get(project.id, request.params.id);
    if (!record) throw notFound(`no ${kind} '${request.params.id}' in project '${project.id}'`);
    return showForm(
      deps,
      request,
      reply,
      kind,
      draftOf(kind, record.id, record.definition as Record<string, unknown>, record.active),
      false,
      null,
    );
  });

  app.post<{ Params: { kind: string }; Body: Form }>('/schedules/:kind', async (request, reply) => {
    const project = projectOf(request);
    const kind = kindOf(request.params.kind);
    const draft = draftFrom(kind, request.body);
    const isNew = request.body?.is_new === '1';
    let criteriaRows: number[] = [];
    try {
      const id = parseInput(Id, draft.id, 'id');
      const current =
        kind === 'alert'
          ? await deps.store.alerts.get(project.id, id)
          : await deps.store.broadcasts.get(project.id, id);
      if (isNew && current)
        throw new InputError(
          'id',
          `there is already ${kind === 'alert' ? 'an alert' : 'a broadcast'} '${id}': choose another id, or edit that one`,
        );
      const built = bodyOf(kind, draft);
      criteriaRows = built.criteriaRows;
      if (kind === 'alert')
        await putAlert(deps, { ...parseInput(AlertBody, built.body), project: project.id, id });
      else await putBroadcast(deps, { ...parseInput(BroadcastBody, built.body), project: project.id, id });
      return reply.redirect(
        `${projectPath(project.id, 'schedules')}?saved=${encodeURIComponent(`${kind}:${id}`)}`,
        303,
      );
    } catch (error) {
      const problem = formProblem(error, scheduleInputFor(kind, criteriaRows));
      if (!problem) throw error;
      return showForm(deps, request, reply, kind, draft, isNew, problem, 400);
    }
  });
};
