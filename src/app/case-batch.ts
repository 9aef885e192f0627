// Upserting many cases at once (the API's batch, CommCare forwarding, the CSV/XLSX import):
// every item checked first, then all good items applied in one transaction with the same
// rules as upsertCase. A bad item is reported by index and field, and nothing of it is applied.
import type { Static } from 'typebox';
import type { Deps } from './deps.ts';
import type { CaseRecord, ProjectRecord, Repos } from './ports.ts';
import { requireProject } from './projects.ts';
import { contactKey, syncCaseEntries } from './registry.ts';
import { CaseBody, Id, withFields } from './schemas.ts';
import { effectiveSettings, type EffectiveSettings } from './settings.ts';
import { InputError, parseInput } from './validation.ts';

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
      const id = typeof value === 'object' && value !== null && typeof (value as { id?: unknown }).id === 'string' ? (value as { id: string }).id : null;
      return { ok: false, id, error };
    }
  });
}

/** Applies the good entries in order in one transaction; duplicates of an id apply in turn. */
export async function upsertCases(deps: Deps, projectId: string, entries: readonly CaseEntry[]): Promise<CaseBatchResult> {
  const now = deps.clock.now();
  const results = await deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, projectId);
    const settings = effectiveSettings(project.settings);
    const ids = entries.flatMap((entry) => (entry.ok ? [entry.item.id] : []));
    await tx.lock([...new Set(ids)].map((id) => contactKey({ projectId: project.id, kind: 'case', id })));
    const out: CaseItemResult[] = [];
    for (const [index, entry] of entries.entries()) {
      if (!entry.ok) {
        out.push({ index, id: entry.id, status: 'error', error: { field: entry.error.field, message: entry.error.message } });
        continue;
      }
      out.push({ index, ...(await applyCase(tx, project, settings, entry.item, now)) });
    }
    return out;
  });
  const counts = { created: 0, updated: 0, ignored: 0, errors: 0 };
  for (const result of results) {
    if (result.status === 'error') counts.errors += 1;
    else counts[result.status] += 1;
  }
  return { results, counts };
}

type Applied =
  | { id: string; status: 'created' | 'updated'; case: CaseRecord }
  | { id: string; status: 'ignored'; reason: string; case: CaseRecord };

/** upsertCase's rules inside the caller's transaction (the contact's lock already held). */
async function applyCase(tx: Repos, project: ProjectRecord, settings: EffectiveSettings, input: CaseItem, now: number): Promise<Applied> {
  const modifiedOn = input.server_modified_on === undefined ? now : Date.parse(input.server_modified_on);
  const current = await tx.cases.get(project.id, input.id);
  if (current && modifiedOn < current.serverModifiedOn) {
    const reason = `update modified on ${new Date(modifiedOn).toISOString()} is older than the applied ${new Date(current.serverModifiedOn).toISOString()}`;
    return { id: input.id, status: 'ignored', reason, case: current };
  }
  const properties = { ...(current?.properties ?? {}) };
  for (const [key, value] of Object.entries(input.properties ?? {})) {
    if (value === null) delete properties[key];
    else properties[key] = value;
  }
  const record: CaseRecord = {
    projectId: project.id,
    id: input.id,
    type: input.type ?? current?.type ?? 'patient',
    name: input.name !== undefined ? input.name : (current?.name ?? null),
    ownerId: input.owner !== undefined ? input.owner : (current?.ownerId ?? null),
    closed: input.closed ?? current?.closed ?? false,
    deleted: input.deleted ?? current?.deleted ?? false,
    properties,
    serverModifiedOn: modifiedOn,
  };
  await tx.cases.put(record, now);
  await syncCaseEntries(tx, record, settings, now);
  return { id: input.id, status: current ? 'updated' : 'created', case: record };
}
