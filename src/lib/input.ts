// Checking input against a schema and saying what is wrong in an operator's words.
//
// The compiled TypeBox validator decides whether a value is valid. When it is not, `explain`
// walks the schema beside the value to find the first, most specific problem, in document order:
// an unknown field, then a missing one, then each given field in the order written. Unions are
// explained through the branch the value meant: the one its discriminator (`type`, `op`) names,
// or the one whose required fields it has. Should the walk find nothing (a keyword it does not
// know), TypeBox's own first error is reported.
import type { Static, TRefinement, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { Validator } from 'typebox/compile';

/** Bad input: `field` is a dotted path (`properties.age`, `restricted_times[0].start`, or '' for
 * the whole value); `message` says the problem in plain words (`must be a string or null`). For
 * an unknown field, `field` is the object holding it and the message names it. */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }

  /** `field: message`, or the message alone when the problem is the whole value. */
  describe(): string {
    return this.field === '' ? this.message : `${this.field}: ${this.message}`;
  }
}

const validators = new WeakMap<TSchema, Validator>();

/**
 * Returns `value` typed by `schema`, or throws an InputError for its first problem. `fieldPrefix`
 * is put in front of the error's field (e.g. `cases[3]` for one item of a batch).
 */
export function parseInput<T extends TSchema>(schema: T, value: unknown, fieldPrefix = ''): Static<T> {
  let validator = validators.get(schema);
  if (validator === undefined) {
    validator = Compile(schema) as Validator;
    validators.set(schema, validator);
  }
  if (validator.Check(value)) {
    const unstorable = findUnstorable(value, '');
    if (unstorable !== null)
      throw new InputError(prefixPath(fieldPrefix, unstorable.path), unstorable.message);
    return value as Static<T>;
  }
  const problem = explain(schema as unknown as Schema, value, '') ?? fromTypeBox(validator, value);
  throw new InputError(prefixPath(fieldPrefix, problem.path), problem.message);
}

const MAX_DEPTH = 64;
// NUL, or a UTF-16 surrogate without its pair: text that PostgreSQL refuses and SQLite would
// keep, so both databases refuse it alike, at the door, whatever the input path.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why no database can store `text` (NUL, a lone surrogate), or null when both can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain the NUL character';
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (invalid Unicode)';
  return null;
}

/** The first string (or object key) that no database can store as text. */
function findUnstorable(value: unknown, path: string, depth = 0): Problem | null {
  if (typeof value === 'string') {
    const message = unstorableText(value);
    return message === null ? null : { path, message };
  }
  if (depth > MAX_DEPTH || typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorable(item, `${path}[${index}]`, depth + 1);
      if (found !== null) return found;
    }
    return null;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyProblem = unstorableText(key);
    if (keyProblem !== null)
      return { path, message: `has a field name that ${keyProblem.replace(/^must not/, 'must not')}` };
    const found = findUnstorable(item, joinPath(path, key), depth + 1);
    if (found !== null) return found;
  }
  return null;
}

interface Problem {
  path: string;
  message: string;
  /** Set for "unknown field": the field's name, so a union can say why it is unknown. */
  unknownField?: string;
}

/** A JSON Schema node as TypeBox builds it (refinements live on a hidden `~refine` key). */
type Schema = { readonly [keyword: string]: unknown; readonly '~refine'?: readonly TRefinement[] };

