// Project keywords (SPEC 5): one word, unique per project regardless of case.
import type { Deps } from '../ports/deps.ts';
import type { KeywordRecord } from '../ports/inbound-repos.ts';
import { requireProject } from '../projects/projects.ts';
import type { KeywordBody } from '../../domain/definitions.ts';
import { InputError } from '../../lib/input.ts';

export async function putKeyword(
  deps: Deps,
  projectId: string,
  keyword: string,
  definition: KeywordBody,
): Promise<KeywordRecord> {
  const word = keyword.trim();
  if (!/^\S+$/.test(word) || word.startsWith('#'))
    throw new InputError('keyword', 'a keyword is one word, not starting with #');
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    if (
      definition.action === 'survey' &&
      definition.survey &&
      !(await tx.surveys.get(project.id, definition.survey))
    ) {
      throw new InputError('survey', `no survey '${definition.survey}' in project '${project.id}'`);
    }
    const record = { projectId: project.id, keyword: word, definition };
    await tx.keywords.put(record, now);
    return record;
  });
}

/** Deletes a keyword (any case); false when the project has none such. Nothing else names keywords. */
export async function deleteKeyword(deps: Deps, projectId: string, keyword: string): Promise<boolean> {
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    return tx.removals.keyword(project.id, keyword);
  });
}
