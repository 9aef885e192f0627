// Time-zone resolution for a contact (SPEC 2.4).
import { IANAZone } from 'luxon';

/** An IANA zone name the runtime knows ('America/New_York', 'UTC'); blank is not one. */
export function isValidTimeZone(zone: string | null | undefined): boolean {
  const name = zone?.trim() ?? '';
  return name !== '' && IANAZone.isValidZone(name);
}

/** The contact's zone if valid, else the project's, else UTC; a non-blank invalid contact zone warns. */
export function effectiveTimeZone(
  contactZone: string | null | undefined,
  projectZone: string | null | undefined,
): { zone: string; warning: string | null } {
  const contact = contactZone?.trim() ?? '';
  if (isValidTimeZone(contact)) return { zone: contact, warning: null };
  const project = projectZone?.trim() ?? '';
  const zone = isValidTimeZone(project) ? project : 'UTC';
  const warning = contact === '' ? null : `time_zone "${contact}" is not an IANA time zone; using ${zone}`;
  return { zone, warning };
}
