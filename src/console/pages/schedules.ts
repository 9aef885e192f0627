// Schedules: the project's alerts (with the progress of processing the existing cases after a
// create or edit) and broadcasts, switching an alert on or off (the API's `active`, through
// putAlert), and the preview of what one would send in the coming days (app/scheduling/preview.ts, as the
// API's preview routes).
import { putAlert } from '../../app/scheduling/alerts.ts';
import { previewSchedule } from '../../app/scheduling/preview.ts';
import { notFound } from '../../app/errors.ts';
import { ApiError } from '../../app/errors.ts';
import { DEFAULT_PREVIEW_DAYS, MAX_PREVIEW_DAYS } from '../../app/scheduling/preview.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, type Form } from '../forms.ts';
import { localTime, projectPath, render } from '../render.ts';
import { projectZone } from './messages.ts';
import { kindOf } from './schedule-edit.ts';

/** A line of the list saying what a definition sends. */
function contentSummary(definition: Record<string, unknown>): string {
  const content = (definition.content ?? {}) as {
    channel?: string;
    text?: string;
    translations?: Record<string, string>;
    survey?: string;
  };
  const channel = content.channel ?? 'sms';
  if (content.survey !== undefined) return `${channel}: survey ${content.survey}`;
  if (content.translations !== undefined)
    return `${channel}: ${Object.keys(content.translations).join(', ')} translations`;
  return `${channel}: ${content.text ?? ''}`;
}

function scheduleSummary(definition: Record<string, unknown>): string {
  const s = (definition.schedule ?? {}) as Record<string, unknown>;
  const parts = [String(s.type ?? '')];
  if (Array.isArray(s.days)) parts.push(s.days.join(', '));
  if (typeof s.time === 'string') parts.push(`at ${s.time}`);
  if (typeof s.occurrences === 'number') parts.push(`${s.occurrences} times`);
  return parts.join(' ');
}

export const schedulesPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: { saved?: string } }>('/schedules', async (request, reply) => {
    const project = projectOf(request);
    const zone = projectZone(project);
    const [alerts, broadcasts] = await Promise.all([
      deps.lists.alerts(project.id),
      deps.lists.broadcasts(project.id),
    ]);
    return render(deps.readModel, request, reply, 'schedules', {
      title: 'Schedules',
      nav: 'schedules',
      alerts,
      broadcasts,
      saved: request.query.saved ?? null,
      zone,
      base: projectPath(project.id, 'schedules'),
      href: (kind: string, id: string, action: string) =>
        `${projectPath(project.id, 'schedules', kind, id)}/${action}`,
      when: (ms: number | null) => (ms === null ? '(none)' : localTime(ms, zone)),
      contentSummary,
      scheduleSummary,
    });
  });

  app.post<{ Params: { id: string }; Body: Form }>('/schedules/alerts/:id/active', async (request, reply) => {
    const project = projectOf(request);
    const alert = await deps.store.alerts.get(project.id, request.params.id);
    if (!alert) throw notFound(`no alert '${request.params.id}' in project '${project.id}'`);
    const active = field(request.body, 'active') === 'true';
    await putAlert(deps, { ...alert.definition, active, project: project.id, id: alert.id });
    return reply.redirect(
      `${projectPath(project.id, 'schedules')}?saved=${encodeURIComponent(`alert:${alert.id}`)}`,
      303,
    );
  });

  app.get<{ Params: { kind: string; id: string }; Querystring: { days?: string } }>(
    '/schedules/:kind/:id/preview',
    async (request, reply) => {
      const project = projectOf(request);
      const kind = kindOf(request.params.kind);
      const id = request.params.id;
      const record =
        kind === 'alert'
          ? await deps.store.alerts.get(project.id, id)
          : await deps.store.broadcasts.get(project.id, id);
      if (!record) throw notFound(`no ${kind} '${id}' in project '${project.id}'`);
      // As the API: the preview looks alerts up first, so a broadcast sharing an alert's id cannot be shown.
      if (kind === 'broadcast' && (await deps.store.alerts.get(project.id, id))) {
        throw new ApiError(
          'conflict',
          `alert '${id}' has the same id as this broadcast; the preview cannot tell them apart`,
          'id',
        );
      }
      const asked = Number(request.query.days ?? DEFAULT_PREVIEW_DAYS);
      const days = Number.isInteger(asked)
        ? Math.min(Math.max(asked, 1), MAX_PREVIEW_DAYS)
        : DEFAULT_PREVIEW_DAYS;
      const lines = await previewSchedule(deps, project.id, id, days);
      return render(deps.readModel, request, reply, 'schedule-preview', {
        title: `Preview of ${kind} ${id}`,
        nav: 'schedules',
        kind,
        id,
        days,
        maxDays: MAX_PREVIEW_DAYS,
        lines,
        processing: kind === 'alert' && 'processing' in record ? record.processing : null,
        self: `${projectPath(project.id, 'schedules', `${kind}s`, id)}/preview`,
        edit: `${projectPath(project.id, 'schedules', `${kind}s`, id)}/edit`,
        back: projectPath(project.id, 'schedules'),
      });
    },
  );
};
