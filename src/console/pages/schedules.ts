// Alerts and broadcasts (issue 15): each a list with its state, next firing and actions (edit,
// preview, stop or activate, delete after a confirmation), a creation page at /<plural>/new and
// an edit page, all through one form (views/schedule-form.eta: the criteria builder, recipients,
// the schedule builder, a text per language). Saved through the API's schemas and use cases, so
// the same input is refused with the same words, next to its input, and nothing is saved.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { putAlert } from '../../app/scheduling/alerts.ts';
import { saveBroadcast, setAlertActive, setBroadcastActive } from '../../app/scheduling/activation.ts';
import { DEFAULT_PREVIEW_DAYS, MAX_PREVIEW_DAYS, previewSchedule } from '../../app/scheduling/preview.ts';
import { deleteSchedule } from '../../app/scheduling/removal.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import type { AlertRecord, BroadcastRecord } from '../../app/ports/schedule-repos.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import { AlertBody, BroadcastBody } from '../../domain/definitions.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import { Id } from '../../lib/schema.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import { localTime, projectPath, render } from '../render.ts';
import {
  ALERT_RECIPIENTS,
  applyOp,
  bodyOf,
  focusAfter,
  formFromPost,
  formState,
  inputFor,
  OP_LABELS,
  OPS,
  RECIPIENT_KINDS,
  type ScheduleFormState,
  type ScheduleKind,
} from '../builders/schedule-forms.ts';
import { MONTH_DAYS, monthDayLabel, SCHEDULE_TYPES, WEEKDAY_LABELS, WEEKDAYS } from '../builders/schedule.ts';
import { projectLanguages, translationsView } from '../builders/translations.ts';
import { contentSummary, scheduleSummary } from './schedule-summary.ts';
import { projectZone } from './messages.ts';
import { confirmThenDelete } from './removal.ts';

const PLURAL: Record<ScheduleKind, 'alerts' | 'broadcasts'> = { alert: 'alerts', broadcast: 'broadcasts' };
const NOUN: Record<ScheduleKind, string> = { alert: 'an alert', broadcast: 'a broadcast' };
/** Rows of a list page. */
const LIST_PAGE = 100;

type Source = AlertRecord | BroadcastRecord;

async function load(deps: ConsoleDeps, kind: ScheduleKind, projectId: string, id: string): Promise<Source> {
  const record =
    kind === 'alert'
      ? await deps.store.alerts.get(projectId, id)
      : await deps.store.broadcasts.get(projectId, id);
  if (!record) throw notFound(`no ${kind} '${id}' in project '${projectId}'`);
  return record;
}

async function showForm(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  d: ScheduleFormState,
  problem: FormProblem | null,
  focus: string | null,
  status = 200,
) {
  const project = projectOf(request);
  const languages = projectLanguages(effectiveSettings(project.settings));
  const surveys = (await deps.readModel.surveyPage(project.id, { limit: 500 })).items.map((s) => s.id);
  return render(
    deps.readModel,
    request,
    reply,
    'schedule-form',
    {
      title: d.isNew ? `New ${d.kind}` : `Edit ${d.kind} ${d.id}`,
      nav: PLURAL[d.kind],
      d,
      problem,
      err: problemOn(problem),
      focus: focus ?? problem?.input ?? null,
      ops: OPS,
      opLabels: OP_LABELS,
      recipientKinds: RECIPIENT_KINDS,
      alertRecipients: ALERT_RECIPIENTS,
      types: SCHEDULE_TYPES,
      weekdays: WEEKDAYS,
      weekdayLabels: WEEKDAY_LABELS,
      monthDays: MONTH_DAYS,
      monthDayLabel,
      surveys,
      translations: (prefix: string, texts: Record<string, string>) =>
        translationsView(prefix, languages, texts),
      action: projectPath(project.id, PLURAL[d.kind]),
      back: projectPath(project.id, PLURAL[d.kind]),
    },
    status,
  );
}

/** Saves the form's state through the API's schema and use case; the saved id. */
async function save(
  deps: ConsoleDeps,
  projectId: string,
  d: ScheduleFormState,
  built: ReturnType<typeof bodyOf>,
) {
  const id = parseInput(Id, d.id, 'id');
  if (d.isNew && (await deps.store[PLURAL[d.kind]].get(projectId, id)))
    throw new InputError(
      'id',
      `there is already ${NOUN[d.kind]} '${id}': choose another id, or edit that one`,
    );
  if (d.kind === 'alert')
    await putAlert(deps, { ...parseInput(AlertBody, built.body), project: projectId, id });
  else await saveBroadcast(deps, { ...parseInput(BroadcastBody, built.body), project: projectId, id });
  return id;
}

function listPage(kind: ScheduleKind) {
  return async (
    deps: ConsoleDeps,
    request: FastifyRequest<{ Querystring: { done?: string; cursor?: string } }>,
    reply: FastifyReply,
  ) => {
    const project = projectOf(request);
    const zone = projectZone(project);
    const page = { cursor: request.query.cursor || undefined, limit: LIST_PAGE };
    const found =
      kind === 'alert'
        ? await deps.readModel.alertPage(project.id, page)
        : await deps.readModel.broadcastPage(project.id, page);
    const summaries = await deps.readModel.instanceSummaries(
      kind,
      project.id,
      found.items.map((item) => item.id),
    );
    const base = projectPath(project.id, PLURAL[kind]);
    return render(deps.readModel, request, reply, 'schedule-list', {
      title: kind === 'alert' ? 'Alerts' : 'Broadcasts',
      nav: PLURAL[kind],
      kind,
      items: found.items.map((item) => ({
        id: item.id,
        active: item.active,
        definition: item.definition as unknown as Record<string, unknown>,
        processing: 'processing' in item ? item.processing : null,
        instances: summaries.get(item.id)?.count ?? 0,
        nextDueAt: summaries.get(item.id)?.nextDueAt ?? null,
      })),
      more: found.nextCursor === null ? null : `${base}?cursor=${encodeURIComponent(found.nextCursor)}`,
      done: request.query.done ?? null,
      zone,
      base,
      href: (id: string, action: string) => `${projectPath(project.id, PLURAL[kind], id)}/${action}`,
      when: (ms: number | null) => (ms === null ? 'none' : localTime(ms, zone)),
      contentSummary,
      scheduleSummary,
    });
  };
}

