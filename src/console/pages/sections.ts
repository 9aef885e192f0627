// What the console's configuration pages share (gateways, keywords, surveys, settings): a
// section is a list and a form; a save posts through the API's schema and use case, and a
// validation error re-shows the page with the form as typed and the problem on its input.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../../app/errors.ts';
import type { ConsoleDeps } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { byPath, field, formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render } from '../render.ts';

export const list = (text: string | undefined): string[] | undefined =>
  text === undefined ? undefined : text.split(/[\s,]+/).filter((item) => item !== '');
export const isAdmin = (request: FastifyRequest): boolean => request.operator?.principal.kind === 'admin';
export const checked = (body: Form, name: string): boolean => field(body, name) !== '';

export interface Section {
  view: string;
  title: string;
  nav: 'gateways' | 'keywords' | 'surveys' | 'settings';
  /** The page's data besides the form's. */
  load(deps: ConsoleDeps, request: FastifyRequest): Promise<Record<string, unknown>>;
  /** The form's values for editing one listed item (`?edit=id`). */
  prefill?(data: Record<string, unknown>, id: string): Record<string, string>;
}

export const str = (value: unknown): string =>
  value === undefined || value === null
    ? ''
    : typeof value === 'object'
      ? JSON.stringify(value, null, 2)
      : String(value);

export async function show(
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
export async function save(
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
