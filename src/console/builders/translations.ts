// The translations editor (issue 15): one text field per language of the project — its
// `languages`, its default language, and any language a stored text already has — plus the
// untranslated text (`*`) and a few spare rows for another language, so nothing is typed as JSON.
// Fields are named `<prefix>.<language>`; spare rows `<prefix>.other[i].lang` and `.text`.
import type { EffectiveSettings } from '../../app/projects/settings.ts';
import { field, type Form } from '../forms.ts';

export const UNTRANSLATED = '*';
/** Empty "another language" rows offered under the project's languages. */
export const SPARE_LANGUAGES = 2;

/** The project's languages, in the order the console shows them (the default first). */
export function projectLanguages(settings: EffectiveSettings): string[] {
  const own = settings.defaultLanguage === null ? [] : [settings.defaultLanguage];
  return [...new Set([...own, ...settings.languages])];
}

export interface TranslationField {
  lang: string;
  /** The input's name and (with `*` spelled out) its id. */
  name: string;
  id: string;
  label: string;
  value: string;
}

export interface TranslationsView {
  prefix: string;
  fields: TranslationField[];
  /** Spare rows for a language the project does not list. */
  spare: { lang: { name: string; id: string }; text: { name: string; id: string } }[];
}

/** An input id for a field name: `*` is spelled out so the id is plain. */
export const inputId = (name: string): string => name.replace(/\*/g, 'untranslated');

/** The fields for `values` (language → text): the untranslated text first, then each language. */
export function translationsView(
  prefix: string,
  languages: readonly string[],
  values: Record<string, string>,
  untranslatedLabel = 'Text (any language)',
): TranslationsView {
  const langs = [...new Set([...languages, ...Object.keys(values).filter((l) => l !== UNTRANSLATED)])];
  const make = (lang: string, label: string): TranslationField => {
    const name = `${prefix}.${lang}`;
    return { lang, name, id: inputId(name), label, value: values[lang] ?? '' };
  };
  return {
    prefix,
    fields: [make(UNTRANSLATED, untranslatedLabel), ...langs.map((lang) => make(lang, `In ${lang}`))],
    spare: Array.from({ length: SPARE_LANGUAGES }, (_, i) => ({
      lang: { name: `${prefix}.other[${i}].lang`, id: `${prefix}.other[${i}].lang` },
      text: { name: `${prefix}.other[${i}].text`, id: `${prefix}.other[${i}].text` },
    })),
  };
}

/** The texts a form posted under `prefix`, language → text, blank ones left out. */
export function readTranslations(body: Form, prefix: string): Record<string, string> {
  const texts: Record<string, string> = {};
  const start = `${prefix}.`;
  for (const name of Object.keys(body ?? {})) {
    if (!name.startsWith(start) || name.startsWith(`${start}other[`)) continue;
    const lang = name.slice(start.length);
    const text = field(body, name);
    if (lang !== '' && !lang.includes('.') && text.trim() !== '') texts[lang] = text;
  }
  for (let i = 0; i < SPARE_LANGUAGES; i++) {
    const lang = field(body, `${start}other[${i}].lang`).trim();
    const text = field(body, `${start}other[${i}].text`);
    if (lang !== '' && text.trim() !== '') texts[lang] = text;
  }
  return texts;
}

/**
 * What texts stand for in a body: one untranslated text alone is `{text}`, anything else
 * `{translations}`; nothing at all is `{}` (the schema then says what is missing).
 */
export function textOrTranslations(texts: Record<string, string>): {
  text?: string;
  translations?: Record<string, string>;
} {
  const langs = Object.keys(texts);
  if (langs.length === 0) return {};
  if (langs.length === 1 && langs[0] === UNTRANSLATED) return { text: texts[UNTRANSLATED] };
  return { translations: texts };
}

/** The texts of a stored `{text}` or `{translations}`. */
export function textsOf(value: { text?: unknown; translations?: unknown }): Record<string, string> {
  if (typeof value.text === 'string') return { [UNTRANSLATED]: value.text };
  if (typeof value.translations === 'object' && value.translations !== null)
    return Object.fromEntries(
      Object.entries(value.translations).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  return {};
}