export const schedulesPage: ConsolePage = (app, deps) => {
  // The old address of both lists.
  app.get('/schedules', async (request, reply) =>
    reply.redirect(projectPath(projectOf(request).id, 'alerts'), 303),
  );

  for (const kind of ['alert', 'broadcast'] as const) {
    const plural = PLURAL[kind];
    const list = listPage(kind);
    const back = (request: FastifyRequest, done: string) =>
      `${projectPath(projectOf(request).id, plural)}?done=${encodeURIComponent(done)}`;

    app.get<{ Querystring: { done?: string; cursor?: string } }>(`/${plural}`, (request, reply) =>
      list(deps, request, reply),
    );

    app.get(`/${plural}/new`, async (request, reply) =>
      showForm(deps, request, reply, formState(kind, '', null), null, 'id'),
    );

    app.get<{ Params: { id: string } }>(`/${plural}/:id/edit`, async (request, reply) => {
      const record = await load(deps, kind, projectOf(request).id, request.params.id);
      const d = formState(
        kind,
        record.id,
        record.definition as unknown as Record<string, unknown>,
        record.active,
      );
      return showForm(deps, request, reply, d, null, null);
    });

    app.post<{ Body: Form }>(`/${plural}`, async (request, reply) => {
      const project = projectOf(request);
      const op = field(request.body, 'op') || 'save';
      const posted = formFromPost(kind, request.body);
      if (op !== 'save') {
        const d = applyOp(posted, op);
        return showForm(deps, request, reply, d, null, focusAfter(d, op));
      }
      const built = bodyOf(posted);
      try {
        const id = await save(deps, project.id, posted, built);
        return reply.redirect(back(request, `Saved ${kind} ${id}.`), 303);
      } catch (error) {
        const problem = formProblem(error, inputFor(posted, built.criteriaRows, built.recipientRows));
        if (!problem) throw error;
        return showForm(
          deps,
          request,
          reply,
          posted,
          problem,
          null,
          error instanceof ApiError ? error.status : 400,
        );
      }
    });

    app.post<{ Params: { id: string }; Body: Form }>(`/${plural}/:id/active`, async (request, reply) => {
      const project = projectOf(request);
      const record = await load(deps, kind, project.id, request.params.id);
      const active = field(request.body, 'active') === 'true';
      if (kind === 'alert') await setAlertActive(deps, project.id, record.id, active);
      else await setBroadcastActive(deps, project.id, record.id, active);
      return reply.redirect(back(request, `${active ? 'Activated' : 'Stopped'} ${kind} ${record.id}.`), 303);
    });

    app.post<{ Params: { id: string }; Body: Form }>(`/${plural}/:id/delete`, async (request, reply) => {
      const project = projectOf(request);
      const record = await load(deps, kind, project.id, request.params.id);
      const removal = {
        what: `${kind} ${record.id}`,
        consequence: `It stops at once for every ${kind === 'alert' ? 'case' : 'recipient'}; the messages it sent stay in the log.`,
        nav: plural,
        action: `${projectPath(project.id, plural, record.id)}/delete`,
        back: projectPath(project.id, plural),
      };
      return confirmThenDelete(deps, request, reply, removal, () =>
        deleteSchedule(deps, kind, project.id, record.id),
      );
    });

    app.get<{ Params: { id: string }; Querystring: { days?: string } }>(
      `/${plural}/:id/preview`,
      async (request, reply) => {
        const project = projectOf(request);
        const record = await load(deps, kind, project.id, request.params.id);
        // As the API: the preview looks alerts up first, so a broadcast sharing an alert's id cannot be shown.
        if (kind === 'broadcast' && (await deps.store.alerts.get(project.id, record.id)))
          throw new ApiError(
            'conflict',
            `alert '${record.id}' has the same id as this broadcast; the preview cannot tell them apart`,
            'id',
          );
        const asked = Number(request.query.days ?? DEFAULT_PREVIEW_DAYS);
        const days = Number.isInteger(asked)
          ? Math.min(Math.max(asked, 1), MAX_PREVIEW_DAYS)
          : DEFAULT_PREVIEW_DAYS;
        const item = projectPath(project.id, plural, record.id);
        return render(deps.readModel, request, reply, 'schedule-preview', {
          title: `Preview of ${kind} ${record.id}`,
          nav: plural,
          kind,
          id: record.id,
          days,
          maxDays: MAX_PREVIEW_DAYS,
          lines: await previewSchedule(deps, project.id, record.id, days),
          processing: 'processing' in record ? record.processing : null,
          active: record.active,
          self: `${item}/preview`,
          edit: `${item}/edit`,
          back: projectPath(project.id, plural),
        });
      },
    );
  }
};
