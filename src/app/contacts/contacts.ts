// A contact as messaging sees it — number, e-mail, language, time zone, gateway — and its
// status with the reason in words: the one answer to "will it get messages, and if not, why".
import { checkEmail } from '../../domain/email.ts';
import { chooseGateway } from '../../domain/gateway-choice.ts';
import { checkNumber, type NumberCheck } from '../../domain/phone.ts';
import { phoneStatus, type Ownership, type PhoneStatus } from '../../domain/registry.ts';
import type { LinkedCase, TemplateContext } from '../../domain/template.ts';
import { effectiveTimeZone } from '../../domain/timezone.ts';
import type { CaseRecord, ContactKind, ContactRef, ProjectRecord, WorkerRecord } from '../ports/records.ts';
import type { Repos } from '../ports/store.ts';
import { ownershipOf } from '../registry/registry.ts';
import { effectiveSettings, type EffectiveSettings } from '../projects/settings.ts';
import { InputError } from '../../lib/input.ts';

export interface ContactView {
  ref: ContactRef;
  name: string | null;
  active: boolean;
  /** The default number: a case's contact_phone_number, a worker's first number. */
  number: NumberCheck;
  email: string | null;
  language: string | null;
  /** As stored; see effectiveTimeZone for the zone used. */
  timeZone: string | null;
  /** contact_backend_id: a gateway by name. */
  backend: string | null;
  template: TemplateContext;
  record: { kind: 'case'; case: CaseRecord } | { kind: 'mobile_worker'; worker: WorkerRecord };
}

const blankToNull = (value: string | null | undefined): string | null =>
  value && value.trim() !== '' ? value : null;

/** A linked case as templates read it; a deleted one counts as missing (SPEC 3.5). */
function linkedCase(record: CaseRecord | undefined): LinkedCase | null {
  if (!record || record.deleted) return null;
  return { name: record.name ?? blankToNull(record.properties.name), properties: record.properties };
}

function caseView(
  project: ProjectRecord,
  settings: EffectiveSettings,
  record: CaseRecord,
  owner: WorkerRecord | null,
  linkedCases: ReadonlyMap<string, CaseRecord>,
): ContactView {
  const props = record.properties;
  const number = checkNumber(props.contact_phone_number, settings.defaultCountry);
  const name = record.name ?? blankToNull(props.name);
  const link = (identifier: string) => {
    const target = record.indices?.[identifier]?.case_id;
    return target === undefined ? null : linkedCase(linkedCases.get(target));
  };
  return {
    ref: { projectId: project.id, kind: 'case', id: record.id },
    name,
    active: !record.closed && !record.deleted,
    number,
    email: blankToNull(props.commcare_email_address),
    language: blankToNull(props.language_code),
    timeZone: blankToNull(props.time_zone),
    backend: blankToNull(props.contact_backend_id),
    template: {
      case: {
        name,
        properties: props,
        ownerName: owner ? (owner.name ?? owner.username) : null,
        parent: link('parent'),
        host: link('host'),
      },
      recipient: {
        name,
        phoneNumber: number.kind === 'valid' ? number.number : null,
        firstName: blankToNull(props.first_name),
        lastName: blankToNull(props.last_name),
      },
    },
    record: { kind: 'case', case: record },
  };
}

function workerView(project: ProjectRecord, settings: EffectiveSettings, worker: WorkerRecord): ContactView {
  const number = checkNumber(worker.phoneNumbers[0], settings.defaultCountry);
  const name = worker.name ?? worker.username;
  return {
    ref: { projectId: project.id, kind: 'mobile_worker', id: worker.id },
    name,
    active: worker.active,
    number,
    email: blankToNull(worker.email),
    language: blankToNull(worker.language),
    timeZone: blankToNull(worker.timeZone),
    backend: null,
    template: {
      case: null,
      recipient: {
        name,
        phoneNumber: number.kind === 'valid' ? number.number : null,
        firstName: blankToNull(worker.firstName),
        lastName: blankToNull(worker.lastName),
      },
    },
    record: { kind: 'mobile_worker', worker },
  };
}

export async function loadContact(
  repos: Repos,
  project: ProjectRecord,
  kind: ContactKind,
  id: string,
): Promise<ContactView | null> {
  return (await loadContacts(repos, project, [{ kind, id }])).get(contactKeyOf(kind, id)) ?? null;
}

export const contactKeyOf = (kind: ContactKind, id: string): string => `${kind}:${id}`;

