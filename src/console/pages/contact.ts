// One contact: every property, its numbers, registry state, opt-out, the "why" (the same words
// as `caseline why`), language, time zone, gateway and latest messages; actions: change its
// number, language and time zone, remove a number, start a mobile worker's verification, close a
// case — through the API's use cases, so the registry moves on in the same way (SPEC 2.2).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { upsertCase, type CaseUpsert } from '../../app/contacts/cases.ts';
import { CaseProperties, MobileWorkerBody } from '../../app/contacts/schemas.ts';
import { changeWorkerNumber, upsertMobileWorker } from '../../app/contacts/workers.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { byPath, field, formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import type { ConsoleDeps } from '../deps.ts';
import { contactDetails } from '../read-models/contact-details.ts';
import type { ContactKind } from '../../app/ports/records.ts';
import { startVerification } from '../../app/registry/verification.ts';
import { notFound } from '../../app/errors.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { localTime, projectPath, render } from '../render.ts';

/** What an action reports back on the contact's page (`?done=`). */
const DONE: Record<string, string> = {
  WORKFLOW_STARTED: 'Verification started: the SMS asking for the code is queued.',
  RESENT_PENDING: 'The verification was already pending: the SMS was sent again.',
  ALREADY_VERIFIED: 'This number is already verified for this mobile worker.',
  ALREADY_IN_USE: 'Not started: another contact owns this number.',
  closed: 'The case is closed: it gets no more messages and its number is released.',
  saved: 'Saved: the registry follows the number (an old number is released).',
  removed: 'The number is removed and released in the registry.',
  added: 'The number is added (one-way until verified).',
};

const kindOf = (kind: string): ContactKind => {
  if (kind === 'case' || kind === 'mobile_worker') return kind;
  throw notFound(`no kind of contact '${kind}'`);
};

/**
 * Applies an operator's change to a case of the project, 404 when it has none such. The update is
 * at least as new as the applied one, so it is never ignored as stale (as the API's DELETE).
 */
async function changeCase(
  deps: ConsoleDeps,
  request: FastifyRequest<{ Params: { id: string } }>,
  change: Pick<CaseUpsert, 'closed' | 'properties'>,
): Promise<string> {
  const project = projectOf(request);
  const current = await deps.store.cases.get(project.id, request.params.id);
  if (!current) throw notFound(`no case '${request.params.id}' in project '${project.id}'`);
  const at = new Date(Math.max(deps.clock.now(), current.serverModifiedOn)).toISOString();
  await upsertCase(deps, { project: project.id, id: current.id, ...change, server_modified_on: at });
  return current.id;
}

