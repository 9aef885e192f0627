// Choosing the translation of a message for one recipient (SPEC 2.4).
export type LanguageFallback = 'none' | 'message' | 'project' | 'untranslated';
/** Language code → text; '*' is the untranslated text. */
export type Translations = Record<string, string>;

export interface LanguageChain {
  contactLanguage?: string | null;
  messageDefault?: string | null;
  projectDefault?: string | null;
  /** How far the chain goes; the project setting `language_fallback`, default 'untranslated'. */
  fallback: LanguageFallback;
}

export const UNTRANSLATED = '*';

const STEPS: Record<LanguageFallback, number> = { none: 1, message: 2, project: 3, untranslated: 4 };

/**
 * The first non-blank translation along the chain, or null (the caller records NO_MESSAGE).
 * Language codes match after trimming, case-insensitively ('EN' finds 'en'); the returned
 * language is the key as written in `translations`.
 */
export function chooseTranslation(
  translations: Translations,
  chain: LanguageChain,
): { language: string; text: string } | null {
  const keys = Object.keys(translations);
  // As in the original: content that is only untranslated is sent whatever the fallback.
  if (keys.length === 1 && keys[0] === UNTRANSLATED) return find(translations, UNTRANSLATED);
  // A recipient without a language (a bare phone number) has an empty first step: the
  // fallback setting still names the same steps, so `none` finds nothing for it.
  const steps = [chain.contactLanguage, chain.messageDefault, chain.projectDefault, UNTRANSLATED];
  for (const language of steps.slice(0, STEPS[chain.fallback])) {
    const code = language?.trim() ?? '';
    if (code === '') continue;
    const found = find(translations, code);
    if (found !== null) return found;
  }
  return null;
}

function find(translations: Translations, code: string): { language: string; text: string } | null {
  const wanted = code.toLowerCase();
  for (const [language, text] of Object.entries(translations)) {
    if (language.trim().toLowerCase() === wanted && text.trim() !== '') return { language, text };
  }
  return null;
}