/** Many contacts of one project in a few queries, by `kind:id`; missing ones are absent. */
export async function loadContacts(
  repos: Repos,
  project: ProjectRecord,
  refs: readonly { kind: ContactKind; id: string }[],
): Promise<Map<string, ContactView>> {
  const settings = effectiveSettings(project.settings);
  const caseIds = [...new Set(refs.filter((r) => r.kind === 'case').map((r) => r.id))];
  const workerIds = [...new Set(refs.filter((r) => r.kind === 'mobile_worker').map((r) => r.id))];
  const [cases, workers] = await Promise.all([
    repos.cases.getMany(project.id, caseIds),
    repos.workers.getMany(project.id, workerIds),
  ]);
  const ownerIds = [...new Set(cases.map((c) => c.ownerId).filter((o): o is string => o !== null))];
  const linkedIds = [
    ...new Set(
      cases.flatMap((c) =>
        ['parent', 'host'].flatMap((identifier) => {
          const target = c.indices?.[identifier]?.case_id;
          return target === undefined ? [] : [target];
        }),
      ),
    ),
  ];
  const [ownerRecords, linkedRecords] = await Promise.all([
    repos.workers.getMany(project.id, ownerIds),
    linkedIds.length > 0 ? repos.cases.getMany(project.id, linkedIds) : Promise.resolve([]),
  ]);
  const owners = new Map(ownerRecords.map((w) => [w.id, w]));
  const linkedCases = new Map(linkedRecords.map((c) => [c.id, c]));
  const views = new Map<string, ContactView>();
  for (const record of cases)
    views.set(
      contactKeyOf('case', record.id),
      caseView(
        project,
        settings,
        record,
        record.ownerId ? (owners.get(record.ownerId) ?? null) : null,
        linkedCases,
      ),
    );
  for (const worker of workers)
    views.set(contactKeyOf('mobile_worker', worker.id), workerView(project, settings, worker));
  return views;
}

export async function requireContact(
  repos: Repos,
  project: ProjectRecord,
  kind: ContactKind,
  id: string,
  field: string,
): Promise<ContactView> {
  const contact = await loadContact(repos, project, kind, id);
  if (!contact)
    throw new InputError(
      field,
      `no ${kind === 'case' ? 'case' : 'mobile worker'} '${id}' in project '${project.id}'`,
    );
  return contact;
}

/** Ownership of the contact's default number, or nobody when it has no valid number. */
export async function contactOwnership(repos: Repos, contact: ContactView): Promise<Ownership> {
  return contact.number.kind === 'valid'
    ? ownershipOf(repos, contact.ref, contact.number.number)
    : { by: 'nobody' };
}

export interface ContactStatus {
  /** Whether an SMS sent now would be queued: a usable number and a gateway for it. */
  gets_sms: boolean;
  phone_status: PhoneStatus;
  /** The number has opted out: no SMS goes to it, whatever its phone status. */
  opted_out: boolean;
  /** The phone status in words, with what to do about it. */
  reason: string;
  phone_number: string | null;
  time_zone: string;
  language: string | null;
  email: string | null;
  /** Where SMS would go, or why no gateway fits. */
  gateway: { id: string; rule: string } | { error: string; reason: string } | null;
  warnings: string[];
}

/** SPEC 2.4 and the (beyond) "why": the same rules the sender uses. */
export async function contactStatus(
  repos: Repos,
  project: ProjectRecord,
  kind: ContactKind,
  id: string,
  field = 'id',
): Promise<ContactStatus> {
  const settings = effectiveSettings(project.settings);
  const contact = await requireContact(repos, project, kind, id, field);
  const ownership = await contactOwnership(repos, contact);
  const status = phoneStatus({
    active: contact.active,
    number: contact.number,
    ownership,
    sharedNumbers: settings.sharedNumbers,
  });
  const zone = effectiveTimeZone(contact.timeZone, settings.timeZone);
  const warnings = zone.warning ? [zone.warning] : [];
  const email = checkEmail(contact.email);
  if (email.kind === 'invalid') warnings.push(`e-mail "${contact.email ?? ''}" is invalid: ${email.reason}`);
  let gateway: ContactStatus['gateway'] = null;
  if (contact.number.kind === 'valid') {
    const choice = chooseGateway(
      project.id,
      contact.number.number,
      contact.backend,
      await repos.gateways.visibleTo(project.id),
    );
    gateway = choice.ok
      ? { id: choice.gateway.id, rule: choice.rule }
      : { error: choice.error, reason: choice.reason };
  }
  const usable =
    ['TWO_WAY', 'PENDING_VERIFICATION', 'ONE_WAY'].includes(status.status) ||
    (status.status === 'PHONE_NUMBER_IN_USE' && settings.sharedNumbers === 'one_way');
  // The sender checks opt-outs after the number (SPEC 3.3 step 3): a usable number that opted
  // out still gets nothing, and the reason has to say so.
  const optOut =
    usable && contact.number.kind === 'valid' ? await repos.optOuts.get(contact.number.number) : null;
  const optedOut = optOut?.optedOut ?? false;
  const reason = optedOut
    ? `${status.reason} But the number has opted out (PHONE_NUMBER_OPTED_OUT): no SMS goes to it ${optOut?.canOptIn === false ? 'and it may not opt in again' : 'until it texts an opt-in keyword'}.`
    : status.reason;
  return {
    gets_sms: usable && !optedOut && gateway !== null && 'id' in gateway,
    phone_status: status.status,
    opted_out: optedOut,
    reason,
    phone_number: contact.number.kind === 'valid' ? contact.number.number : null,
    time_zone: zone.zone,
    language: contact.language,
    email: email.kind === 'valid' ? email.address : null,
    gateway,
    warnings,
  };
}
