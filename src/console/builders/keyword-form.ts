// The keyword form (SPEC 5 step 4, 5.2): the word, what it does (reply; start a survey; notify
// the case's owner; fill the sender's case from a structured SMS), the reply and the owner's
// text per language, who may use it, and a structured keyword's fields in rows (property, type,
// required) with its delimiter.
import { KeywordAction } from '../../domain/definitions.ts';
import { field, type Form } from '../forms.ts';
import { inputId, readTranslations, textOrTranslations, textsOf } from './translations.ts';

type Json = Record<string, unknown>;

const ACTION_LABELS: Record<string, string> = {
  reply: 'reply to the sender',
  survey: 'start a survey',
  notify_owner: "notify the case's owner",
  structured: "fill the sender's case from the message",
};
/** The actions the schema takes, in its order. */
export const KEYWORD_ACTIONS = (KeywordAction.enum as readonly string[]).map((value) => ({
  value,
  label: ACTION_LABELS[value] ?? value,
}));
export const FIELD_TYPES = ['text', 'int', 'decimal', 'date', 'time'] as const;

export interface KeywordFormState {
  keyword: string;
  isNew: boolean;
  action: string;
  reply: Record<string, string>;
  survey: string;
  notify: Record<string, string>;
  allow: string;
  override: boolean;
  fields: { property: string; type: string; required: boolean }[];
  delimiter: string;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export function keywordState(keyword: string, definition: Json | null): KeywordFormState {
  const d = definition ?? {};
  const notify = d.notify_text;
  return {
    keyword,
    isNew: definition === null,
    action: str(d.action) || 'reply',
    reply: isObject(d.reply) ? textsOf(d.reply) : {},
    survey: str(d.survey),
    notify:
      typeof notify === 'string'
        ? { '*': notify }
        : isObject(notify)
          ? textsOf({ translations: notify })
          : {},
    allow: str(d.allow) || 'all',
    override: d.override_open_survey === true,
    fields: Array.isArray(d.fields)
      ? d.fields.filter(isObject).map((f) => ({
          property: str(f.property),
          type: str(f.type) || 'text',
          required: f.required !== false,
        }))
      : [],
    delimiter: str(d.delimiter),
  };
}

export function keywordFromPost(body: Form): KeywordFormState {
  const rows = Math.min(Number(field(body, 'field_rows')) || 0, 100);
  return {
    keyword: field(body, 'keyword').trim(),
    isNew: field(body, 'is_new') === '1',
    action: field(body, 'action') || 'reply',
    reply: readTranslations(body, 'reply'),
    survey: field(body, 'survey'),
    notify: readTranslations(body, 'notify_text'),
    allow: field(body, 'allow') || 'all',
    override: field(body, 'override_open_survey') !== '',
    fields: Array.from({ length: rows }, (_, i) => ({
      property: field(body, `fields[${i}].property`),
      type: field(body, `fields[${i}].type`) || 'text',
      required: field(body, `fields[${i}].required`) !== '',
    })),
    delimiter: field(body, 'delimiter'),
  };
}

export function applyKeywordOp(state: KeywordFormState, op: string): KeywordFormState {
  const [action = '', at = ''] = op.split(':');
  if (action === 'add-field')
    return { ...state, fields: [...state.fields, { property: '', type: 'text', required: true }] };
  if (action === 'remove-field') return { ...state, fields: state.fields.filter((_, i) => i !== Number(at)) };
  return state;
}

export function keywordBody(s: KeywordFormState): Json {
  const reply = textOrTranslations(s.reply);
  const notify = textOrTranslations(s.notify);
  const body: Json = { action: s.action };
  if (Object.keys(reply).length > 0) body.reply = reply;
  if (s.action === 'survey') body.survey = s.survey;
  if (s.action === 'notify_owner') body.notify_text = notify.text ?? notify.translations ?? '';
  if (s.action === 'structured') {
    body.fields = s.fields
      .filter((f) => f.property.trim() !== '')
      .map((f) => ({
        property: f.property.trim(),
        type: f.type,
        ...(f.required ? {} : { required: false }),
      }));
    if (s.delimiter !== '') body.delimiter = s.delimiter;
  }
  if (s.allow !== 'all') body.allow = s.allow;
  if (s.override) body.override_open_survey = true;
  return body;
}

export function keywordInput(path: string): string {
  if (path.startsWith('reply'))
    return inputId(`reply.${/^reply\.translations\.(.+)$/.exec(path)?.[1] ?? '*'}`);
  if (path.startsWith('notify_text'))
    return inputId(`notify_text.${/^notify_text\.(.+)$/.exec(path)?.[1] ?? '*'}`);
  const f = /^fields\[(\d+)\](?:\.(property|type|required))?/.exec(path);
  if (f) return `fields[${f[1]}].${f[2] ?? 'property'}`;
  if (path === 'fields') return 'add-field';
  for (const name of ['keyword', 'action', 'survey', 'allow', 'override_open_survey', 'delimiter'])
    if (path === name) return name;
  return 'action';
}
