// Self-registration by SMS (SPEC 5 step 5): `JOIN <project>` registers a case of the project's
// registration type, `JOIN <project> WORKER [username]` a mobile worker; either owns the number
// two-way at once.
import type { Join } from '../../domain/commands.ts';
import { applyCaseUpdate } from '../contacts/cases.ts';
import type { ContactKind, GatewayRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { contactKey, ownerOf, syncWorkerEntries } from '../registry/registry.ts';
import { queueReply } from '../sending/replies.ts';
import { effectiveSettings } from '../projects/settings.ts';
import { systemText } from '../projects/texts.ts';

export async function register(
  tx: Repos,
  join: Join,
  number: string,
  gateway: GatewayRecord,
  inboundId: number,
  now: number,
  /** Whether the project may use the gateway the JOIN arrived on (SPEC 5 step 1). */
  mayUse: (projectId: string) => boolean,
): Promise<{ projectId: string; contact: { kind: ContactKind; id: string } } | null> {
  const project =
    (await tx.projects.get(join.project)) ?? (await tx.projects.get(join.project.toLowerCase()));
  if (!project || !mayUse(project.id)) return null;
  const settings = effectiveSettings(project.settings);
  let contact: { kind: ContactKind; id: string };
  if (!join.worker) {
    if (!settings.allowCaseRegistration) return null;
    const id = `sms-${number}`;
    await applyCaseUpdate(
      tx,
      project,
      {
        project: project.id,
        id,
        type: settings.registrationCaseType,
        name: `+${number}`,
        closed: false,
        deleted: false,
        properties: { contact_phone_number: number, contact_phone_number_is_verified: '1' },
      },
      now,
    );
    contact = { kind: 'case', id };
  } else {
    if (!settings.allowWorkerRegistration) return null;
    const id = join.username ?? `sms-${number}`;
    const ref = { projectId: project.id, kind: 'mobile_worker' as const, id };
    await tx.lock([contactKey(ref)]);
    const current = await tx.workers.get(project.id, id);
    if (current && current.active) return null;
    const record = {
      projectId: project.id,
      id,
      username: join.username,
      name: join.username ?? `+${number}`,
      phoneNumbers: [number],
      email: null,
      language: null,
      timeZone: null,
      active: true,
    };
    await tx.workers.put(record, now);
    await syncWorkerEntries(tx, record, settings, now);
    // Registering by SMS proves the phone: the worker owns the number two-way.
    const owner = await ownerOf(tx, number);
    const own = (await tx.phones.forContact(ref)).find((entry) => entry.number === number);
    if (own && !owner) await tx.phones.update(own.id, { state: 'two_way', claimedAt: now }, now);
    contact = { kind: 'mobile_worker', id };
  }
  await queueReply(
    tx,
    { projectId: project.id, contact, number, gatewayId: gateway.id, inboundId, settings },
    systemText(settings, 'registration_welcome', null),
    now,
  );
  return { projectId: project.id, contact };
}
