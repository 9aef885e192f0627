// System texts (SPEC 2.3 and 5): English defaults, replaceable per project and language.
import { ANSWER_ERRORS } from '../../domain/survey.ts';
import type { EffectiveSettings } from './settings.ts';

export const DEFAULT_TEXTS = {
  verification_request: "Welcome! Is this phone used by {name}? If yes, reply '{code}' to start using SMS.",
  verification_done: 'Thank you. This phone has been verified for SMS.',
  opted_out: 'You have opted out of messages from this service. To opt back in, reply {keyword}.',
  opted_in: 'You are opted in again. To opt out, reply {keyword}.',
  unknown_command: 'Unknown command.',
  registration_welcome: 'Welcome! This phone is now registered.',
  // A survey answer's or a structured keyword field's error (SPEC 5.1, 5.2).
  ...ANSWER_ERRORS,
  field_error: "Field '{field}': {error}",
} as const;

export type TextKey = keyof typeof DEFAULT_TEXTS;

/**
 * The project's text for the contact's language, else for the project's default language,
 * else the built-in English one; `{var}` placeholders are filled from vars.
 */
export function systemText(
  settings: EffectiveSettings | null,
  key: TextKey,
  language: string | null,
  vars: Record<string, string> = {},
): string {
  const own = settings?.texts[key] ?? {};
  const pick = (lang: string | null) => (lang && own[lang]?.trim() ? own[lang] : undefined);
  const template =
    pick(language) ?? pick(settings?.defaultLanguage ?? null) ?? pick('*') ?? DEFAULT_TEXTS[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => vars[name] ?? whole);
}