function explain(schema: Schema, value: unknown, path: string): Problem | undefined {
  const own = (message: string): Problem => ({
    path,
    message: typeof schema.errorMessage === 'string' ? schema.errorMessage : message,
  });
  if (Array.isArray(schema.anyOf)) {
    const problem = explainUnion(schema.anyOf as Schema[], value, path);
    if (problem) return problem;
  }
  if ('const' in schema && !equal(value, schema.const)) return own(`must be ${quote(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => equal(allowed, value))) {
    return own(`must be ${alternatives(schema.enum.map(quote))}`);
  }
  if (typeof schema.type === 'string' && !hasType(value, schema.type))
    return own(`must be ${typeNoun(schema.type)}`);

  const problem =
    typeof value === 'string'
      ? explainString(schema, value, own)
      : typeof value === 'number'
        ? explainNumber(schema, value, own)
        : Array.isArray(value)
          ? explainArray(schema, value, path, own)
          : isPlainObject(value)
            ? explainObject(schema, value, path)
            : undefined;
  if (problem) return problem;

  for (const refinement of schema['~refine'] ?? []) {
    if (!refinement.check(value)) return { path, message: refinement.error(value) };
  }
  return undefined;
}

type Own = (message: string) => Problem;

function explainString(schema: Schema, value: string, own: Own): Problem | undefined {
  const { minLength, maxLength, pattern } = schema;
  if (typeof minLength === 'number' && codePoints(value, minLength) < minLength) {
    return own(minLength === 1 ? 'must not be empty' : `must be at least ${minLength} characters`);
  }
  if (typeof maxLength === 'number' && value.length > maxLength) {
    const length = codePoints(value, Infinity);
    if (length > maxLength) return own(`must be at most ${maxLength} characters (it has ${length})`);
  }
  if (typeof pattern === 'string' && !new RegExp(pattern, 'u').test(value))
    return own(`must match ${pattern}`);
  return undefined;
}

function explainNumber(schema: Schema, value: number, own: Own): Problem | undefined {
  const { minimum, maximum, exclusiveMinimum, exclusiveMaximum } = schema;
  const below = typeof minimum === 'number' && value < minimum;
  const above = typeof maximum === 'number' && value > maximum;
  if ((below || above) && typeof minimum === 'number' && typeof maximum === 'number') {
    return own(`must be between ${minimum} and ${maximum}`);
  }
  if (below) return own(`must be at least ${String(minimum)}`);
  if (above) return own(`must be at most ${String(maximum)}`);
  if (typeof exclusiveMinimum === 'number' && value <= exclusiveMinimum) {
    return own(`must be greater than ${exclusiveMinimum}`);
  }
  if (typeof exclusiveMaximum === 'number' && value >= exclusiveMaximum) {
    return own(`must be less than ${exclusiveMaximum}`);
  }
  return undefined;
}

function explainArray(schema: Schema, value: unknown[], path: string, own: Own): Problem | undefined {
  const { minItems, maxItems, items } = schema;
  if (typeof minItems === 'number' && value.length < minItems) {
    return own(minItems === 1 ? 'must not be empty' : `must have at least ${minItems} items`);
  }
  if (typeof maxItems === 'number' && value.length > maxItems)
    return own(`must have at most ${maxItems} items`);
  if (isPlainObject(items)) {
    for (const [index, item] of value.entries()) {
      const problem = explain(items, item, `${path}[${index}]`);
      if (problem) return problem;
    }
  }
  if (schema.uniqueItems === true) {
    for (const [index, item] of value.entries()) {
      if (value.slice(0, index).some((earlier) => equal(earlier, item))) {
        return own(`must not list ${quote(item)} twice`);
      }
    }
  }
  return undefined;
}

function explainObject(schema: Schema, value: Record<string, unknown>, path: string): Problem | undefined {
  const properties = isPlainObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  const patterns = isPlainObject(schema.patternProperties)
    ? Object.entries(schema.patternProperties as Record<string, Schema>).map(
        ([pattern, sub]) => [new RegExp(pattern, 'u'), sub] as const,
      )
    : [];
  const keys = Object.keys(value);

  if (schema.additionalProperties === false) {
    for (const key of keys) {
      if (!Object.hasOwn(properties, key) && !patterns.some(([pattern]) => pattern.test(key))) {
        return { path, message: `unknown field ${quote(key)}`, unknownField: key };
      }
    }
  }
  for (const key of requiredOf(schema)) {
    if (!Object.hasOwn(value, key)) return { path: joinPath(path, key), message: 'is required' };
  }
  if (isPlainObject(schema.propertyNames)) {
    for (const key of keys) {
      const problem = explain(schema.propertyNames, key, path);
      if (problem) return { path, message: `field name ${quote(key)} ${problem.message}` };
    }
  }
  for (const key of keys) {
    const sub = Object.hasOwn(properties, key)
      ? properties[key]
      : patterns.find(([pattern]) => pattern.test(key))?.[1];
    const problem = sub && explain(sub, value[key], joinPath(path, key));
    if (problem) return problem;
  }
  if (Array.isArray(schema.oneOf)) {
    const choices = requiredOnlyChoices(schema.oneOf as Schema[]);
    if (choices && choices.filter((field) => Object.hasOwn(value, field)).length !== 1) {
      return { path, message: `must have exactly one of ${alternatives(choices.map(quote))}` };
    }
  }
  return undefined;
}

/** For `oneOf: [{required: ['a']}, {required: ['b']}]`, the fields `a`, `b`. */
function requiredOnlyChoices(branches: Schema[]): string[] | undefined {
  const fields: string[] = [];
  for (const branch of branches) {
    const keys = Object.keys(branch);
    const required = branch.required;
    if (keys.length !== 1 || !Array.isArray(required) || required.length !== 1) return undefined;
    fields.push(String(required[0]));
  }
  return fields;
}

function explainUnion(branches: Schema[], value: unknown, path: string): Problem | undefined {
  if (branches.every((branch) => branch.type === 'object' && isPlainObject(branch.properties))) {
    return explainObjectUnion(branches, value, path);
  }
  // Scalars and null: explain through the branch of the value's own JSON type, if only one.
  const sameType = branches.filter((branch) => matchesJsonType(branch, value));
  const only = sameType[0];
  if (sameType.length === 1 && only) return explain(only, value, path);
  return { path, message: `must be ${alternatives(branches.flatMap(nounsOf))}` };
}

function explainObjectUnion(branches: Schema[], value: unknown, path: string): Problem | undefined {
  if (!isPlainObject(value)) return { path, message: 'must be an object' };
  const propertiesOf = (branch: Schema): Record<string, Schema> =>
    branch.properties as Record<string, Schema>;
  const discriminator = Object.keys(propertiesOf(branches[0] ?? {})).find((key) =>
    branches.every((branch) => {
      const property = propertiesOf(branch)[key];
      return (
        requiredOf(branch).includes(key) && property !== undefined && allowedValues(property) !== undefined
      );
    }),
  );

  if (discriminator !== undefined) {
    const field = joinPath(path, discriminator);
    if (!Object.hasOwn(value, discriminator)) return { path: field, message: 'is required' };
    const tag = value[discriminator];
    const chosen = branches.find((branch) =>
      allowedValues(propertiesOf(branch)[discriminator] ?? {})?.some((v) => equal(v, tag)),
    );
    if (!chosen) {
      const all = branches.flatMap(
        (branch) => allowedValues(propertiesOf(branch)[discriminator] ?? {}) ?? [],
      );
      return { path: field, message: `must be ${alternatives(all.map(quote))}` };
    }
    const problem = explain(chosen, value, path);
    const unknown = problem?.unknownField;
    if (
      problem &&
      unknown !== undefined &&
      problem.path === path &&
      branches.some((b) => Object.hasOwn(propertiesOf(b), unknown))
    ) {
      return { path: joinPath(path, unknown), message: `not allowed when ${discriminator} is ${quote(tag)}` };
    }
    return problem;
  }

  // No discriminator: the branch whose required fields the value has (e.g. {case} | {phone}).
  const candidates = branches.filter((branch) =>
    requiredOf(branch).every((key) => Object.hasOwn(value, key)),
  );
  const only = candidates[0];
  if (candidates.length === 1 && only) return explain(only, value, path);
  const inEvery = (key: string): boolean => branches.every((branch) => requiredOf(branch).includes(key));
  const distinguishing = branches.flatMap((branch) => requiredOf(branch).filter((key) => !inEvery(key)));
  return { path, message: `must have exactly one of ${alternatives(distinguishing.map(quote))}` };
}

function requiredOf(schema: Schema): string[] {
  return Array.isArray(schema.required) ? schema.required.map(String) : [];
}

/** The values a `const` or `enum` schema allows, or undefined for other schemas. */
function allowedValues(schema: Schema): unknown[] | undefined {
  if ('const' in schema) return [schema.const];
  if (Array.isArray(schema.enum)) return schema.enum;
  return undefined;
}

function matchesJsonType(schema: Schema, value: unknown): boolean {
  if (typeof schema.type === 'string')
    return hasType(value, schema.type === 'integer' ? 'number' : schema.type);
  const allowed = allowedValues(schema);
  return allowed !== undefined && allowed.some((candidate) => jsonType(candidate) === jsonType(value));
}

function nounsOf(schema: Schema): string[] {
  const allowed = allowedValues(schema);
  if (allowed) return allowed.map(quote);
  if (typeof schema.errorMessage === 'string') return [schema.errorMessage.replace(/^must be /, '')];
  return typeof schema.type === 'string' ? [typeNoun(schema.type)] : ['valid'];
}

function fromTypeBox(validator: Validator, value: unknown): Problem {
  const error = validator.Errors(value)[0];
  if (!error) return { path: '', message: 'is not valid' };
  const path = error.instancePath
    .split('/')
    .slice(1)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (joined, segment) => (/^\d+$/.test(segment) ? `${joined}[${segment}]` : joinPath(joined, segment)),
      '',
    );
  return { path, message: error.message };
}

// ---------------------------------------------------------------------------------------------
// Small helpers

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** The path of field `key` inside `path`: `a.b`, or `a["odd key"]` for keys that are not plain names. */
export function joinPath(path: string, key: string): string {
  if (!PLAIN_NAME.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path === '' ? key : `${path}.${key}`;
}

/** `path` (as joinPath makes them) inside `prefix`. */
export function prefixPath(prefix: string, path: string): string {
  if (prefix === '' || path === '') return prefix + path;
  return path.startsWith('[') ? prefix + path : `${prefix}.${path}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'object':
      return isPlainObject(value);
    default:
      return jsonType(value) === type;
  }
}

