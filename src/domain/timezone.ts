// Time-zone resolution for a contact (SPEC 2.4).
import { IANAZone } from 'luxon';

// Luxon checks a zone by building an Intl.DateTimeFormat each time, which was 18 % of the CPU
// of processing an alert over many cases; the answers are kept (zone names are few; the
// memory is bounded in case input holds many distinct invalid ones).
const validity = new Map<string, boolean>();
const VALIDITY_CACHE_SIZE = 2000;

/** An IANA zone name the runtime knows ('America/New_York', 'UTC'); blank is not one. */
export function isValidTimeZone(zone: string | null | undefined): boolean {
  const name = zone?.trim() ?? '';
  if (name === '') return false;
  let valid = validity.get(name);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(name);
    if (validity.size >= VALIDITY_CACHE_SIZE) validity.clear();
    validity.set(name, valid);
  }
  return valid;
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
