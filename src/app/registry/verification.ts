// Verifying a mobile worker's number by SMS (SPEC 2.3).
import { chooseGateway } from '../../domain/gateway-choice.ts';
import { checkNumber } from '../../domain/phone.ts';
import {
  ownsNumber,
  VERIFICATION_LIFETIME_MS,
  verificationResult,
  type VerificationResult,
} from '../../domain/registry.ts';
import type { Deps } from '../ports/deps.ts';
import { enqueue } from '../sending/outbox.ts';
import type { PhoneEntry, WorkerRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { requireProject } from '../projects/projects.ts';
import { contactKey, numberKey, workerNumbers } from './registry.ts';
import { effectiveSettings, type EffectiveSettings } from '../projects/settings.ts';
import { systemText } from '../projects/texts.ts';
import { InputError } from '../../lib/input.ts';

export interface VerifyInput {
  project: string;
  mobile_worker: string;
  number: string;
}

export interface VerifyOutcome {
  result: VerificationResult;
  /** The verification message's event, when one was sent. */
  eventId: number | null;
}

export async function startVerification(deps: Deps, input: VerifyInput): Promise<VerifyOutcome> {
  const now = deps.clock.now();
  return deps.store.transaction(async (tx) => {
    const project = await requireProject(tx, input.project);
    const settings = effectiveSettings(project.settings);
    const ref = { projectId: project.id, kind: 'mobile_worker' as const, id: input.mobile_worker };
    await tx.lock([contactKey(ref)]);
    const worker = await tx.workers.get(project.id, input.mobile_worker);
    if (!worker)
      throw new InputError(
        'mobile_worker',
        `no mobile worker '${input.mobile_worker}' in project '${project.id}'`,
      );
    if (!worker.active) throw new InputError('mobile_worker', `mobile worker '${worker.id}' is inactive`);
    const check = checkNumber(input.number, settings.defaultCountry);
    if (check.kind !== 'valid' || !workerNumbers(worker, settings).includes(check.number)) {
      throw new InputError(
        'number',
        `"${input.number}" is not one of mobile worker '${worker.id}''s valid phone numbers`,
      );
    }
    const number = check.number;
    await tx.lock([numberKey(number)]);
    const entries = await tx.phones.forNumber(number);
    const own = entries.find(
      (e) => e.projectId === project.id && e.contactKind === 'mobile_worker' && e.contactId === worker.id,
    );
    const ownedByAnother = entries.some((e) => e !== own && ownsNumber(e.state));
    const result = verificationResult(own?.state ?? null, ownedByAnother);
    if (result === 'ALREADY_IN_USE' || result === 'ALREADY_VERIFIED' || !own)
      return { result, eventId: null };
    if (result === 'WORKFLOW_STARTED') {
      await tx.phones.update(
        own.id,
        { state: 'pending', claimedAt: now, verificationExpiresAt: now + VERIFICATION_LIFETIME_MS },
        now,
      );
    }
    const eventId = await sendVerificationRequest(tx, worker, own, settings, now);
    return { result, eventId };
  });
}

async function sendVerificationRequest(
  tx: Repos,
  worker: WorkerRecord,
  entry: PhoneEntry,
  settings: EffectiveSettings,
  now: number,
): Promise<number> {
  const text = systemText(settings, 'verification_request', worker.language, {
    name: worker.name ?? worker.username ?? worker.id,
    code: settings.verificationCode,
  });
  const eventId = await tx.events.create(
    {
      projectId: worker.projectId,
      source: 'verification',
      sourceId: null,
      channel: 'sms',
      content: { text },
    },
    now,
  );
  const base = {
    eventId,
    projectId: worker.projectId,
    recipientKind: 'mobile_worker' as const,
    recipientId: worker.id,
  };
  const choice = chooseGateway(
    worker.projectId,
    entry.number,
    null,
    await tx.gateways.visibleTo(worker.projectId),
  );
  if (!choice.ok) {
    await tx.events.addSubEvent(
      { ...base, status: 'error', errorCode: choice.error, errorText: choice.reason },
      now,
    );
  } else {
    const subEventId = await tx.events.addSubEvent(
      { ...base, status: 'in_progress', errorCode: null, errorText: null },
      now,
    );
    await enqueue(
      tx,
      {
        projectId: worker.projectId,
        eventId,
        subEventId,
        channel: 'sms',
        contact: { kind: 'mobile_worker', id: worker.id },
        to: entry.number,
        gatewayId: choice.gateway.id,
        subject: null,
        text,
        kind: 'message',
        replyTo: null,
        normalize: settings.normalizeText,
      },
      now,
    );
  }
  await tx.events.refreshStatus(eventId, now);
  return eventId;
}
