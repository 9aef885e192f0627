// Renders a console view inside the layout with what every page shows: who is signed in, the
// project and (for the admin key) the project switcher, the navigation and the CSRF token.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ProjectRecord } from '../app/ports/records.ts';
import type { ReadModel } from '../app/ports/read-model.ts';

/** The navigation, in order; `path` is below /p/:project/. Pages not built yet answer 404. */
export const NAV = [
  { key: 'dashboard', label: 'Dashboard', path: '' },
  { key: 'contacts', label: 'Contacts', path: 'contacts' },
  { key: 'registry', label: 'Registry', path: 'registry' },
  { key: 'messages', label: 'Messages', path: 'messages' },
  { key: 'inbox', label: 'Inbox', path: 'inbox' },
  { key: 'test-sms', label: 'Test SMS', path: 'test-sms' },
  { key: 'alerts', label: 'Alerts', path: 'alerts' },
  { key: 'broadcasts', label: 'Broadcasts', path: 'broadcasts' },
  { key: 'keywords', label: 'Keywords', path: 'keywords' },
  { key: 'surveys', label: 'Surveys', path: 'surveys' },
  { key: 'results', label: 'Survey results', path: 'survey-results' },
  { key: 'groups', label: 'Groups', path: 'groups' },
  { key: 'gateways', label: 'Gateways', path: 'gateways' },
  { key: 'settings', label: 'Settings', path: 'settings' },
] as const;

export type NavKey = (typeof NAV)[number]['key'];

/** A console path from raw segments, each URL-encoded: projectPath('a b', 'contacts') → `/p/a%20b/contacts`. */
export function projectPath(project: string, ...segments: string[]): string {
  return `/p/${[project, ...segments].map(encodeURIComponent).join('/')}`;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of a /p/:project/ page, after the access check. */
    consoleProject: ProjectRecord | null;
  }
}

export interface PageData {
  /** The page title (escaped like everything else). */
  title: string;
  /** The highlighted navigation entry. */
  nav?: NavKey;
  [key: string]: unknown;
}

/** Renders `views/<view>.eta` (which calls layout()) with the layout's data. */
export async function render(
  readModel: ReadModel,
  request: FastifyRequest,
  reply: FastifyReply,
  view: string,
  data: PageData,
  status = 200,
): Promise<FastifyReply> {
  const operator = request.operator;
  const admin = operator?.principal.kind === 'admin';
  const projects = admin ? (await readModel.listProjects({ limit: 500 })).items.map((p) => p.id) : [];
  const layout = {
    navItems: NAV,
    operator: operator ? { admin, label: admin ? 'admin key' : 'project key' } : null,
    project: request.consoleProject?.id ?? null,
    projects,
    csrf: operator?.csrf ?? null,
  };
  const html = await reply.viewAsync(view, { ...layout, nav: null, ...data });
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** Renders a view without the layout: an htmx fragment. */
export async function fragment(
  reply: FastifyReply,
  view: string,
  data: Record<string, unknown>,
): Promise<FastifyReply> {
  const html = await reply.viewAsync(view, data);
  return reply.type('text/html; charset=utf-8').send(html);
}

/**
 * JSON for a `<script type="application/json">` element, printed with Eta's raw tag: `<`, `>`
 * and `&` become \u escapes, so no value can close the element or open a comment.
 */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** An instant as `YYYY-MM-DD HH:MM` in a time zone. */
export function localTime(ms: number, zone: string): string {
  return new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
  }).format(ms);
}
