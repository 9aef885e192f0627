// Structured SMS (SPEC 5.2, CommCare's "structured SMS"): "WEIGHT 3.2 12" fills the sender's
// case. The text is split on the keyword's delimiter (absent: any run of whitespace); the first
// part is the keyword, the following ones fill the fields in order, each checked and stored as a
// survey answer of its type (survey.ts).
import { validateAnswer, SKIPPED, type AnswerErrorKey } from './survey.ts';

export interface StructuredKeyword {
  keyword: string;
  fields: readonly {
    property: string;
    type: 'text' | 'int' | 'decimal' | 'date' | 'time';
    required?: boolean;
  }[];
  delimiter?: string;
}

/** The trimmed parts of the text: split on the delimiter, or on runs of whitespace. */
export function structuredParts(text: string, delimiter: string | undefined): string[] {
  const trimmed = text.trim();
  return delimiter === undefined ? trimmed.split(/\s+/) : trimmed.split(delimiter).map((part) => part.trim());
}

/** True when the text's first part is the keyword (case-insensitive). */
export function matchesKeyword(text: string, keyword: string, delimiter: string | undefined): boolean {
  return (structuredParts(text, delimiter)[0] ?? '').toUpperCase() === keyword.trim().toUpperCase();
}

export type StructuredResult =
  { ok: true; properties: Record<string, string> } | { ok: false; field: string; error: AnswerErrorKey };

/**
 * The case properties a structured SMS writes, or its first failing field in order. Extra parts
 * are ignored; a missing or blank part leaves an optional field's property unchanged.
 */
export function parseStructured(text: string, keyword: StructuredKeyword): StructuredResult {
  const parts = structuredParts(text, keyword.delimiter).slice(1);
  const properties: Record<string, string> = {};
  for (const [index, field] of keyword.fields.entries()) {
    const result = validateAnswer({ type: field.type, required: field.required ?? true }, parts[index] ?? '');
    if (!result.ok) return { ok: false, field: field.property, error: result.error };
    if (result.value !== SKIPPED) properties[field.property] = result.value;
  }
  return { ok: true, properties };
}
