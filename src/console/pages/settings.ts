// A project's settings (SPEC 7; the admin key only, as the API's PUT /projects/{project}): every
// setting through an input — restricted sending times as rows of day, start and end; the system
// texts with a field per project language; the project's languages — checked by the API's schema
// and use case, a problem on its input and nothing saved. A project key reads them.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { putProject } from '../../app/projects/projects.ts';
import { effectiveSettings } from '../../app/projects/settings.ts';
import { ApiError } from '../../app/errors.ts';
import { ProjectSettings } from '../../domain/project-settings.ts';
import { DEFAULT_TEXTS } from '../../app/projects/texts.ts';
import { parseInput } from '../../lib/input.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, optionalInteger, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render } from '../render.ts';
import { inputId, projectLanguages, readTranslations, translationsView } from '../builders/translations.ts';

const TEXT_SETTINGS = [
  'time_zone',
  'default_language',
  'language_fallback',
  'shared_numbers',
  'default_country',
  'verification_code',
  'default_reply',
  'registration_case_type',
  'email_from',
] as const;
const FLAGS = ['allow_case_registration', 'allow_worker_registration', 'normalize_text'] as const;
export const DAYS = [
  { value: '-1', label: 'every day' },
  ...['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'].map((label, i) => ({
    value: String(i),
    label,
  })),
];
const TEXT_KEYS = Object.keys(DEFAULT_TEXTS) as (keyof typeof DEFAULT_TEXTS)[];

type Json = Record<string, unknown>;
const str = (value: unknown): string => (value === undefined || value === null ? '' : String(value));

export interface SettingsState {
  values: Record<string, string>;
  flags: Record<string, boolean>;
  languages: string;
  dailyLimit: string;
  windows: { day: string; start: string; end: string }[];
  texts: Record<string, Record<string, string>>;
}

function stateOf(settings: Json): SettingsState {
  const windows = Array.isArray(settings.restricted_times) ? (settings.restricted_times as Json[]) : [];
  const texts = (
    typeof settings.texts === 'object' && settings.texts !== null ? settings.texts : {}
  ) as Record<string, Record<string, string>>;
  return {
    values: Object.fromEntries(TEXT_SETTINGS.map((name) => [name, str(settings[name])])),
    flags: {
      allow_case_registration: settings.allow_case_registration === true,
      allow_worker_registration: settings.allow_worker_registration === true,
      normalize_text: settings.normalize_text !== false,
    },
    languages: Array.isArray(settings.languages) ? settings.languages.join(', ') : '',
    dailyLimit: str(settings.daily_sms_limit),
    windows: windows.map((w) => ({ day: str(w.day), start: str(w.start), end: str(w.end) })),
    texts: Object.fromEntries(TEXT_KEYS.map((key) => [key, texts[key] ?? {}])),
  };
}

function stateFromPost(body: Form): SettingsState {
  const rows = Math.min(Number(field(body, 'window_rows')) || 0, 50);
  return {
    values: Object.fromEntries(TEXT_SETTINGS.map((name) => [name, field(body, name)])),
    flags: Object.fromEntries(FLAGS.map((name) => [name, field(body, name) !== ''])),
    languages: field(body, 'languages'),
    dailyLimit: field(body, 'daily_sms_limit'),
    windows: Array.from({ length: rows }, (_, i) => ({
      day: field(body, `restricted_times[${i}].day`),
      start: field(body, `restricted_times[${i}].start`),
      end: field(body, `restricted_times[${i}].end`),
    })),
    texts: Object.fromEntries(TEXT_KEYS.map((key) => [key, readTranslations(body, `texts.${key}`)])),
  };
}

