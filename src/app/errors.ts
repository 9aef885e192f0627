// Errors the API and the console answer alike: each code with its HTTP status and default
// text. Input problems are InputErrors (lib/input.ts) and name the field; server faults never
// show their internals.
import { describeUsers, type UsedBy } from '../domain/usage.ts';

export const ERROR_CATALOG = {
  invalid_input: { status: 400, text: 'the request is not valid' },
  unauthorized: { status: 401, text: 'a valid API key is required: Authorization: Bearer <key>' },
  forbidden: { status: 403, text: 'this needs the admin key' },
  not_found: { status: 404, text: 'not found' },
  conflict: { status: 409, text: 'conflicts with existing data' },
  /** A project's gateway address that reaches a private network (SPEC 3.6). */
  GATEWAY_URL_FORBIDDEN: { status: 400, text: 'a gateway may not reach this address' },
  payload_too_large: { status: 413, text: 'the request is too large' },
  unsupported_media_type: { status: 415, text: 'send JSON: Content-Type: application/json' },
  rate_limited: { status: 429, text: 'too many requests for this key; retry later' },
  internal: { status: 500, text: 'internal error' },
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

/** An error the API answers as such; `status` overrides the catalog's (CommCare's 422). */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ErrorCode,
    message: string = ERROR_CATALOG[code].text,
    readonly field?: string,
    readonly status: number = ERROR_CATALOG[code].status,
  ) {
    super(message);
  }
}

export const notFound = (message: string): ApiError => new ApiError('not_found', message);

/** 409: the object cannot go while these use it (SPEC 7); the API answers them as `used_by`. */
export class InUseError extends ApiError {
  constructor(
    what: string,
    readonly usedBy: readonly UsedBy[],
  ) {
    super(
      'conflict',
      `${what} is in use by ${describeUsers(usedBy)}: change or delete ${usedBy.length === 1 ? 'it' : 'them'} first`,
    );
  }
}
