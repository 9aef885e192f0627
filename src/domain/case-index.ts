// Case relations (SPEC 2): a case's `indices`, in the shape CommCare's case forwarding sends —
// identifier → {case_type, case_id, relationship}. Templates follow `parent` and `host` (3.5);
// alerts send to the `parent` case and to the open cases whose parent it is (4.2).
import Type from 'typebox';
import type { Static } from 'typebox';
import { Id, MAX_ID_LENGTH, Strict } from '../lib/schema.ts';

/** One link to another case of the same project; a case that does not exist (yet) resolves to nothing. */
export const CaseIndex = Strict({
  case_type: Id,
  case_id: Id,
  /** `child` (the default in CommCare) or `extension` (a `host` link). */
  relationship: Type.Optional(Type.Enum(['child', 'extension'])),
});
export type CaseIndex = Static<typeof CaseIndex>;

/** An upsert's indices: given ones are merged by identifier, `null` removes one. */
export const CaseIndices = Type.Record(Type.String(), Type.Union([CaseIndex, Type.Null()]), {
  propertyNames: { minLength: 1, maxLength: MAX_ID_LENGTH },
  maxProperties: 100,
});
export type CaseIndices = Static<typeof CaseIndices>;

/** The stored indices after merging an upsert's (null removes an identifier). */
export function mergeIndices(
  current: Readonly<Record<string, CaseIndex>>,
  given: CaseIndices | undefined,
): Record<string, CaseIndex> {
  const merged = { ...current };
  for (const [identifier, index] of Object.entries(given ?? {})) {
    if (index === null) delete merged[identifier];
    else merged[identifier] = index;
  }
  return merged;
}
