// Conditional alert rules (SPEC 4): does a case match an alert's criteria?

export type Criterion =
  | { property: string; op: 'equals' | 'not_equals' | 'regex'; value: string }
  | { property: string; op: 'has_value' | 'has_no_value' };

export interface CaseFacts {
  open: boolean;
  properties: Record<string, string>;
}

/** A blank value counts as no value (SPEC 4). */
const hasValue = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

export function criterionHolds(criterion: Criterion, properties: Record<string, string>): boolean {
  const value = properties[criterion.property];
  switch (criterion.op) {
    case 'equals':
      return value === criterion.value;
    case 'not_equals':
      return value !== criterion.value;
    case 'has_value':
      return hasValue(value);
    case 'has_no_value':
      return !hasValue(value);
    case 'regex':
      return value !== undefined && new RegExp(criterion.value).test(value);
  }
}

/** Only open cases match; `all` needs every criterion, `any` one (no criteria: every case). */
export function caseMatches(criteria: readonly Criterion[], match: 'all' | 'any', facts: CaseFacts): boolean {
  if (!facts.open) return false;
  if (criteria.length === 0) return true;
  return match === 'all'
    ? criteria.every((c) => criterionHolds(c, facts.properties))
    : criteria.some((c) => criterionHolds(c, facts.properties));
}
