// What the list routes of configuration objects share (SPEC 7 "Every object's whole life"):
// `?cursor=&limit=` plus each list's filters, answered as `{"<plural>": [...], "next_cursor"}`,
// and the PATCH that merges a partial body into the stored one before the full schema checks it.
import Type from 'typebox';
import type { TProperties } from 'typebox';
import { Cursor, DEFAULT_PAGE, Limit } from '../common.ts';

/** The query of a list: cursor, limit and the list's own filters. */
export function ListQuery<P extends TProperties>(filters: P) {
  return Type.Object({ cursor: Cursor, limit: Limit, ...filters }, { additionalProperties: false });
}

/** A yes/no filter (`?active=false`). */
export const BooleanFilter = Type.Optional(Type.Boolean({ description: 'true or false' }));

/** The page a list query asks for. */
export const pageOf = (query: { cursor?: string; limit?: number }) => ({
  cursor: query.cursor,
  limit: query.limit ?? DEFAULT_PAGE,
});

/** A PATCH: the given fields replace the stored ones; absent ones are kept. */
export function merged<T extends object>(current: T, patch: Partial<T>): T {
  const result: Record<string, unknown> = { ...(current as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) result[key] = value;
  return result as T;
}

export const PATCH_DESCRIPTION =
  'Each given field replaces the stored one (a given object such as `schedule` replaces it whole); absent fields are kept. The result is checked like a full PUT.';
