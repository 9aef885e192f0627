// Upserting a mobile worker: its registry entries follow its list of numbers.
import type { Deps } from '../ports/deps.ts';
import type { WorkerRecord } from '../ports/records.ts';
import { requireProject } from '../projects/projects.ts';
import { contactKey, syncWorkerEntries } from '../registry/registry.ts';
import type { MobileWorkerBody } from './schemas.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { phoneKey } from '../../domain/phone.ts';
import { notFound } from '../errors.ts';

export interface WorkerUpsert extends MobileWorkerBody {
  project: string;
  id: string;
}

/** Creates or updates a mobile worker; given fields replace the stored ones (null clears). */
export async function upsertMobileWorker(
  deps: Deps,
  input: WorkerUpsert,
): Promise<{ status: 'created' | 'updated'; worker: WorkerRecord }> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, input.project);
    await tx.lock([contactKey({ projectId: project.id, kind: 'mobile_worker', id: input.id })]);
    const current = await tx.workers.get(project.id, input.id);
    const pick = <T>(given: T | undefined, stored: T | null | undefined): T | null =>
      given !== undefined ? given : (stored ?? null);
    const record: WorkerRecord = {
      projectId: project.id,
      id: input.id,
      username: pick(input.username, current?.username),
      name: pick(input.name, current?.name),
      firstName: pick(input.first_name, current?.firstName),
      lastName: pick(input.last_name, current?.lastName),
      phoneNumbers: input.phone_numbers ?? current?.phoneNumbers ?? [],
      email: pick(input.email, current?.email),
      language: pick(input.language, current?.language),
      timeZone: pick(input.time_zone, current?.timeZone),
      active: input.active ?? current?.active ?? true,
    };
    await tx.workers.put(record, now);
    await syncWorkerEntries(tx, record, effectiveSettings(project.settings), now);
    return { status: current ? 'updated' : 'created', worker: record };
  });
}

/**
 * Removes one of a mobile worker's numbers (`replacement` null) or changes it in place
 * (SPEC 2.2: the registry follows — a removed or changed number is released, the new one
 * starts one-way). The number is matched as SPEC 2.1 reads it, so `+254 712…` finds `0712…`.
 */
export async function changeWorkerNumber(
  deps: Deps,
  projectId: string,
  id: string,
  number: string,
  replacement: string | null,
): Promise<WorkerRecord> {
  const project = await requireProject(deps.store, projectId);
  const worker = await deps.store.workers.get(project.id, id);
  if (!worker) throw notFound(`no mobile worker '${id}' in project '${project.id}'`);
  const country = effectiveSettings(project.settings).defaultCountry;
  const key = phoneKey(number, country);
  const at = worker.phoneNumbers.findIndex((n) => n === number || phoneKey(n, country) === key);
  if (at < 0) throw notFound(`mobile worker '${id}' has no number ${number}`);
  const phoneNumbers = [...worker.phoneNumbers];
  if (replacement === null) phoneNumbers.splice(at, 1);
  else phoneNumbers[at] = replacement;
  return (await upsertMobileWorker(deps, { project: project.id, id, phone_numbers: phoneNumbers })).worker;
}
