// The phone registry: numbers of this project's contacts that have more than one entry, who
// owns each, and what would fix it, with links to the contact pages (which can close a case).
import { registryConflicts } from '../read-models/registry-conflicts.ts';
import type { ConsolePage } from '../deps.ts';
import { projectOf } from '../deps.ts';
import { projectPath, render } from '../render.ts';

export const registryPage: ConsolePage = (app, deps) => {
  app.get('/registry', async (request, reply) => {
    const project = projectOf(request);
    const conflicts = await registryConflicts(deps, project);
    const contactHref = (kind: string, id: string) => projectPath(project.id, 'contacts', kind, id);
    return render(deps.readModel, request, reply, 'registry', {
      title: 'Phone registry',
      nav: 'registry',
      conflicts,
      contactHref,
    });
  });
};
