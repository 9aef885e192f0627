// The gateway form's config inputs, generated from each type's config schema in the registry
// (SPEC 7: forms, no JSON typed by hand): a text, number, choice or checkbox per field, a
// password input for a secret (left blank, the stored secret is kept), and a JSON box only for
// fields that are lists or maps (the http type's params and headers). Each type's inputs are
// named `cfg.<type>.<field>`, so one page carries every type's and only the chosen one counts.
import type { TSchema } from 'typebox';
import { MASK } from '../app/gateways/secrets.ts';
import type { GatewayCatalog, GatewayType } from '../app/ports/gateway-types.ts';
import { InputError } from '../lib/input.ts';
import { field, type Form } from './forms.ts';

export interface ConfigInput {
  /** The input's id and name: `cfg.<type>.<field>`. */
  id: string;
  field: string;
  label: string;
  type: 'text' | 'number' | 'password' | 'select' | 'checkbox' | 'textarea';
  options?: { value: string; label: string }[];
  hint?: string;
  required: boolean;
}

export interface TypeForm {
  name: string;
  label: string;
  inputs: ConfigInput[];
}

type Schema = TSchema & {
  type?: string;
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  errorMessage?: string;
};

const inputId = (type: string, name: string) => `cfg.${type}.${name}`;

function inputOf(type: GatewayType, name: string, schema: Schema, required: boolean): ConfigInput {
  const base = { id: inputId(type.name, name), field: name, label: name.replace(/_/g, ' '), required };
  const hints: string[] = [];
  if (schema.default !== undefined) hints.push(`default ${String(schema.default)}`);
  if (schema.minimum !== undefined && schema.maximum !== undefined)
    hints.push(`${schema.minimum} to ${schema.maximum}`);
  if (schema.errorMessage) hints.push(schema.errorMessage);
  const hint = hints.length > 0 ? { hint: hints.join('; ') } : {};
  if (type.secretFields.includes(name))
    return { ...base, type: 'password', hint: 'secret: left blank, the stored value is kept' };
  if (Array.isArray(schema.enum)) {
    const options = schema.enum.map((v) => ({ value: String(v), label: String(v) }));
    return {
      ...base,
      type: 'select',
      options: required ? options : [{ value: '', label: '—' }, ...options],
      ...hint,
    };
  }
  if (schema.type === 'integer' || schema.type === 'number') return { ...base, type: 'number', ...hint };
  if (schema.type === 'boolean') return { ...base, type: 'checkbox', ...hint };
  if (schema.type === 'object' || schema.type === 'array') return { ...base, type: 'textarea', hint: 'JSON' };
  return { ...base, type: 'text', ...hint };
}

/** Every SMS gateway type's config inputs, in registry order. */
export function typeForms(catalog: GatewayCatalog): TypeForm[] {
  return catalog.types
    .filter((type) => type.channel === 'sms')
    .map((type) => {
      const schema = type.config as unknown as { properties?: Record<string, Schema>; required?: string[] };
      const required = new Set(schema.required ?? []);
      return {
        name: type.name,
        label: type.label,
        inputs: Object.entries(schema.properties ?? {}).map(([name, s]) =>
          inputOf(type, name, s, required.has(name)),
        ),
      };
    });
}

/**
 * The config the form says for `typeName`; blank inputs are left out, a blank secret keeps the
 * stored one (MASK, which the store restores). Throws an InputError on `cfg.<type>.<field>`
 * for a JSON box that does not parse.
 */
export function configFromForm(
  catalog: GatewayCatalog,
  typeName: string,
  body: Form,
  stored: Record<string, unknown> | null,
): Record<string, unknown> {
  const form = typeForms(catalog).find((t) => t.name === typeName);
  const config: Record<string, unknown> = {};
  for (const input of form?.inputs ?? []) {
    const raw = field(body, input.id);
    const text = raw.trim();
    if (input.type === 'checkbox') {
      if (raw !== '') config[input.field] = true;
      continue;
    }
    if (text === '') {
      if (input.type === 'password' && stored && typeof stored[input.field] === 'string')
        config[input.field] = MASK;
      continue;
    }
    if (input.type === 'number') config[input.field] = /^-?\d{1,15}$/.test(text) ? Number(text) : text;
    else if (input.type === 'textarea') {
      try {
        config[input.field] = JSON.parse(text) as unknown;
      } catch {
        throw new InputError(`config.${input.field}`, 'is not valid JSON');
      }
    } else config[input.field] = input.type === 'password' ? raw : text;
  }
  return config;
}

/** A stored (masked) config as the form's values; secrets stay blank. */
export function formOfConfig(
  catalog: GatewayCatalog,
  typeName: string,
  config: Record<string, unknown>,
): Record<string, string> {
  const form = typeForms(catalog).find((t) => t.name === typeName);
  const values: Record<string, string> = {};
  for (const input of form?.inputs ?? []) {
    const value = config[input.field];
    if (value === undefined || input.type === 'password') continue;
    values[input.id] =
      input.type === 'checkbox'
        ? value === true
          ? 'on'
          : ''
        : typeof value === 'object'
          ? JSON.stringify(value, null, 2)
          : String(value);
  }
  return values;
}
