// Surveys (SPEC 5.1, 7): the list, /surveys/new and edit with the question builder, and delete
// (refused while a keyword, alert or broadcast starts it), through the API's schema (SurveyBody)
// and use cases.
import { putSurvey } from '../../app/surveys/surveys.ts';
import { deleteSurvey } from '../../app/surveys/removal.ts';
import { SurveyBody } from '../../domain/survey-shape.ts';
import type { SurveyDefinition } from '../../domain/survey.ts';
import { Id } from '../../lib/schema.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import type { ConsolePage } from '../deps.ts';
import {
  applySurveyOp,
  QUESTION_TYPES,
  SHOW_IF_OPS,
  surveyBody,
  surveyFocus,
  surveyFromPost,
  surveyInput,
  surveyState,
  type SurveyFormState,
} from '../builders/survey-form.ts';
import { textsOf } from '../builders/translations.ts';
import { objectPages } from './object-pages.ts';

/** The first question's text, in its first language. */
function firstQuestion(survey: SurveyDefinition): string {
  const first = survey.questions[0] as unknown as Record<string, unknown> | undefined;
  if (!first) return '';
  const text = first.text;
  const texts = typeof text === 'object' && text !== null ? textsOf({ translations: text }) : textsOf(first);
  return texts['*'] ?? Object.values(texts)[0] ?? '';
}

export const surveysPage: ConsolePage = objectPages<SurveyDefinition, SurveyFormState>({
  plural: 'surveys',
  noun: 'survey',
  listView: 'surveys',
  formView: 'survey-form',
  list: (deps, projectId, page) => deps.readModel.surveyPage(projectId, page),
  idOf: (s) => s.id,
  listData: { firstQuestion },
  load: (deps, projectId, id) => deps.store.surveys.get(projectId, id),
  blank: () => surveyState('', null),
  stateOf: (s) => surveyState(s.id, s as unknown as Record<string, unknown>),
  fromPost: surveyFromPost,
  idOfState: (s) => s.id,
  isNew: (s) => s.isNew,
  applyOp: applySurveyOp,
  focusAfter: surveyFocus,
  formData: async () => ({ types: QUESTION_TYPES, showIfOps: SHOW_IF_OPS }),
  async save(deps, projectId, s) {
    const id = parseInput(Id, s.id, 'id');
    if (s.isNew && (await deps.store.surveys.get(projectId, id)))
      throw new InputError('id', `there is already a survey '${id}': choose another id, or edit that one`);
    await putSurvey(deps, projectId, id, parseInput(SurveyBody, surveyBody(s)));
    return id;
  },
  inputFor: (path) => surveyInput(path),
  remove: (deps, projectId, id) => deleteSurvey(deps, projectId, id),
  consequence: 'Its open sessions are closed (their answers stay); it can no longer be started.',
  firstInput: 'id',
});
