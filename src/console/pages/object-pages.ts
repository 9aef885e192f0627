// One configuration object's whole life in the console (issue 15), the same for keywords,
// surveys and groups: a list page (cursor pages) with edit and delete, a creation page at
// /<plural>/new, an edit page, a form whose builder buttons re-show it as typed with the change,
// a save through the API's schema and use case (a refusal lands on its input, nothing saved),
// and delete after a confirmation (409 while in use shows what uses it).
import type { FastifyReply, FastifyRequest } from 'fastify';
import { effectiveSettings } from '../../app/projects/settings.ts';
import type { ProjectRecord } from '../../app/ports/records.ts';
import { ApiError, notFound } from '../../app/errors.ts';
import type { ConsoleDeps } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { field, formProblem, problemOn, type Form, type FormProblem } from '../forms.ts';
import { projectPath, render, type NavKey } from '../render.ts';
import { projectLanguages, translationsView } from '../builders/translations.ts';
import { confirmThenDelete } from './removal.ts';

/** What each kind of object tells the pages. */
export interface ObjectPages<Item, State> {
  plural: NavKey & string;
  /** `keyword`, `survey`, `group`: in titles and messages. */
  noun: string;
  listView: string;
  formView: string;
  list(
    deps: ConsoleDeps,
    projectId: string,
    page: { cursor?: string; limit: number },
  ): Promise<{ items: Item[]; nextCursor: string | null }>;
  idOf(item: Item): string;
  /** Extra data of the list page. */
  listData?: Record<string, unknown>;
  load(deps: ConsoleDeps, projectId: string, id: string): Promise<Item | null>;
  blank(): State;
  stateOf(item: Item): State;
  fromPost(body: Form): State;
  idOfState(state: State): string;
  isNew(state: State): boolean;
  /** A builder button; absent: the form has none. */
  applyOp?(state: State, op: string): State;
  focusAfter?(state: State, op: string): string | null;
  /** Extra data of the form page. */
  formData?(deps: ConsoleDeps, project: ProjectRecord): Promise<Record<string, unknown>>;
  /** Saves the form (through the API's schema and use case); returns the id saved. */
  save(deps: ConsoleDeps, projectId: string, state: State): Promise<string>;
  /** The input an API error path is about. */
  inputFor(path: string, state: State): string;
  remove(deps: ConsoleDeps, projectId: string, id: string): Promise<unknown>;
  consequence: string;
  /** The input a new form starts on. */
  firstInput: string;
}

/** Rows of a list page. */
const LIST_PAGE = 100;

export function objectPages<Item, State>(spec: ObjectPages<Item, State>) {
  return (app: Parameters<import('../deps.ts').ConsolePage>[0], deps: ConsoleDeps): void => {
    const { plural, noun } = spec;
    const listPath = (request: FastifyRequest) => projectPath(projectOf(request).id, plural);
    const load = async (request: FastifyRequest, id: string) => {
      const project = projectOf(request);
      const item = await spec.load(deps, project.id, id);
      if (!item) throw notFound(`no ${noun} '${id}' in project '${project.id}'`);
      return item;
    };
    const showForm = async (
      request: FastifyRequest,
      reply: FastifyReply,
      d: State,
      problem: FormProblem | null,
      focus: string | null,
      status = 200,
    ) => {
      const project = projectOf(request);
      const languages = projectLanguages(effectiveSettings(project.settings));
      return render(
        deps.readModel,
        request,
        reply,
        spec.formView,
        {
          title: spec.isNew(d) ? `New ${noun}` : `Edit ${noun} ${spec.idOfState(d)}`,
          nav: plural,
          d,
          problem,
          err: problemOn(problem),
          focus,
          translations: (prefix: string, texts: Record<string, string>, label?: string) =>
            translationsView(prefix, languages, texts, label),
          action: listPath(request),
          back: listPath(request),
          ...(spec.formData ? await spec.formData(deps, project) : {}),
        },
        status,
      );
    };

    app.get<{ Querystring: { done?: string; cursor?: string } }>(`/${plural}`, async (request, reply) => {
      const project = projectOf(request);
      const found = await spec.list(deps, project.id, {
        cursor: request.query.cursor || undefined,
        limit: LIST_PAGE,
      });
      const base = listPath(request);
      return render(deps.readModel, request, reply, spec.listView, {
        title: `${noun[0]?.toUpperCase() ?? ''}${noun.slice(1)}s`,
        nav: plural,
        items: found.items,
        more: found.nextCursor === null ? null : `${base}?cursor=${encodeURIComponent(found.nextCursor)}`,
        done: request.query.done ?? null,
        base,
        href: (id: string, action: string) => `${projectPath(project.id, plural, id)}/${action}`,
        ...spec.listData,
      });
    });

    app.get(`/${plural}/new`, async (request, reply) =>
      showForm(request, reply, spec.blank(), null, spec.firstInput),
    );

    app.get<{ Params: { id: string } }>(`/${plural}/:id/edit`, async (request, reply) =>
      showForm(request, reply, spec.stateOf(await load(request, request.params.id)), null, null),
    );

    app.post<{ Body: Form }>(`/${plural}`, async (request, reply) => {
      const op = field(request.body, 'op') || 'save';
      const posted = spec.fromPost(request.body);
      if (op !== 'save' && spec.applyOp) {
        const d = spec.applyOp(posted, op);
        return showForm(request, reply, d, null, spec.focusAfter?.(d, op) ?? null);
      }
      try {
        const id = await spec.save(deps, projectOf(request).id, posted);
        return reply.redirect(`${listPath(request)}?done=${encodeURIComponent(`Saved ${noun} ${id}.`)}`, 303);
      } catch (error) {
        const problem = formProblem(error, (path) => spec.inputFor(path, posted));
        if (!problem) throw error;
        return showForm(
          request,
          reply,
          posted,
          problem,
          null,
          error instanceof ApiError ? error.status : 400,
        );
      }
    });

    app.post<{ Params: { id: string }; Body: Form }>(`/${plural}/:id/delete`, async (request, reply) => {
      const project = projectOf(request);
      const id = spec.idOf(await load(request, request.params.id));
      const removal = {
        what: `${noun} ${id}`,
        consequence: spec.consequence,
        nav: plural,
        action: `${projectPath(project.id, plural, id)}/delete`,
        back: listPath(request),
      };
      return confirmThenDelete(deps, request, reply, removal, () => spec.remove(deps, project.id, id));
    });
  };
}
