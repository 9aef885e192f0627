// Upserting a case: the staleness guard, merged properties, and the registry in step.
import { evaluateAlertsForCase } from '../scheduling/alerts.ts';
import type { Deps } from '../ports/deps.ts';
import type { CaseRecord, ProjectRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { contactKey, syncCaseEntries } from '../registry/registry.ts';
import type { CaseBody } from './schemas.ts';
import { mergeIndices } from '../../domain/case-index.ts';
import { effectiveSettings } from '../projects/settings.ts';

export interface CaseUpsert extends CaseBody {
  project: string;
  id: string;
}

export type UpsertOutcome =
  | { status: 'created' | 'updated'; case: CaseRecord }
  | { status: 'ignored'; reason: string; case: CaseRecord };

/**
 * Applies one case update. Given properties are merged (null removes one). An update
 * strictly older than the last applied one is ignored; an equal time is applied (SPEC 2.2).
 */
export async function upsertCase(deps: Deps, input: CaseUpsert): Promise<UpsertOutcome> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, input.project);
    return applyCaseUpdate(tx, project, input, now);
  });
}

/** The body of upsertCase inside the caller's transaction (batches, surveys, registration). */
export async function applyCaseUpdate(
  tx: Repos,
  project: ProjectRecord,
  input: CaseUpsert,
  now: number,
): Promise<UpsertOutcome> {
  const modifiedOn = input.server_modified_on === undefined ? now : Date.parse(input.server_modified_on);
  await tx.lock([contactKey({ projectId: project.id, kind: 'case', id: input.id })]);
  const current = await tx.cases.get(project.id, input.id);
  if (current && modifiedOn < current.serverModifiedOn) {
    const reason = `update modified on ${new Date(modifiedOn).toISOString()} is older than the applied ${new Date(current.serverModifiedOn).toISOString()}`;
    return { status: 'ignored', reason, case: current };
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
    indices: mergeIndices(current?.indices ?? {}, input.indices),
  };
  await tx.cases.put(record, now);
  await syncCaseEntries(tx, record, effectiveSettings(project.settings), now);
  await evaluateAlertsForCase(tx, project, record, current?.type ?? null, now);
  return { status: current ? 'updated' : 'created', case: record };
}
