// SMS surveys (SPEC 5.1): one open session per contact; the labels and the next question go out
// as one SMS; each answer checked and the question repeated after its error; hidden questions
// skipped; sessions kept with their answers and status; answers saved to the case on completion
// (through the case upsert, so alerts react); expiry with an optional partial save; reminders.
import {
  answer,
  caseUpdates,
  currentQuestion,
  expiresAt,
  nextReminderAt,
  questionText,
  start,
  type AnswerErrorKey,
  type Question,
  type SurveyDefinition,
} from '../../domain/survey.ts';
import { applyCaseUpdate } from '../contacts/cases.ts';
import { loadContact } from '../contacts/contacts.ts';
import type { Deps } from '../ports/deps.ts';
import type { SessionRecord } from '../ports/inbound-repos.ts';
import type { ContactKind, ProjectRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { queueReply, type ReplyTarget } from '../sending/replies.ts';
import type { SurveyBody } from '../../domain/survey-shape.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { systemText } from '../projects/texts.ts';
import { runDueItem } from '../due-item.ts';

export async function putSurvey(
  deps: Deps,
  projectId: string,
  id: string,
  body: SurveyBody,
): Promise<SurveyDefinition> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const definition = { id, ...body } as SurveyDefinition;
    await tx.surveys.put(project.id, definition, now);
    return definition;
  });
}

export interface SurveyTarget extends ReplyTarget {
  projectId: string;
  contact: { kind: ContactKind; id: string };
  language: string | null;
}

/**
 * Sends the questions (labels and the question to answer) as one SMS, their texts joined by a
 * space, in the contact's language; after an invalid answer its error text goes first. A
 * question without a text in the language chain is left out; nothing left: nothing is sent.
 */
async function ask(
  tx: Repos,
  project: ProjectRecord,
  survey: SurveyDefinition,
  to: SurveyTarget,
  questions: readonly Question[],
  error: AnswerErrorKey | null,
  now: number,
): Promise<void> {
  const settings = effectiveSettings(project.settings);
  const chain = {
    contactLanguage: to.language,
    messageDefault: survey.default_language ?? null,
    projectDefault: settings.defaultLanguage,
    fallback: settings.languageFallback,
  };
  const texts = questions.map((question) => questionText(question, chain)).filter((t) => t !== null);
  if (texts.length === 0) return;
  if (error) texts.unshift(systemText(settings, error, to.language));
  // Questions sent in answer to an inbound text are replies; the first SMS of a survey started
  // by a broadcast or an alert, and reminders, queue like any SMS (restricted times apply).
  await queueReply(tx, to, texts.join(' '), now, to.inboundId === null ? 'message' : 'reply');
}

/** True when the survey has a question to answer (a survey of labels only completes at once). */
export function hasQuestions(survey: SurveyDefinition): boolean {
  return survey.questions.some((question) => question.type !== 'label');
}

/**
 * Starts a survey for a contact, closing any session it had open: sends the first SMS and keeps
 * the session (completed at once when nothing is left to answer). False: no such survey.
 */
export async function startSurvey(
  tx: Repos,
  project: ProjectRecord,
  surveyId: string,
  to: SurveyTarget,
  now: number,
): Promise<boolean> {
  const survey = await tx.surveys.get(project.id, surveyId);
  if (!survey) return false;
  const open = await tx.sessions.openFor(project.id, to.contact.kind, to.contact.id);
  if (open) await tx.sessions.end(open.id, 'closed', now);
  const started = start(survey);
  await ask(tx, project, survey, to, started.send, null, now);
  const closes = expiresAt(survey, now);
  await tx.sessions.insert(
    {
      projectId: project.id,
      surveyId,
      status: started.complete ? 'completed' : 'open',
      contact: to.contact,
      number: to.number,
      gatewayId: to.gatewayId,
      state: { ...started.state, remindersSent: 0, lastPromptAt: now },
      expiresAt: closes,
      nextReminderAt: started.complete ? null : nextReminderAt(survey, now, 0, closes),
    },
    now,
  );
  return true;
}

