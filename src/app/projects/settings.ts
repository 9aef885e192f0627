// A project's settings with their SPEC defaults filled in.
import type { LanguageFallback } from '../../domain/language.ts';
import type { SharedNumbers } from '../../domain/registry.ts';
import type { ProjectSettings } from '../../domain/project-settings.ts';

export interface Window {
  day: number;
  start: string;
  end: string;
}

export interface EffectiveSettings {
  timeZone: string | null;
  defaultLanguage: string | null;
  /** The project's languages (the console's translation fields); may be empty. */
  languages: string[];
  languageFallback: LanguageFallback;
  sharedNumbers: SharedNumbers;
  restrictedTimes: Window[];
  /** SMS accepted by gateways per project-local day (default 50,000). */
  dailySmsLimit: number;
  defaultCountry: string | null;
  /** The reply that verifies a mobile worker's number (default 123). */
  verificationCode: string;
  defaultReply: string | null;
  allowCaseRegistration: boolean;
  allowWorkerRegistration: boolean;
  registrationCaseType: string;
  normalizeText: boolean;
  texts: Record<string, Record<string, string>>;
  /** Sender of the project's e-mail; null: the server's SMTP_FROM. */
  emailFrom: string | null;
}

export function effectiveSettings(settings: ProjectSettings): EffectiveSettings {
  return {
    timeZone: settings.time_zone ?? null,
    defaultLanguage: settings.default_language ?? null,
    languages: settings.languages ?? [],
    languageFallback: settings.language_fallback ?? 'untranslated',
    sharedNumbers: settings.shared_numbers ?? 'block',
    restrictedTimes: settings.restricted_times ?? [],
    dailySmsLimit: settings.daily_sms_limit ?? 50_000,
    defaultCountry: settings.default_country ?? null,
    verificationCode: settings.verification_code ?? '123',
    defaultReply: settings.default_reply ?? null,
    allowCaseRegistration: settings.allow_case_registration ?? false,
    allowWorkerRegistration: settings.allow_worker_registration ?? false,
    registrationCaseType: settings.registration_case_type ?? 'contact',
    normalizeText: settings.normalize_text ?? true,
    texts: (settings.texts ?? {}) as Record<string, Record<string, string>>,
    emailFrom: settings.email_from ?? null,
  };
}
