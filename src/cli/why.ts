// `caseline why`: a contact's messaging status in words.
import { contactStatus, type ContactStatus } from '../app/contacts/contacts.ts';
import type { ContactKind } from '../app/ports/records.ts';
import type { Store } from '../app/ports/store.ts';
import { requireProject } from '../app/projects/projects.ts';
import { InputError } from '../lib/input.ts';

export async function explainContact(
  store: Store,
  projectId: string,
  contact: string,
  json: boolean,
): Promise<string> {
  const project = await requireProject(store, projectId);
  const match = /^(case|mobile_worker):(.+)$/.exec(contact);
  const kinds: ContactKind[] = match ? [match[1] as ContactKind] : ['case', 'mobile_worker'];
  const id = match?.[2] ?? contact;
  for (const kind of kinds) {
    const found =
      kind === 'case' ? await store.cases.get(project.id, id) : await store.workers.get(project.id, id);
    if (!found) continue;
    const status = await contactStatus(store, project, kind, id);
    return json ? JSON.stringify({ kind, id, ...status }, null, 2) : describe(kind, id, status);
  }
  throw new InputError('contact', `no case or mobile worker '${id}' in project '${project.id}'`);
}

function describe(kind: ContactKind, id: string, status: ContactStatus): string {
  const lines = [
    `${kind === 'case' ? 'case' : 'mobile worker'} ${id}: ${status.phone_status}${status.opted_out ? ' (opted out)' : ''} — ${status.gets_sms ? 'gets SMS' : 'gets no SMS'}`,
    `  ${status.reason}`,
    `  number: ${status.phone_number ? `+${status.phone_number}` : '(none)'}`,
    `  gateway: ${status.gateway === null ? '(no number)' : 'id' in status.gateway ? `${status.gateway.id} (${status.gateway.rule})` : `${status.gateway.error}: ${status.gateway.reason}`}`,
    `  time zone: ${status.time_zone}`,
    `  language: ${status.language ?? '(not set)'}`,
    `  e-mail: ${status.email ?? '(none)'}`,
    ...status.warnings.map((w) => `  warning: ${w}`),
  ];
  return lines.join('\n');
}
