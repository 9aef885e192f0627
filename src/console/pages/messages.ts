// Messages: the project's history with filters (a GET form, so a filtered view is a link to
// share; htmx swaps only the table), pages by cursor, and one message with its attempts and its
// event's recipients. The export and the compose form live beside it (message-export.ts,
// compose.ts) and read the same filters.
import { DateTime } from 'luxon';
import type { HistoryFilter, MessageRow } from '../../app/ports/read-model.ts';
import { cancelMessage } from '../../app/sending/changes.ts';
import { attemptFor } from '../../app/access/trace-view.ts';
import { describeError, isErrorCode } from '../../domain/errors.ts';
import { WAIT_REASONS } from '../read-models/dashboard.ts';
import type { ProjectRecord } from '../../app/ports/records.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import { InputError } from '../../lib/input.ts';
import { phoneKey } from '../../domain/phone.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { formProblem, problemOn, type FormProblem } from '../forms.ts';
import { fragment, localTime, projectPath, render } from '../render.ts';

/** Messages per page of the history. */
export const HISTORY_PAGE = 50;

export const STATUSES = ['queued', 'sent', 'delivered', 'received', 'error', 'cancelled'] as const;

/** The history's query string as typed in its form. */
export interface HistoryQuery {
  status?: string;
  direction?: string;
  channel?: string;
  error_code?: string;
  contact_kind?: string;
  contact_id?: string;
  number?: string;
  /** YYYY-MM-DD, project-local, inclusive. */
  from?: string;
  to?: string;
  before?: string;
}

const FILTER_KEYS = [
  'status',
  'direction',
  'channel',
  'error_code',
  'contact_kind',
  'contact_id',
  'number',
  'from',
  'to',
] as const;

/** The project's zone for showing times and reading dates. */
export const projectZone = (project: ProjectRecord): string =>
  effectiveSettings(project.settings).timeZone ?? 'UTC';

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T | undefined {
  if (value === '') return undefined;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(name, `must be one of ${allowed.join(', ')}`);
}

/** Local midnight of a YYYY-MM-DD in the zone, days later. */
function localDay(name: string, value: string, zone: string, days: number): number | undefined {
  if (value === '') return undefined;
  const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : null;
  if (!day?.isValid) throw new InputError(name, 'must be a date YYYY-MM-DD');
  return day.plus({ days }).toMillis();
}

/** The filters of a history query; a value that cannot be one is an InputError naming it. */
export function historyFilter(project: ProjectRecord, query: HistoryQuery): HistoryFilter {
  const text = (name: (typeof FILTER_KEYS)[number]) => (query[name] ?? '').trim();
  const zone = projectZone(project);
  const filter: HistoryFilter = {
    status: oneOf('status', text('status'), STATUSES),
    direction: oneOf('direction', text('direction'), ['in', 'out'] as const),
    channel: oneOf('channel', text('channel'), ['sms', 'email'] as const),
    errorCode: text('error_code') || undefined,
    from: localDay('from', text('from'), zone, 0),
    to: localDay('to', text('to'), zone, 1),
  };
  const kind = oneOf('contact_kind', text('contact_kind'), ['case', 'mobile_worker'] as const);
  if (text('contact_id') !== '') filter.contact = { kind: kind ?? 'case', id: text('contact_id') };
  if (text('number') !== '') {
    filter.number = phoneKey(text('number'), effectiveSettings(project.settings).defaultCountry);
  }
  return filter;
}