/** Takes an inbound text as the answer to the session's current question. */
export async function answerSurvey(
  tx: Repos,
  project: ProjectRecord,
  session: SessionRecord,
  to: SurveyTarget,
  text: string,
  now: number,
): Promise<'next' | 'invalid' | 'complete'> {
  const survey = await tx.surveys.get(project.id, session.surveyId);
  if (!survey) {
    await tx.sessions.end(session.id, 'closed', now);
    return 'complete';
  }
  const result = answer(survey, session.state, text);
  await ask(
    tx,
    project,
    survey,
    to,
    result.send,
    result.outcome === 'invalid' ? (result.error ?? null) : null,
    now,
  );
  const state = { ...result.state, remindersSent: 0, lastPromptAt: now };
  if (result.outcome === 'complete') {
    await tx.sessions.update(session.id, { state, nextReminderAt: null }, now);
    await tx.sessions.end(session.id, 'completed', now);
    await saveAnswers(tx, project, survey, session, result.state.answers, now);
  } else {
    // Any answer, accepted or not, asks again and starts the reminders afresh.
    await tx.sessions.update(
      session.id,
      { state, nextReminderAt: nextReminderAt(survey, now, 0, session.expiresAt) },
      now,
    );
  }
  return result.outcome;
}

/** `#CURRENT`: the question awaiting an answer, again, alone; the reminders are unchanged. */
export async function repeatCurrent(
  tx: Repos,
  project: ProjectRecord,
  session: SessionRecord,
  to: SurveyTarget,
  now: number,
): Promise<void> {
  const survey = await tx.surveys.get(project.id, session.surveyId);
  const question = survey ? currentQuestion(survey, session.state) : null;
  if (survey && question) await ask(tx, project, survey, to, [question], null, now);
}

/** Writes the answered questions' `save_to` properties to the case in one upsert at `at`. */
async function saveAnswers(
  tx: Repos,
  project: ProjectRecord,
  survey: SurveyDefinition,
  session: SessionRecord,
  answers: Record<string, string>,
  at: number,
): Promise<void> {
  const properties = caseUpdates(survey, answers);
  if (session.contact.kind !== 'case' || Object.keys(properties).length === 0) return;
  await applyCaseUpdate(
    tx,
    project,
    {
      project: project.id,
      id: session.contact.id,
      properties,
      server_modified_on: new Date(at).toISOString(),
    },
    at,
  );
}

/** Due work: sessions that expire (saving partial answers when the survey says so) or owe a reminder. */
export async function processDueSessions(deps: Deps, limit: number): Promise<number> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const due = await tx.sessions.due(now, limit);
    for (const session of due) {
      // Item by item: a session that cannot be expired or reminded is closed and logged once.
      await runDueItem(
        tx,
        deps.log,
        { kind: 'survey_session', id: session.id, projectId: session.projectId },
        () => dueSession(tx, session, now),
        () => tx.sessions.end(session.id, 'closed', now),
      );
    }
    return due.length;
  });
}

/** Expires a due session or sends its reminder. */
async function dueSession(tx: Repos, session: SessionRecord, now: number): Promise<void> {
  const project = await tx.projects.get(session.projectId);
  const survey = project ? await tx.surveys.get(project.id, session.surveyId) : null;
  if (!project || !survey || session.expiresAt <= now) {
    // Nothing is sent at expiry; a partial save writes what was answered, at the expiry instant.
    const at = Math.min(now, session.expiresAt);
    await tx.sessions.end(session.id, survey ? 'expired' : 'closed', at);
    if (project && survey?.partial_save)
      await saveAnswers(tx, project, survey, session, session.state.answers, at);
    return;
  }
  const question = currentQuestion(survey, session.state);
  const contact = await loadContact(tx, project, session.contact.kind, session.contact.id);
  const target: SurveyTarget = {
    projectId: project.id,
    contact: session.contact,
    number: session.number,
    gatewayId: session.gatewayId ?? '',
    inboundId: null,
    settings: effectiveSettings(project.settings),
    language: contact?.language ?? null,
  };
  if (question && session.gatewayId) await ask(tx, project, survey, target, [question], null, now);
  const sent = session.state.remindersSent + 1;
  // Reminder intervals count on from the question's last prompt, not from each reminder.
  await tx.sessions.update(
    session.id,
    {
      state: { ...session.state, remindersSent: sent },
      nextReminderAt: nextReminderAt(survey, session.state.lastPromptAt, sent, session.expiresAt),
    },
    now,
  );
}
