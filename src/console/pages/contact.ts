// One contact: its numbers, registry state, opt-out, the "why" (the same words as `caseline
// why`), language, time zone, gateway and latest messages; actions: start a mobile worker's
// verification, close a case (the API's use cases, so the registry moves on in the same way).
import { upsertCase } from '../../app/contacts/cases.ts';
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
};

const kindOf = (kind: string): ContactKind => {
  if (kind === 'case' || kind === 'mobile_worker') return kind;
  throw notFound(`no kind of contact '${kind}'`);
};

type Form = Record<string, unknown> | undefined;

export const contactPage: ConsolePage = (app, deps) => {
  app.get<{ Params: { kind: string; id: string }; Querystring: { done?: string } }>(
    '/contacts/:kind/:id',
    async (request, reply) => {
      const project = projectOf(request);
      const kind = kindOf(request.params.kind);
      const details = await contactDetails(deps, project, kind, request.params.id);
      if (!details)
        throw notFound(
          `no ${kind === 'case' ? 'case' : 'mobile worker'} '${request.params.id}' in project '${project.id}'`,
        );
      const zone = details.status.time_zone;
      return render(deps.readModel, request, reply, 'contact', {
        title: `${kind === 'case' ? 'Case' : 'Mobile worker'} ${details.id}`,
        nav: 'contacts',
        c: details,
        done: DONE[request.query.done ?? ''] ?? null,
        self: projectPath(project.id, 'contacts', kind, details.id),
        back: projectPath(project.id, 'contacts'),
        messageHref: (id: number) => projectPath(project.id, 'messages', String(id)),
        caseHref: (id: string) => projectPath(project.id, 'contacts', 'case', id),
        resultsHref: (survey: string) => projectPath(project.id, 'survey-results', survey),
        when: (ms: number | null) => (ms === null ? '' : localTime(ms, zone)),
      });
    },
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
    const project = projectOf(request);
    const current = await deps.store.cases.get(project.id, request.params.id);
    if (!current) throw notFound(`no case '${request.params.id}' in project '${project.id}'`);
    // As the API's DELETE: an update at least as new as the applied one, so it is never ignored.
    const at = Math.max(deps.clock.now(), current.serverModifiedOn);
    await upsertCase(deps, {
      project: project.id,
      id: current.id,
      closed: true,
      server_modified_on: new Date(at).toISOString(),
    });
    return reply.redirect(`${projectPath(project.id, 'contacts', 'case', current.id)}?done=closed`, 303);
  });
};
