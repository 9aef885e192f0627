// CommCare HQ's case data forwarding (shared/reference/commcare-forwarding.md): the JSON a
// "Forward Cases" forwarder posts (one case, the v1 shape), mapped onto a case upsert. The
// v2 shape (case_type, case_name, owner_id at the top level) is accepted too (§1b).
import Type from 'typebox';
import type { CaseEntry, CaseItem } from './case-batch.ts';
import { parseCaseItems } from './case-batch.ts';
import { Id, inYearRange, MAX_TEXT_LENGTH, MAX_YEAR, MIN_YEAR } from '../../lib/schema.ts';
import type { CaseIndex } from '../../domain/case-index.ts';
import { InputError, parseInput, prefixPath } from '../../lib/input.ts';

const NullableString = Type.Union([Type.String({ maxLength: MAX_TEXT_LENGTH }), Type.Null()]);

/**
 * What we need of a forwarded case; everything else (xform_ids, attachments, user_id, ...) is
 * ignored, as the reference advises (§6.1).
 */
export const CommCareCase = Type.Object(
  {
    case_id: Id,
    domain: Type.Optional(NullableString),
    closed: Type.Optional(Type.Boolean()),
    /** Not sent by HQ (deletions are not forwarded, §2); honoured when a custom forwarder sends it. */
    deleted: Type.Optional(Type.Boolean()),
    server_date_modified: Type.Optional(NullableString),
    /** v2 name of server_date_modified. */
    server_last_modified: Type.Optional(NullableString),
    case_type: Type.Optional(NullableString),
    case_name: Type.Optional(NullableString),
    owner_id: Type.Optional(NullableString),
    properties: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    indices: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: "A case as CommCare HQ's JSON case forwarder sends it; unknown fields are ignored." },
);

/** `properties` keys that are case fields, not case properties. */
const SPECIAL = new Set(['case_type', 'case_name', 'owner_id']);

/** Where the CaseItem field of a mapped case came from, for error messages. */
const SOURCE_FIELD: Record<string, string> = {
  id: 'case_id',
  type: 'properties.case_type',
  name: 'properties.case_name',
  owner: 'properties.owner_id',
};

const DATE = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * HQ's dates: ISO 8601 with 0 to 6 fractional digits, with or without `Z`; all UTC (§1a).
 * Returns a canonical instant (milliseconds), or null when the text is not such a date.
 */
export function parseCommCareDate(text: string): string | null {
  const match = DATE.exec(text.trim());
  if (!match) return null;
  const [, date, time, fraction, zone] = match;
  const millis = (fraction ?? '').slice(0, 3).padEnd(3, '0');
  const ms = Date.parse(`${date}T${time?.length === 5 ? `${time}:00` : time}.${millis}${zone ?? 'Z'}`);
  // SPEC 7 Bounds: the API's dates lie in the years 1900…2200.
  return Number.isNaN(ms) || !inYearRange(new Date(ms).getUTCFullYear()) ? null : new Date(ms).toISOString();
}

function propertyValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** One forwarded case as a case upsert; throws an InputError naming the payload's field. */
export function mapCommCareCase(value: unknown, headerModifiedOn: string | undefined, prefix = ''): CaseItem {
  const payload = parseInput(CommCareCase, value, prefix);
  const given = payload.properties ?? {};
  const text = (key: string): string | null => propertyValue(given[key]);
  const properties: Record<string, string | null> = {};
  for (const [key, raw] of Object.entries(given)) {
    if (!SPECIAL.has(key)) properties[key] = propertyValue(raw);
  }
  // CommCare sends each live index {case_type, case_id, relationship}; an empty case_id is an
  // index removed on its side, so it removes ours.
  const indices: Record<string, CaseIndex | null> = {};
  for (const [identifier, index] of Object.entries(payload.indices ?? {})) {
    const fields = typeof index === 'object' && index !== null ? (index as Record<string, unknown>) : {};
    const target = propertyValue(fields.case_id);
    const relationship = fields.relationship;
    indices[identifier] =
      target === null || target === ''
        ? null
        : {
            case_type: propertyValue(fields.case_type) ?? '',
            case_id: target,
            ...(relationship === 'child' || relationship === 'extension' ? { relationship } : {}),
          };
  }
  const type = text('case_type') ?? payload.case_type ?? null;
  const name = text('case_name') ?? payload.case_name ?? null;
  const owner = text('owner_id') ?? payload.owner_id ?? null;
  const modifiedField =
    payload.server_date_modified != null ? 'server_date_modified' : 'server_last_modified';
  const modifiedText =
    payload.server_date_modified ?? payload.server_last_modified ?? headerModifiedOn ?? null;
  let modifiedOn: string | undefined;
  if (modifiedText !== null && modifiedText !== '') {
    const parsed = parseCommCareDate(modifiedText);
    if (parsed === null)
      throw new InputError(
        prefixPath(prefix, modifiedField),
        `"${modifiedText}" is not an ISO 8601 date and time in the years ${MIN_YEAR} to ${MAX_YEAR}`,
      );
    modifiedOn = parsed;
  }
  return {
    id: payload.case_id,
    ...(type !== null && type !== '' ? { type } : {}),
    ...(name !== null ? { name } : {}),
    ...(owner !== null ? { owner } : {}),
    ...(payload.closed !== undefined ? { closed: payload.closed } : {}),
    ...(payload.deleted !== undefined ? { deleted: payload.deleted } : {}),
    properties,
    ...(Object.keys(indices).length > 0 ? { indices } : {}),
    ...(modifiedOn !== undefined ? { server_modified_on: modifiedOn } : {}),
  };
}

/**
 * A forwarding body — one case, or a list of them — as batch entries. Field names in errors
 * are the payload's own (`case_id`, `properties.case_type`, `[2].case_id` in a list).
 */
export function parseCommCareCases(
  body: unknown,
  headerModifiedOn?: string,
): { list: boolean; entries: CaseEntry[] } {
  const list = Array.isArray(body);
  const items: unknown[] = list ? body : [body];
  if (items.length === 0) throw new InputError('', 'is an empty list: send a case or a list of cases');
  const entries = items.map((value, index): CaseEntry => {
    const prefix = list ? `[${index}]` : '';
    const id =
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { case_id?: unknown }).case_id === 'string'
        ? (value as { case_id: string }).case_id
        : null;
    try {
      const mapped = mapCommCareCase(value, headerModifiedOn, prefix);
      const [entry] = parseCaseItems([mapped]);
      if (entry && !entry.ok) {
        const field = entry.error.field.replace(/^cases\[0\]\.?/, '');
        const head = /^[a-z_]+/.exec(field)?.[0] ?? '';
        const source = SOURCE_FIELD[head];
        const renamed = source !== undefined ? source + field.slice(head.length) : field;
        throw new InputError(prefixPath(prefix, renamed), entry.error.message);
      }
      return entry ?? { ok: false, id, error: new InputError(prefix, 'is not a case') };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      return { ok: false, id, error };
    }
  });
  return { list, entries };
}
