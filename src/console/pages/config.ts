// Keywords, surveys and settings: each a list and a form that posts through the API's schema
// (parseInput) and use case, so the same input is refused with the same words; the problem is
// shown on its input and nothing is saved. Changing the project's settings needs the admin key,
// as in the API (gateways have their own page, gateways.ts).
import { putKeyword } from '../../app/inbound/keywords.ts';
import { putProject } from '../../app/projects/projects.ts';
import { Id } from '../../lib/schema.ts';
import { KeywordBody } from '../../domain/definitions.ts';
import { ProjectSettings } from '../../domain/project-settings.ts';
import { SurveyBody } from '../../domain/survey-shape.ts';
import { putSurvey } from '../../app/surveys/surveys.ts';
import { parseInput } from '../../lib/input.ts';
import { ApiError } from '../../app/errors.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { defined, field, jsonField, optional, optionalInteger, type Form } from '../forms.ts';
import { checked, isAdmin, list, save, show, str, type Section } from './sections.ts';

/** A listed keyword or survey by id, for `prefill`. */
const named = (data: Record<string, unknown>, key: string, id: string) =>
  (data[key] as { id: string; definition: Record<string, unknown> }[]).find((x) => x.id === id);

const KEYWORDS: Section = {
  view: 'keywords',
  title: 'Keywords',
  nav: 'keywords',
  load: async (deps, request) => ({ keywords: await deps.lists.keywords(projectOf(request).id) }),
  prefill: (data, id): Record<string, string> => {
    const k = named(data, 'keywords', id);
    if (!k) return {};
    const d = k.definition;
    return {
      keyword: k.id,
      action: str(d.action),
      reply: str((d.reply as { text?: string } | undefined)?.text),
      survey: str(d.survey),
      notify_text: typeof d.notify_text === 'string' ? d.notify_text : str(d.notify_text),
      allow: str(d.allow),
      override_open_survey: d.override_open_survey === true ? 'on' : '',
    };
  },
};
const KEYWORD_INPUTS = [
  'keyword',
  'action',
  'reply',
  'survey',
  'notify_text',
  'allow',
  'override_open_survey',
];

const SURVEYS: Section = {
  view: 'surveys',
  title: 'Surveys',
  nav: 'surveys',
  load: async (deps, request) => ({ surveys: await deps.lists.surveys(projectOf(request).id) }),
  prefill: (data, id): Record<string, string> => {
    const s = named(data, 'surveys', id);
    if (!s) return {};
    const d = s.definition;
    return {
      id: s.id,
      questions: str(d.questions),
      expiry_hours: str(d.expiry_hours),
      reminder_minutes: Array.isArray(d.reminder_minutes) ? d.reminder_minutes.join(', ') : '',
      partial_save: d.partial_save === true ? 'on' : '',
      default_language: str(d.default_language),
    };
  },
};
const SURVEY_INPUTS = [
  'id',
  'questions',
  'expiry_hours',
  'reminder_minutes',
  'partial_save',
  'default_language',
];

const SETTINGS: Section = {
  view: 'settings',
  title: 'Settings',
  nav: 'settings',
  load: async (_deps, request) => ({ settings: projectOf(request).settings }),
};
const SETTING_TEXTS = [
  'time_zone',
  'default_language',
  'language_fallback',
  'shared_numbers',
  'default_country',
  'verification_code',
  'default_reply',
  'registration_case_type',
  'email_from',
];
const SETTING_FLAGS = ['allow_case_registration', 'allow_worker_registration', 'normalize_text'];
const SETTING_INPUTS = [...SETTING_TEXTS, ...SETTING_FLAGS, 'daily_sms_limit', 'restricted_times', 'texts'];

export const configPages: ConsolePage = (app, deps) => {
  for (const section of [KEYWORDS, SURVEYS, SETTINGS]) {
    app.get<{ Querystring: { saved?: string; edit?: string } }>(`/${section.nav}`, async (request, reply) => {
      const edit = request.query.edit;
      const form =
        edit !== undefined && section.prefill ? section.prefill(await section.load(deps, request), edit) : {};
      return show(deps, request, reply, section, form, null, { saved: request.query.saved ?? null });
    });
  }

  app.post<{ Body: Form }>('/keywords', async (request, reply) =>
    save(deps, request, reply, KEYWORDS, KEYWORD_INPUTS, 'action', async () => {
      const b = request.body;
      const keyword = field(b, 'keyword');
      const reply_ = optional(b, 'reply');
      const body = parseInput(
        KeywordBody,
        defined({
          action: optional(b, 'action'),
          reply: reply_ === undefined ? undefined : { text: reply_ },
          survey: optional(b, 'survey'),
          notify_text: optional(b, 'notify_text'),
          allow: optional(b, 'allow'),
          override_open_survey: checked(b, 'override_open_survey'),
        }),
      );
      const record = await putKeyword(deps, projectOf(request).id, keyword, body);
      return `keyword ${record.keyword}`;
    }),
  );

  app.post<{ Body: Form }>('/surveys', async (request, reply) =>
    save(deps, request, reply, SURVEYS, SURVEY_INPUTS, 'questions', async () => {
      const b = request.body;
      const id = parseInput(Id, field(b, 'id').trim(), 'id');
      const body = parseInput(
        SurveyBody,
        defined({
          questions: jsonField(b, 'questions') ?? [],
          expiry_hours: optionalInteger(b, 'expiry_hours'),
          reminder_minutes: list(optional(b, 'reminder_minutes'))?.map((m) =>
            /^\d+$/.test(m) ? Number(m) : m,
          ),
          partial_save: checked(b, 'partial_save'),
          default_language: optional(b, 'default_language'),
        }),
      );
      await putSurvey(deps, projectOf(request).id, id, body);
      return `survey ${id}`;
    }),
  );

  app.post<{ Body: Form }>('/settings', async (request, reply) => {
    // As the API's PUT /projects/{project}: the admin key only.
    if (!isAdmin(request))
      throw new ApiError('forbidden', "changing a project's settings needs the admin key");
    return save(deps, request, reply, SETTINGS, SETTING_INPUTS, 'texts', async () => {
      const b = request.body;
      const settings: Record<string, unknown> = {};
      // A blank text clears the setting (the API's null), so it takes its default again.
      for (const name of SETTING_TEXTS) settings[name] = optional(b, name) ?? null;
      for (const name of SETTING_FLAGS) settings[name] = checked(b, name);
      settings.daily_sms_limit = optionalInteger(b, 'daily_sms_limit') ?? null;
      settings.restricted_times = jsonField(b, 'restricted_times') ?? null;
      settings.texts = jsonField(b, 'texts') ?? null;
      const project = projectOf(request);
      const nullable = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== null));
      parseInput(ProjectSettings, nullable);
      await putProject(deps, project.id, settings as ProjectSettings);
      return 'settings';
    });
  });
};