export const contactPage: ConsolePage = (app, deps) => {
  /** The contact's page; with a problem, the form that had it shows it (status 400). */
  const show = async (
    request: FastifyRequest,
    reply: FastifyReply,
    kind: ContactKind,
    id: string,
    done: string | null,
    problem: FormProblem | null = null,
  ) => {
    const project = projectOf(request);
    const details = await contactDetails(deps, project, kind, id);
    if (!details)
      throw notFound(`no ${kind === 'case' ? 'case' : 'mobile worker'} '${id}' in project '${project.id}'`);
    const zone = details.status.time_zone;
    return render(
      deps.readModel,
      request,
      reply,
      'contact',
      {
        title: `${kind === 'case' ? 'Case' : 'Mobile worker'} ${details.id}`,
        nav: 'contacts',
        c: details,
        done: DONE[done ?? ''] ?? null,
        problem,
        err: problemOn(problem),
        self: projectPath(project.id, 'contacts', kind, details.id),
        back: projectPath(project.id, 'contacts'),
        messageHref: (id: number) => projectPath(project.id, 'messages', String(id)),
        caseHref: (id: string) => projectPath(project.id, 'contacts', 'case', id),
        resultsHref: (survey: string) => projectPath(project.id, 'survey-results', survey),
        when: (ms: number | null) => (ms === null ? '' : localTime(ms, zone)),
      },
      problem ? 400 : 200,
    );
  };

  app.get<{ Params: { kind: string; id: string }; Querystring: { done?: string } }>(
    '/contacts/:kind/:id',
    async (request, reply) =>
      show(request, reply, kindOf(request.params.kind), request.params.id, request.query.done ?? null),
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/contacts/mobile_worker/:id/verify',
    async (request, reply) => {
      const project = projectOf(request);
      const number = typeof request.body?.number === 'string' ? request.body.number : '';
      const outcome = await startVerification(deps, {
        project: project.id,
        mobile_worker: request.params.id,
        number,
      });
      return reply.redirect(
        `${projectPath(project.id, 'contacts', 'mobile_worker', request.params.id)}?done=${outcome.result}`,
        303,
      );
    },
  );

  app.post<{ Params: { id: string } }>('/contacts/case/:id/close', async (request, reply) => {
    const id = await changeCase(deps, request, { closed: true });
    return reply.redirect(`${projectPath(projectOf(request).id, 'contacts', 'case', id)}?done=closed`, 303);
  });

  const back = (reply: FastifyReply, request: FastifyRequest, kind: ContactKind, id: string, done: string) =>
    reply.redirect(`${projectPath(projectOf(request).id, 'contacts', kind, id)}?done=${done}`, 303);
  /** Runs a change; a validation error lands on its input. */
  const change = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    kind: ContactKind,
    inputs: readonly string[],
    run: () => Promise<string>,
  ) => {
    try {
      return back(reply, request, kind, request.params.id, await run());
    } catch (error) {
      const problem = formProblem(error, byPath(inputs, inputs[0] ?? null));
      if (!problem) throw error;
      return show(request, reply, kind, request.params.id, null, problem);
    }
  };
  const text = (body: Form, name: string): string | null => {
    const value = field(body, name).trim();
    return value === '' ? null : value;
  };

  app.post<{ Params: { id: string }; Body: Form }>('/contacts/case/:id/details', async (request, reply) =>
    change(request, reply, 'case', ['contact_phone_number', 'language_code', 'time_zone'], async () => {
      const properties = parseInput(CaseProperties, {
        contact_phone_number: text(request.body, 'contact_phone_number'),
        language_code: text(request.body, 'language_code'),
        time_zone: text(request.body, 'time_zone'),
      });
      await changeCase(deps, request, { properties });
      return 'saved';
    }),
  );

  app.post<{ Params: { id: string } }>('/contacts/case/:id/remove-number', async (request, reply) => {
    const id = await changeCase(deps, request, { properties: { contact_phone_number: null } });
    return back(reply, request, 'case', id, 'removed');
  });

  app.post<{ Params: { id: string }; Body: Form }>(
    '/contacts/mobile_worker/:id/details',
    async (request, reply) =>
      change(request, reply, 'mobile_worker', ['language', 'time_zone'], async () => {
        const project = projectOf(request);
        if (!(await deps.store.workers.get(project.id, request.params.id)))
          throw notFound(`no mobile worker '${request.params.id}' in project '${project.id}'`);
        const body = parseInput(MobileWorkerBody, {
          language: text(request.body, 'language'),
          time_zone: text(request.body, 'time_zone'),
        });
        await upsertMobileWorker(deps, { ...body, project: project.id, id: request.params.id });
        return 'saved';
      }),
  );

  app.post<{ Params: { id: string }; Body: Form }>(
    '/contacts/mobile_worker/:id/numbers',
    async (request, reply) =>
      change(request, reply, 'mobile_worker', ['number', 'replacement'], async () => {
        const project = projectOf(request);
        const number = field(request.body, 'number');
        const replacement = text(request.body, 'replacement');
        const action = field(request.body, 'action');
        if (action === 'add') {
          const worker = await deps.store.workers.get(project.id, request.params.id);
          if (!worker) throw notFound(`no mobile worker '${request.params.id}' in project '${project.id}'`);
          if (replacement === null) throw new InputError('replacement', 'type the number to add');
          await upsertMobileWorker(deps, {
            project: project.id,
            id: worker.id,
            phone_numbers: [...worker.phoneNumbers, replacement],
          });
          return 'added';
        }
        if (action === 'change' && replacement === null)
          throw new InputError('replacement', 'type the new number');
        await changeWorkerNumber(
          deps,
          project.id,
          request.params.id,
          number,
          action === 'change' ? replacement : null,
        );
        return action === 'change' ? 'saved' : 'removed';
      }),
  );
};