function typeNoun(type: string): string {
  const nouns: Record<string, string> = {
    string: 'a string',
    integer: 'a whole number',
    number: 'a number',
    boolean: 'true or false',
    null: 'null',
    array: 'a list',
    object: 'an object',
  };
  return nouns[type] ?? type;
}

/** `'a'`, `'a' or 'b'`, `'a', 'b' or 'c'`. */
/** `a, b or c` (each once); `valid` for none. */
export function alternatives(items: readonly string[]): string {
  const unique = [...new Set(items)];
  const last = unique.pop();
  if (last === undefined) return 'valid';
  return unique.length === 0 ? last : `${unique.join(', ')} or ${last}`;
}

function quote(value: unknown): string {
  if (typeof value === 'string') return `'${value.length > 60 ? `${value.slice(0, 60)}…` : value}'`;
  const json = JSON.stringify(value);
  return json === undefined ? String(value) : json.length > 60 ? `${json.slice(0, 60)}…` : json;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const aKeys = Object.keys(a);
  const bKeys = Object.keys(b);
  return (
    aKeys.length === bKeys.length &&
    aKeys.every(
      (key) =>
        Object.hasOwn(b, key) &&
        equal((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
    )
  );
}

/** Length in code points (as JSON Schema counts), stopping early past `limit`. */
function codePoints(text: string, limit: number): number {
  let count = 0;
  for (const _ of text) {
    count += 1;
    if (count > limit) break;
  }
  return count;
}
