// What an alert or a broadcast sends, or one event of a custom schedule (SPEC 4.1, FORMAT.md
// `content`): the channel, an e-mail's subject, and exactly one of a text per language or a
// survey to start. The same inputs under any prefix (`content`, `schedule.events[2].content`),
// named by the API's field paths so a validation error lands on its input.
import { field, type Form } from '../forms.ts';
import { inputId, readTranslations, textOrTranslations, textsOf } from './translations.ts';

type Json = Record<string, unknown>;

export interface ContentState {
  channel: string;
  subject: string;
  texts: Record<string, string>;
  /** A survey's id to start instead of a text; '' for none. */
  survey: string;
}

const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A blank content: an SMS with no text yet. */
export const blankContent = (): ContentState => ({ channel: 'sms', subject: '', texts: {}, survey: '' });

/** The form's values for a stored content. */
export function contentState(value: unknown): ContentState {
  const content = isObject(value) ? value : {};
  return {
    channel: str(content.channel) || 'sms',
    subject: str(content.subject),
    texts: textsOf(content),
    survey: str(content.survey),
  };
}

/** The content a form posted under `prefix`, as typed. */
export function contentFromForm(body: Form, prefix: string): ContentState {
  return {
    channel: field(body, `${prefix}.channel`) || 'sms',
    subject: field(body, `${prefix}.subject`),
    texts: readTranslations(body, `${prefix}.translations`),
    survey: field(body, `${prefix}.survey`),
  };
}

/** The API's content: `channel` only for e-mail (SMS is the default), a subject only with it. */
export function contentBody(c: ContentState): Json {
  const email = c.channel === 'email';
  return {
    ...(email ? { channel: 'email', ...(c.subject.trim() !== '' ? { subject: c.subject } : {}) } : {}),
    ...(c.survey !== '' ? { survey: c.survey } : textOrTranslations(c.texts)),
  };
}

/** The input of an error at `path` within a content posted under `prefix` (`rest` after it). */
export function contentInput(prefix: string, rest: string): string {
  const own = /^\.(channel|subject|survey)$/.exec(rest);
  if (own) return `${prefix}.${own[1] ?? ''}`;
  const lang = /^\.translations\.(.+)$/.exec(rest)?.[1];
  return inputId(`${prefix}.translations.${lang ?? '*'}`);
}
