// What the console's forms share: reading posted fields, turning the API's validation error
// (an InputError, or an ApiError that names a field) into a message shown next to the input it
// is about, and the error every form page shows when the use case said no.
import { InputError } from '../lib/input.ts';
import { ApiError } from '../app/errors.ts';

/** A posted form (urlencoded; a repeated name gives an array). */
export type Form = Record<string, unknown> | undefined;

/** A field as a string; the first value of a repeated field; '' when absent. */
export function field(body: Form, name: string): string {
  const value = body?.[name];
  if (Array.isArray(value)) return typeof value[0] === 'string' ? value[0] : '';
  return typeof value === 'string' ? value : '';
}

/** Every value of a repeated field (checkboxes), in order. */
export function fields(body: Form, name: string): string[] {
  const value = body?.[name];
  const list: unknown[] = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((v): v is string => typeof v === 'string');
}

/** A field trimmed, or undefined when blank: an optional input left empty is not sent. */
export function optional(body: Form, name: string): string | undefined {
  const value = field(body, name).trim();
  return value === '' ? undefined : value;
}

/** A whole number typed in a form; a non-number is left as the text so validation names it. */
export function optionalInteger(body: Form, name: string): number | string | undefined {
  const value = optional(body, name);
  return value === undefined ? undefined : /^-?\d{1,15}$/.test(value) ? Number(value) : value;
}

/** The object without its undefined fields, as JSON would carry it (a blank optional input is absent, not undefined). */
export function defined(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined));
}

/** A JSON textarea: blank is undefined; text that does not parse is an InputError on `input`. */
export function jsonField(body: Form, name: string, input = name): unknown {
  const text = field(body, name).trim();
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputError(
      input,
      `is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/** The problem shown on a form: which input (its id) and what is wrong. */
export interface FormProblem {
  /** The input's id, or '' when no input of the form is about it. */
  input: string;
  /** The API's field path, as the API would answer it. */
  field: string;
  message: string;
}

/**
 * The form problem of a validation error, or null for any other error (rethrow it). `inputFor`
 * maps the API's field path (`schedule.time`, `criteria[1].value`) to an input id of the form.
 */
export function formProblem(error: unknown, inputFor: (path: string) => string | null): FormProblem | null {
  const path =
    error instanceof InputError
      ? error.field
      : error instanceof ApiError && error.status < 500 && error.status !== 404
        ? (error.field ?? '')
        : null;
  if (path === null) return null;
  return { input: inputFor(path) ?? '', field: path, message: (error as Error).message };
}

/**
 * An `inputFor` for a form whose input ids are API field paths: the longest input that is the
 * path or one of its parents (`schedule.time_window.start` → `schedule.time_window`).
 */
export function byPath(
  inputs: readonly string[],
  fallback: string | null = null,
): (path: string) => string | null {
  return (path) => {
    let best: string | null = null;
    for (const input of inputs) {
      const parent = path === input || path.startsWith(`${input}.`) || path.startsWith(`${input}[`);
      if (parent && (best === null || input.length > best.length)) best = input;
    }
    return best ?? fallback;
  };
}

/** What a view needs to mark its inputs: the problem, if it is about this input. */
export function problemOn(problem: FormProblem | null): (input: string) => string | null {
  return (input) => (problem !== null && problem.input === input ? problem.message : null);
}