/** The filters as a query string (without the cursor), for links that keep them. */
export function filterQuery(query: HistoryQuery, extra: Record<string, string> = {}): string {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if ((query[key] ?? '') !== '') params.set(key, query[key] ?? '');
  for (const [key, value] of Object.entries(extra)) params.set(key, value);
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** Why a message is where it is, in words: its error, what it waits for, or what happened. */
export function whyOf(m: MessageRow, now: number): string {
  if (m.errorCode) {
    const detail = m.errorText ?? null;
    return isErrorCode(m.errorCode)
      ? describeError(m.errorCode, detail)
      : `${m.errorCode}${detail ? `: ${detail}` : ''}`;
  }
  if (m.status === 'cancelled') return 'Cancelled before it was handed to a gateway: it will not be sent.';
  if (m.status === 'queued') {
    const reason =
      m.waitReason ?? (m.dueAt !== null && m.dueAt > now ? 'scheduled' : m.attempts > 0 ? 'retry' : 'due');
    return `Queued — ${WAIT_REASONS[reason] ?? reason}.`;
  }
  if (m.status === 'sent') return 'Handed to the gateway, which accepted it; no delivery report (yet).';
  if (m.status === 'delivered') return 'The gateway reported it delivered to the phone.';
  if (m.status === 'received')
    return m.outcome ? `Received; handled as: ${m.outcome.replace(/_/g, ' ')}.` : 'Received.';
  return '';
}

export const messagesPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: HistoryQuery }>('/messages', async (request, reply) => {
    const project = projectOf(request);
    const query = request.query;
    let filter: HistoryFilter | null = null;
    let problem: FormProblem | null = null;
    try {
      filter = historyFilter(project, query);
    } catch (error) {
      problem = formProblem(error, (path) => `f-${path}`);
      if (!problem) throw error;
    }
    const before = query.before ?? null;
    const page = filter
      ? await deps.lists.messages(project.id, filter, { before, limit: HISTORY_PAGE })
      : { items: [], nextCursor: null };
    const base = projectPath(project.id, 'messages');
    const zone = projectZone(project);
    const data = {
      q: Object.fromEntries(FILTER_KEYS.map((key) => [key, query[key] ?? ''])),
      statuses: STATUSES,
      problem,
      err: problemOn(problem),
      messages: page.items,
      base,
      zone,
      paged: before !== null,
      first: `${base}${filterQuery(query)}`,
      older: page.nextCursor === null ? null : `${base}${filterQuery(query, { before: page.nextCursor })}`,
      csv: `${base}/export.csv${filterQuery(query)}`,
      xlsx: `${base}/export.xlsx${filterQuery(query)}`,
      when: (ms: number | null) => (ms === null ? '' : localTime(ms, zone)),
      contactHref: (kind: string, id: string) => projectPath(project.id, 'contacts', kind, id),
    };
    const status = problem ? 400 : 200;
    // htmx swaps only the table; a wrong filter needs the whole form to show where.
    if (request.headers['hx-request'] === 'true' && request.headers['hx-target'] === 'history' && !problem)
      return fragment(reply, 'message-rows', data);
    return render(
      deps.readModel,
      request,
      reply,
      'messages',
      { title: 'Messages', nav: 'messages', ...data },
      status,
    );
  });

  app.post<{ Params: { id: string } }>('/messages/:id/cancel', async (request, reply) => {
    const project = projectOf(request);
    const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : null;
    if (id === null) throw notFound(`no message ${request.params.id} in project '${project.id}'`);
    try {
      await cancelMessage(deps, project.id, id);
    } catch (error) {
      // Too late (sent, or being sent right now): the message's page says so and shows its state.
      if (error instanceof ApiError && error.status === 409)
        return reply.redirect(`${projectPath(project.id, 'messages', String(id))}?late=1`, 303);
      throw error;
    }
    return reply.redirect(`${projectPath(project.id, 'messages', String(id))}?cancelled=1`, 303);
  });

  app.get<{ Params: { id: string }; Querystring: { sent?: string; cancelled?: string; late?: string } }>(
    '/messages/:id',
    async (request, reply) => {
      const project = projectOf(request);
      const id = /^\d{1,15}$/.test(request.params.id) ? Number(request.params.id) : null;
      const message = id === null ? null : await deps.readModel.message(project.id, id);
      if (!message) throw notFound(`no message ${request.params.id} in project '${project.id}'`);
      const event = message.eventId === null ? null : await deps.readModel.event(project.id, message.eventId);
      const [attempts, recipients] = await Promise.all([
        deps.readModel.attempts(message.id),
        event ? deps.readModel.subEvents(event.id) : [],
      ]);
      const zone = projectZone(project);
      return render(deps.readModel, request, reply, 'message', {
        title: `Message ${message.id}`,
        nav: 'messages',
        m: message,
        attempts: attempts.map((a) => attemptFor(request.operator?.principal ?? null, a)),
        event,
        recipients,
        sent: request.query.sent === '1',
        cancelled: request.query.cancelled === '1',
        late: request.query.late === '1',
        why: whyOf(message, deps.clock.now()),
        cancellable: message.direction === 'out' && message.status === 'queued',
        cancel: `${projectPath(project.id, 'messages', String(message.id))}/cancel`,
        zone,
        back: projectPath(project.id, 'messages'),
        when: (ms: number | null) => (ms === null ? '' : localTime(ms, zone)),
        contactHref: (kind: string, id: string) => projectPath(project.id, 'contacts', kind, id),
      });
    },
  );
};
