// A survey's results (SPEC 5.1 "Sessions", 7): every session with its status and answers, for
// the API (per survey, per contact), the CSV/XLSX export and the console's table and charts.
import { translationsOf, type SurveyDefinition } from '../../domain/survey.ts';
import type { Cell } from '../../lib/table-export.ts';
import { InputError } from '../../lib/input.ts';
import { notFound } from '../errors.ts';
import type { SessionQuery, SessionRecord, SessionStatus } from '../ports/inbound-repos.ts';
import type { ContactKind } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';

export interface SessionView {
  id: number;
  survey: string;
  contact: { kind: ContactKind; id: string };
  status: SessionStatus;
  started_at: string;
  ended_at: string | null;
  /** Question id → stored value; skipped and hidden questions have none. */
  answers: Record<string, string>;
}

export const sessionView = (session: SessionRecord): SessionView => ({
  id: session.id,
  survey: session.surveyId,
  contact: session.contact,
  status: session.status,
  started_at: new Date(session.startedAt).toISOString(),
  ended_at: session.endedAt === null ? null : new Date(session.endedAt).toISOString(),
  answers: session.state.answers,
});

export async function requireSurvey(store: Repos, projectId: string, id: string): Promise<SurveyDefinition> {
  const survey = await store.surveys.get(projectId, id);
  if (!survey) throw notFound(`no survey '${id}' in project '${projectId}'`);
  return survey;
}

/** A page of sessions in start order; the cursor is the last session's id. */
export async function listSessions(
  store: Repos,
  query: Omit<SessionQuery, 'after'> & { cursor?: string },
): Promise<{ sessions: SessionView[]; next_cursor: string | null }> {
  let after: number | undefined;
  if (query.cursor !== undefined) {
    if (!/^\d{1,15}$/.test(query.cursor)) throw new InputError('cursor', "is not a page's next_cursor");
    after = Number(query.cursor);
  }
  const rows = await store.sessions.list({ ...query, after, limit: query.limit + 1 });
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    sessions: page.map(sessionView),
    next_cursor: rows.length > query.limit && last ? String(last.id) : null,
  };
}

/** Sessions read per query while exporting or summarising. */
const PAGE = 1000;

/** Every session of a survey, a page at a time, in start order. */
export async function* allSessions(
  store: Repos,
  projectId: string,
  surveyId: string,
): AsyncGenerator<SessionRecord[]> {
  let after: number | undefined;
  for (;;) {
    const page = await store.sessions.list({ projectId, surveyId, after, limit: PAGE });
    if (page.length > 0) yield page;
    const last = page.at(-1);
    if (page.length < PAGE || !last) return;
    after = last.id;
  }
}

/** The export's columns: the session's own, then one per question that is answered (not labels). */
export function resultColumns(survey: SurveyDefinition): string[] {
  return [
    'session',
    'contact_kind',
    'contact_id',
    'status',
    'started_at',
    'ended_at',
    ...survey.questions.filter((q) => q.type !== 'label').map((q) => q.id),
  ];
}

export function resultRow(survey: SurveyDefinition, session: SessionRecord): Cell[] {
  const view = sessionView(session);
  return [
    view.id,
    view.contact.kind,
    view.contact.id,
    view.status,
    view.started_at,
    view.ended_at,
    ...survey.questions.filter((q) => q.type !== 'label').map((q) => view.answers[q.id] ?? null),
  ];
}

/** The export's rows, a page at a time. */
export async function* resultRows(
  store: Repos,
  projectId: string,
  survey: SurveyDefinition,
): AsyncGenerator<Cell[][]> {
  for await (const page of allSessions(store, projectId, survey.id))
    yield page.map((session) => resultRow(survey, session));
}

export interface QuestionSummary {
  id: string;
  type: string;
  /** The question's untranslated text, else its first. */
  text: string;
  /** Sessions that stored an answer to it. */
  answered: number;
  /** Value → sessions: each choice (in the survey's order, labelled by its text) for single and
   * multiple choice, else each distinct value (the 20 most frequent). */
  counts: { value: string; label: string; count: number }[];
}

export interface SurveySummary {
  sessions: number;
  statuses: Record<SessionStatus, number>;
  questions: QuestionSummary[];
}

const firstText = (item: Parameters<typeof translationsOf>[0], fallback: string): string => {
  const texts = translationsOf(item);
  return texts['*'] ?? Object.values(texts)[0] ?? fallback;
};

/** Counts over every session of the survey, for the console's per-question charts. */
export async function summarizeSurvey(
  store: Repos,
  projectId: string,
  survey: SurveyDefinition,
): Promise<SurveySummary> {
  const questions = survey.questions.filter((q) => q.type !== 'label');
  const tallies = new Map(questions.map((q) => [q.id, new Map<string, number>()]));
  const answered = new Map(questions.map((q) => [q.id, 0]));
  const statuses: Record<SessionStatus, number> = { open: 0, completed: 0, expired: 0, closed: 0 };
  let sessions = 0;
  for await (const page of allSessions(store, projectId, survey.id)) {
    for (const session of page) {
      sessions += 1;
      statuses[session.status] += 1;
      for (const question of questions) {
        const value = session.state.answers[question.id];
        if (value === undefined) continue;
        answered.set(question.id, (answered.get(question.id) ?? 0) + 1);
        const tally = tallies.get(question.id);
        const values = question.type === 'multiple' ? value.split(' ') : [value];
        for (const one of values) tally?.set(one, (tally.get(one) ?? 0) + 1);
      }
    }
  }
  return {
    sessions,
    statuses,
    questions: questions.map((question) => {
      const tally = tallies.get(question.id) ?? new Map<string, number>();
      const counts = question.choices
        ? question.choices.map((choice) => ({
            value: choice.value,
            label: firstText(choice, choice.value),
            count: tally.get(choice.value) ?? 0,
          }))
        : [...tally]
            .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
            .slice(0, 20)
            .map(([value, count]) => ({ value, label: value, count }));
      return {
        id: question.id,
        type: question.type,
        text: firstText(question, question.id),
        answered: answered.get(question.id) ?? 0,
        counts,
      };
    }),
  };
}
