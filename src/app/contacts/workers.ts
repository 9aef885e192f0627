// Upserting a mobile worker: its registry entries follow its list of numbers.
import type { Deps } from '../ports/deps.ts';
import type { WorkerRecord } from '../ports/records.ts';
import { requireProject } from '../projects/projects.ts';
import { contactKey, syncWorkerEntries } from '../registry/registry.ts';
import type { MobileWorkerBody } from './schemas.ts';
import { effectiveSettings } from '../projects/settings.ts';

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
