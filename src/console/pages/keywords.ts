// Keywords (SPEC 5 step 4, 7): the list, /keywords/new, edit and delete, through the API's
// schema (KeywordBody) and use cases (putKeyword, deleteKeyword).
import { deleteKeyword, putKeyword } from '../../app/inbound/keywords.ts';
import type { KeywordRecord } from '../../app/ports/inbound-repos.ts';
import { KeywordBody } from '../../domain/definitions.ts';
import { InputError, parseInput } from '../../lib/input.ts';
import type { ConsolePage } from '../deps.ts';
import {
  applyKeywordOp,
  FIELD_TYPES,
  KEYWORD_ACTIONS,
  keywordBody,
  keywordFromPost,
  keywordInput,
  keywordState,
  type KeywordFormState,
} from '../builders/keyword-form.ts';
import { textsOf } from '../builders/translations.ts';
import { objectPages } from './object-pages.ts';

/** Texts in one line: `Hello` or `en: Hello; sw: Habari`. */
function texts(value: unknown): string {
  if (typeof value !== 'object' || value === null) return '';
  const all = textsOf(value as { text?: unknown; translations?: unknown });
  const langs = Object.keys(all);
  if (langs.length === 1 && langs[0] === '*') return all['*'] ?? '';
  return langs.map((lang) => `${lang}: ${all[lang] ?? ''}`).join('; ');
}

export const keywordsPage: ConsolePage = objectPages<KeywordRecord, KeywordFormState>({
  plural: 'keywords',
  noun: 'keyword',
  listView: 'keywords',
  formView: 'keyword-form',
  list: (deps, projectId, page) => deps.readModel.keywordPage(projectId, page),
  idOf: (k) => k.keyword,
  listData: {
    texts,
    actionLabel: (action: string) => KEYWORD_ACTIONS.find((a) => a.value === action)?.label ?? action,
  },
  load: (deps, projectId, id) => deps.store.keywords.get(projectId, id),
  blank: () => keywordState('', null),
  stateOf: (k) => keywordState(k.keyword, k.definition as unknown as Record<string, unknown>),
  fromPost: keywordFromPost,
  idOfState: (s) => s.keyword,
  isNew: (s) => s.isNew,
  applyOp: applyKeywordOp,
  focusAfter: (s, op) =>
    op === 'add-field'
      ? `fields[${s.fields.length - 1}].property`
      : op.startsWith('remove-field')
        ? 'add-field'
        : null,
  formData: async (deps, project) => ({
    actions: KEYWORD_ACTIONS,
    fieldTypes: FIELD_TYPES,
    surveys: (await deps.readModel.surveyPage(project.id, { limit: 500 })).items.map((s) => s.id),
  }),
  async save(deps, projectId, s) {
    if (s.isNew && s.keyword !== '' && (await deps.store.keywords.get(projectId, s.keyword)))
      throw new InputError('keyword', `there is already a keyword '${s.keyword}' (any case): edit that one`);
    const record = await putKeyword(deps, projectId, s.keyword, parseInput(KeywordBody, keywordBody(s)));
    return record.keyword;
  },
  inputFor: keywordInput,
  remove: (deps, projectId, id) => deleteKeyword(deps, projectId, id),
  consequence: 'Texts starting with it get no answer from it any more.',
  firstInput: 'keyword',
});
