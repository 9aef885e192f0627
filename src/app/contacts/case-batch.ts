// Upserting many cases at once (the API's batch, CommCare forwarding, the CSV/XLSX import):
// every item checked first, then all good items applied in one transaction through
// upsertCase's own applyCaseUpdate, over repositories that read and write the batch in bulk
// (batch-repos.ts). A bad item is reported by index and field, and nothing of it is applied.
import type { Static } from 'typebox';
import type { Deps } from '../ports/deps.ts';
import { applyCaseUpdate } from './cases.ts';
import type { CaseRecord } from '../ports/records.ts';
import { requireProject } from '../projects/projects.ts';
import { caseBatchRepos } from './batch-repos.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { CaseBody } from './schemas.ts';
import { Id, withFields } from '../../lib/schema.ts';
import { InputError, parseInput } from '../../lib/input.ts';

/** One case of a batch: its id and the fields of a case upsert. */
export const CaseItem = withFields({ id: Id }, CaseBody);
export type CaseItem = Static<typeof CaseItem>;

/** An item as parsed: ready to apply, or the reason it cannot be. */
export type CaseEntry = { ok: true; item: CaseItem } | { ok: false; id: string | null; error: InputError };

export type CaseItemResult =
  | { index: number; id: string; status: 'created' | 'updated'; case: CaseRecord }
  | { index: number; id: string; status: 'ignored'; reason: string; case: CaseRecord }
  | { index: number; id: string | null; status: 'error'; error: { field: string; message: string } };

export interface CaseBatchResult {
  results: CaseItemResult[];
  counts: { created: number; updated: number; ignored: number; errors: number };
}

/** Checks each raw item against CaseItem; errors name `<field>[index].<path>`. */
export function parseCaseItems(raw: readonly unknown[], field = 'cases'): CaseEntry[] {
  return raw.map((value, index) => {
    try {
      return { ok: true, item: parseInput(CaseItem, value, `${field}[${index}]`) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const id =
        typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string'
          ? (value as { id: string }).id
          : null;
      return { ok: false, id, error };
    }
  });
}

/** Applies the good entries in order in one transaction; duplicates of an id apply in turn. */
export async function upsertCases(
  deps: Deps,
  projectId: string,
  entries: readonly CaseEntry[],
): Promise<CaseBatchResult> {
  const now = deps.clock.now();
  const results = await deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const items = entries.flatMap((entry) => (entry.ok ? [entry.item] : []));
    const batch = await caseBatchRepos(tx, project, items, effectiveSettings(project.settings));
    const out: CaseItemResult[] = [];
    for (const [index, entry] of entries.entries()) {
      if (!entry.ok) {
        out.push({
          index,
          id: entry.id,
          status: 'error',
          error: { field: entry.error.field, message: entry.error.message },
        });
        continue;
      }
      out.push({
        index,
        id: entry.item.id,
        ...(await applyCaseUpdate(batch.repos, project, { ...entry.item, project: project.id }, now)),
      });
    }
    await batch.flush(now);
    return out;
  });
  const counts = { created: 0, updated: 0, ignored: 0, errors: 0 };
  for (const result of results) {
    if (result.status === 'error') counts.errors += 1;
    else counts[result.status] += 1;
  }
  return { results, counts };
}
