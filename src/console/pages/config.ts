// Gateways: a list and a form that posts through the API's
// schema (parseInput) and use case, so the same input is refused with the same words; the
// problem is shown on its input and nothing is saved. What the API keeps for the admin key is
// hidden from a project key here and refused (403) if posted anyway: sharing a gateway with
// other projects, and changing the project's settings.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { gatewayBody } from '../../app/gateways/schemas.ts';
import { Id } from '../../lib/schema.ts';
import { parseInput } from '../../lib/input.ts';
import { ApiError } from '../../app/errors.ts';
import { storeGateway } from '../../app/gateways/store.ts';
import { maskConfig } from '../../app/gateways/secrets.ts';
import type { ConsoleDeps, ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import {
  byPath,
  defined,
  field,
  formProblem,
  jsonField,
  optional,
  optionalInteger,
  problemOn,
  type Form,
  type FormProblem,
} from '../forms.ts';
import { projectPath, render } from '../render.ts';

const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(/[\s,]+/).filter((item) => item !== '');
const isAdmin = (request: FastifyRequest): boolean => request.operator?.principal.kind === 'admin';
const checked = (body: Form, name: string): boolean => field(body, name) !== '';

interface Section {
  view: string;
  title: string;
  nav: 'gateways';
  /** The page's data besides the form's. */
  load(deps: ConsoleDeps, request: FastifyRequest): Promise<Record<string, unknown>>;
  /** The form's values for editing one listed item (`?edit=id`). */
  prefill?(data: Record<string, unknown>, id: string): Record<string, string>;
}

const str = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : String(value);

async function show(
  deps: ConsoleDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  section: Section,
  form: Record<string, string>,
  problem: FormProblem | null,
  extra: Record<string, unknown> = {},
  status = 200,
) {
  const project = projectOf(request);
  return render(
    deps.readModel,
    request,
    reply,
    section.view,
    {
      title: section.title,
      nav: section.nav,
      admin: isAdmin(request),
      form,
      problem,
      err: problemOn(problem),
      self: projectPath(project.id, section.nav),
      ...(await section.load(deps, request)),
      ...extra,
    },
    status,
  );
}

/** Runs a save; a validation error re-shows the page with the form as typed (status 400). */
async function save(
  deps: ConsoleDeps,
  request: FastifyRequest<{ Body: Form }>,
  reply: FastifyReply,
  section: Section,
  inputs: readonly string[],
  fallback: string,
  run: () => Promise<string>,
) {
  try {
    const done = await run();
    return reply.redirect(
      `${projectPath(projectOf(request).id, section.nav)}?saved=${encodeURIComponent(done)}`,
      303,
    );
  } catch (error) {
    const problem = formProblem(error, byPath(inputs, fallback));
    if (!problem) throw error;
    const status = error instanceof ApiError ? error.status : 400;
    const form = Object.fromEntries(
      Object.entries(request.body ?? {}).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    return show(deps, request, reply, section, form, problem, {}, status);
  }
}

const smsTypeNames = (deps: ConsoleDeps): string[] =>
  deps.gatewayTypes.types.filter((type) => type.channel === 'sms').map((type) => type.name);

const GATEWAYS: Section = {
  view: 'gateways',
  title: 'Gateways',
  nav: 'gateways',
  load: async (deps, request) => ({
    // The registry's SMS gateway types, as the API's schema takes them.
    types: smsTypeNames(deps).map((name) => ({ value: name, label: name })),
    gateways: (await deps.store.gateways.ownedBy(projectOf(request).id)).map((g) => ({
      ...g,
      config: JSON.stringify(maskConfig(deps.gatewayTypes, g.type, g.config)),
    })),
  }),
  prefill: (data, id): Record<string, string> => {
    const g = (
      data.gateways as {
        id: string;
        name: string;
        type: string;
        isDefault: boolean;
        prefixes: string[];
        sharedWith: string[];
        rateLimitPerMinute: number | null;
        maxAttempts: number;
        retryMinutes: number;
        config: string;
      }[]
    ).find((x) => x.id === id);
    if (!g) return {};
    return {
      id: g.id,
      name: g.name,
      type: g.type,
      default: g.isDefault ? 'on' : '',
      prefixes: g.prefixes.join(', '),
      shared_with: g.sharedWith.join(', '),
      rate_limit_per_minute: str(g.rateLimitPerMinute),
      max_attempts: str(g.maxAttempts),
      retry_minutes: str(g.retryMinutes),
      config: g.config,
    };
  },
};
const GATEWAY_INPUTS = [
  'id',
  'name',
  'type',
  'default',
  'prefixes',
  'shared_with',
  'rate_limit_per_minute',
  'max_attempts',
  'retry_minutes',
  'config',
  'inbound_secret',
];

export const configPages: ConsolePage = (app, deps) => {
  for (const section of [GATEWAYS]) {
    app.get<{ Querystring: { saved?: string; edit?: string } }>(`/${section.nav}`, async (request, reply) => {
      const edit = request.query.edit;
      const form =
        edit !== undefined && section.prefill ? section.prefill(await section.load(deps, request), edit) : {};
      return show(deps, request, reply, section, form, null, { saved: request.query.saved ?? null });
    });
  }

  app.post<{ Body: Form }>('/gateways', async (request, reply) =>
    save(deps, request, reply, GATEWAYS, GATEWAY_INPUTS, 'config', async () => {
      const project = projectOf(request);
      const b = request.body;
      const id = parseInput(Id, field(b, 'id').trim(), 'id');
      const current = await deps.store.gateways.get(id);
      if (current && current.owner !== project.id)
        throw new ApiError(
          'conflict',
          `gateway id '${id}' is taken; gateway ids are unique across projects`,
          'id',
        );
      const body = parseInput(
        gatewayBody(smsTypeNames(deps)),
        defined({
          project: project.id,
          name: optional(b, 'name'),
          type: optional(b, 'type'),
          default: checked(b, 'default'),
          prefixes: list(optional(b, 'prefixes')) ?? [],
          shared_with: list(optional(b, 'shared_with')),
          rate_limit_per_minute: optionalInteger(b, 'rate_limit_per_minute'),
          max_attempts: optionalInteger(b, 'max_attempts'),
          retry_minutes:
            optional(b, 'retry_minutes') === undefined ? undefined : Number(optional(b, 'retry_minutes')),
          config: jsonField(b, 'config'),
          inbound_secret: optional(b, 'inbound_secret'),
        }),
      );
      // As the API: sharing with other projects needs the admin key.
      if (!isAdmin(request) && (body.shared_with ?? []).some((other) => other !== project.id)) {
        throw new ApiError(
          'forbidden',
          'sharing a gateway with other projects needs the admin key',
          'shared_with',
        );
      }
      await storeGateway(deps, id, body, current);
      return `gateway ${id}`;
    }),
  );
};