/** The settings a form stands for; a blank field clears its setting (the API's null). */
function settingsOf(s: SettingsState): Json {
  const settings: Json = {};
  for (const name of TEXT_SETTINGS) settings[name] = s.values[name]?.trim() || null;
  for (const name of FLAGS) settings[name] = s.flags[name] ?? false;
  const languages = s.languages.split(/[\s,]+/).filter((l) => l !== '');
  settings.languages = languages.length > 0 ? languages : null;
  settings.daily_sms_limit = optionalInteger({ v: s.dailyLimit }, 'v') ?? null;
  settings.restricted_times =
    s.windows.length === 0
      ? null
      : s.windows.map((w) => ({
          day: optionalInteger({ v: w.day }, 'v') ?? w.day,
          start: w.start,
          end: w.end,
        }));
  const texts = Object.fromEntries(Object.entries(s.texts).filter(([, t]) => Object.keys(t).length > 0));
  settings.texts = Object.keys(texts).length > 0 ? texts : null;
  return settings;
}

function inputFor(path: string): string {
  const window = /^restricted_times\[(\d+)\](?:\.(day|start|end))?/.exec(path);
  if (window) return `restricted_times[${window[1]}].${window[2] ?? 'day'}`;
  if (path === 'restricted_times') return 'add-window';
  const text = /^texts\.(\w+)(?:\.(.+))?$/.exec(path);
  if (text) return inputId(`texts.${text[1]}.${text[2] ?? '*'}`);
  if (path.startsWith('languages')) return 'languages';
  return path === '' ? 'time_zone' : path;
}

async function show(
  deps: ConsoleDeps,
  request: FastifyRequest<{ Querystring: { done?: string } }>,
  reply: FastifyReply,
  s: SettingsState,
  problem: FormProblem | null,
  focus: string | null,
  status = 200,
) {
  const project = projectOf(request);
  const languages = projectLanguages(effectiveSettings(project.settings));
  return render(
    deps.readModel,
    request,
    reply,
    'settings',
    {
      title: 'Settings',
      nav: 'settings',
      admin: request.operator?.principal.kind === 'admin',
      stored: project.settings,
      s,
      days: DAYS,
      textKeys: TEXT_KEYS,
      defaults: DEFAULT_TEXTS,
      translations: (prefix: string, texts: Record<string, string>) =>
        translationsView(prefix, languages, texts, 'Every language'),
      problem,
      err: problemOn(problem),
      focus,
      done: request.query.done ?? null,
      self: projectPath(project.id, 'settings'),
    },
    status,
  );
}

export const settingsPage: ConsolePage = (app, deps) => {
  app.get<{ Querystring: { done?: string } }>('/settings', (request, reply) =>
    show(deps, request, reply, stateOf(projectOf(request).settings as Json), null, null),
  );

  app.post<{ Body: Form; Querystring: { done?: string } }>('/settings', async (request, reply) => {
    // As the API's PUT /projects/{project}: the admin key only.
    if (request.operator?.principal.kind !== 'admin')
      throw new ApiError('forbidden', "changing a project's settings needs the admin key");
    const s = stateFromPost(request.body);
    const op = field(request.body, 'op') || 'save';
    if (op === 'add-window') {
      const windows = [...s.windows, { day: '-1', start: '08:00', end: '17:00' }];
      return show(
        deps,
        request,
        reply,
        { ...s, windows },
        null,
        `restricted_times[${windows.length - 1}].day`,
      );
    }
    if (op.startsWith('remove-window:')) {
      const at = Number(op.slice('remove-window:'.length));
      return show(
        deps,
        request,
        reply,
        { ...s, windows: s.windows.filter((_, i) => i !== at) },
        null,
        'add-window',
      );
    }
    const project = projectOf(request);
    try {
      const settings = settingsOf(s);
      parseInput(ProjectSettings, Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== null)));
      await putProject(deps, project.id, settings as ProjectSettings);
    } catch (error) {
      const problem = formProblem(error, inputFor);
      if (!problem) throw error;
      return show(deps, request, reply, s, problem, null, 400);
    }
    return reply.redirect(
      `${projectPath(project.id, 'settings')}?done=${encodeURIComponent('Saved the settings.')}`,
      303,
    );
  });
};
