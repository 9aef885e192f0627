// Reading a provider's webhook by field names (SPEC 3.6): the `http` type's `inbound_fields`
// and `status_fields`, and the presets that know their provider's names. A name is a query,
// form or top-level JSON field; `header:<Name>` reads a header (Kannel's X-Kannel-From);
// `body` alone is the body as sent (Kannel's post-url puts the text there).
import type { WebhookRequest } from '../app/ports/gateway-types.ts';
import { InputError } from '../lib/input.ts';

/** The value named `name` in the request, or undefined. Body fields win over the query's. */
export function webhookValue(request: WebhookRequest, name: string): string | undefined {
  if (name === 'body') return request.rawBody;
  if (name.toLowerCase().startsWith('header:')) return request.headers[name.slice(7).toLowerCase()];
  return request.fields[name] ?? request.query[name];
}

/** The value named `name`; an InputError naming it when it is absent or blank. */
export function requiredValue(request: WebhookRequest, name: string): string {
  const value = webhookValue(request, name);
  if (value === undefined || value.trim() === '') throw new InputError(name, 'is required');
  return value;
}

/** The value named `name`, or undefined when absent or blank. */
export function optionalValue(request: WebhookRequest, name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const value = webhookValue(request, name);
  return value === undefined || value === '' ? undefined : value;
}
