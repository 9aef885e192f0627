// Creating a project and changing its settings.
import { isCountryCode } from '../../domain/phone.ts';
import { isValidTimeZone } from '../../domain/timezone.ts';
import type { Deps } from '../ports/deps.ts';
import type { ProjectRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import type { ProjectSettings } from '../../domain/project-settings.ts';
import { InputError } from '../../lib/input.ts';

const PROJECT_ID = /^[a-z0-9][a-z0-9_.-]{0,62}$/i;

/** Creates the project, or merges the given settings into it (a null value clears one). */
export async function putProject(deps: Deps, id: string, settings: ProjectSettings): Promise<ProjectRecord> {
  if (!PROJECT_ID.test(id)) {
    throw new InputError(
      'id',
      'a project id is 1 to 63 letters, digits, dots, dashes or underscores, starting with a letter or digit',
    );
  }
  if (settings.time_zone != null && !isValidTimeZone(settings.time_zone)) {
    throw new InputError(
      'time_zone',
      `"${settings.time_zone}" is not an IANA time zone (such as Africa/Nairobi)`,
    );
  }
  if (settings.default_country != null && !isCountryCode(settings.default_country)) {
    throw new InputError(
      'default_country',
      `"${settings.default_country}" is not an ISO 3166 alpha-2 country code (such as KE)`,
    );
  }
  return deps.store.transaction(async (tx) => {
    const current = await tx.projects.get(id);
    const merged: Record<string, unknown> = { ...(current?.settings ?? {}) };
    for (const [key, value] of Object.entries(settings)) {
      if (value === null) delete merged[key];
      else if (value !== undefined) merged[key] = value;
    }
    const project = { id, settings: merged as ProjectSettings };
    await tx.projects.put(project, deps.clock.now());
    return project;
  });
}

/** The project, or an InputError naming the field that referred to it. */
export async function requireProject(repos: Repos, id: string, field = 'project'): Promise<ProjectRecord> {
  const project = await repos.projects.get(id);
  if (!project) throw new InputError(field, `no project '${id}'`);
  return project;
}
