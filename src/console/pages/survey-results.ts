// Survey results (SPEC 5.1, 7): every survey with its sessions; one survey's sessions as a
// table (status, contact, each answer), a chart per question (Chart.js, from the JSON the page
// embeds; the same numbers as tables) and its CSV/XLSX export. Read through app/surveys/results.
import {
  listSessions,
  requireSurvey,
  resultColumns,
  resultRows,
  summarizeSurvey,
} from '../../app/surveys/results.ts';
import { translationsOf } from '../../domain/survey.ts';
import { sendTable } from '../../lib/table-export.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { jsonForScript, localTime, projectPath, render } from '../render.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';

/** Sessions per page of the table. */
const PAGE = 100;

export const surveyResultsPage: ConsolePage = (app, deps) => {
  app.get('/survey-results', async (request, reply) => {
    const project = projectOf(request);
    const surveys = (await deps.readModel.surveyPage(project.id, { limit: 500 })).items;
    return render(deps.readModel, request, reply, 'survey-results', {
      title: 'Survey results',
      nav: 'results',
      survey: null,
      surveys: surveys.map((s) => ({ id: s.id, href: projectPath(project.id, 'survey-results', s.id) })),
    });
  });

  app.get<{ Params: { id: string }; Querystring: { cursor?: string } }>(
    '/survey-results/:id',
    async (request, reply) => {
      const project = projectOf(request);
      const survey = await requireSurvey(deps.store, project.id, request.params.id);
      const [summary, page] = await Promise.all([
        summarizeSurvey(deps.store, project.id, survey),
        listSessions(deps.store, {
          projectId: project.id,
          surveyId: survey.id,
          cursor: request.query.cursor,
          limit: PAGE,
        }),
      ]);
      const self = projectPath(project.id, 'survey-results', survey.id);
      const questions = survey.questions.filter((q) => q.type !== 'label');
      return render(deps.readModel, request, reply, 'survey-results', {
        title: `Results of ${survey.id}`,
        nav: 'results',
        survey: {
          id: survey.id,
          questions: questions.map((q) => ({ id: q.id, text: translationsOf(q)['*'] ?? q.id })),
        },
        summary,
        sessions: page.sessions,
        next: page.next_cursor === null ? null : `${self}?cursor=${encodeURIComponent(page.next_cursor)}`,
        csv: `${self}/export.csv`,
        xlsx: `${self}/export.xlsx`,
        back: projectPath(project.id, 'survey-results'),
        contactHref: (kind: string, id: string) => projectPath(project.id, 'contacts', kind, id),
        // Instants in the project's zone, as the other console pages show them.
        when: (instant: string | null) =>
          instant === null
            ? ''
            : localTime(Date.parse(instant), effectiveSettings(project.settings).timeZone ?? 'UTC'),
        chartJson: jsonForScript(
          summary.questions.map((q) => ({
            id: q.id,
            text: q.text,
            labels: q.counts.map((c) => c.label),
            counts: q.counts.map((c) => c.count),
          })),
        ),
      });
    },
  );

  for (const format of ['csv', 'xlsx'] as const)
    app.get<{ Params: { id: string } }>(`/survey-results/:id/export.${format}`, async (request, reply) => {
      const project = projectOf(request);
      const survey = await requireSurvey(deps.store, project.id, request.params.id);
      return sendTable(reply, request.log, {
        format,
        name: `survey-${project.id}-${survey.id}`,
        sheet: 'results',
        columns: resultColumns(survey),
        pages: resultRows(deps.store, project.id, survey),
      });
    });
};
