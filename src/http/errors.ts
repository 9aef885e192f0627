// The API's one error catalog: every error answers `{error: {code, message, field?}}` with its
// status. Input problems name the field; server faults never show their internals.
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import Type from 'typebox';
import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { InputError, parseInput } from '../lib/input.ts';
import { ApiError, ERROR_CATALOG, InUseError, type ErrorCode } from '../app/errors.ts';

export const ErrorBody = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.Enum(Object.keys(ERROR_CATALOG) as ErrorCode[]),
        message: Type.String(),
        /** The field at fault: `name`, `properties.dob`, `cases[3].type`; path and query parameters by name. */
        field: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
    /** 409 on a delete: what uses the object. */
    used_by: Type.Optional(
      Type.Array(Type.Object({ kind: Type.String(), id: Type.String() }, { additionalProperties: false })),
    ),
  },
  { additionalProperties: false, description: 'An error' },
);

/**
 * Validates every request part with the use cases' own parseInput, so the API and the use cases
 * name fields the same way. Path and query strings are converted to the schema's types first.
 */
export const validatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  return (value: unknown) => {
    const part = httpPart ?? 'body';
    const input = part === 'body' ? value : Value.Convert(schema, value);
    try {
      return { value: parseInput(schema, input) };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      const field = part === 'body' ? error.field || 'body' : error.field || part;
      return { error: new InputError(field, error.message) };
    }
  };
};

function send(
  reply: FastifyReply,
  status: number,
  code: ErrorCode,
  message: string,
  field?: string,
): FastifyReply {
  return reply
    .code(status)
    .send({ error: { code, message, ...(field !== undefined && field !== '' ? { field } : {}) } });
}

/** A conflict raised by the database (a unique index), told apart by the server's wiring. */
export type ConflictTest = (error: unknown) => boolean;

/** The Fastify error handler; `isConflict` recognises the database's unique violations (409). */
export function createErrorHandler(isConflict: ConflictTest = () => false) {
  return (error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (isConflict(error))
      return send(reply, 409, 'conflict', 'conflicts with existing data (a unique value is already taken)');
    return handle(error, request, reply);
  };
}

function handle(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  // CommCare's endpoint answers invalid input with 422 (route config invalidStatus).
  const invalid = request.routeOptions.config.invalidStatus ?? 400;
  if (error instanceof InputError)
    return send(reply, invalid, 'invalid_input', error.message, error.field || 'body');
  if (error instanceof InUseError) {
    return reply.code(409).send({
      error: { code: error.code, message: error.message },
      used_by: error.usedBy.map(({ kind, id }) => ({ kind, id })),
    });
  }
  if (error instanceof ApiError) {
    if (error.code === 'unauthorized') {
      const challenges = [
        'Bearer realm="caseline"',
        ...(request.routeOptions.config.basicAuth === true ? ['Basic realm="caseline"'] : []),
      ];
      reply.header('www-authenticate', challenges.join(', '));
    }
    return send(
      reply,
      error.code === 'invalid_input' ? invalid : error.status,
      error.code,
      error.message,
      error.field,
    );
  }
  const fastifyError = error as FastifyError;
  const status = fastifyError.statusCode ?? 500;
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return send(
        reply,
        413,
        'payload_too_large',
        `the body is larger than the limit of ${request.routeOptions.bodyLimit ?? '?'} bytes`,
      );
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return send(reply, 415, 'unsupported_media_type', ERROR_CATALOG.unsupported_media_type.text);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return send(reply, invalid, 'invalid_input', 'is empty; send a JSON value', 'body');
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return send(reply, invalid, 'invalid_input', 'is not valid JSON', 'body');
  }
  if (status === 429)
    return send(reply, 429, 'rate_limited', error.message || ERROR_CATALOG.rate_limited.text);
  if (status === 413) return send(reply, 413, 'payload_too_large', ERROR_CATALOG.payload_too_large.text);
  if (status === 415)
    return send(reply, 415, 'unsupported_media_type', ERROR_CATALOG.unsupported_media_type.text);
  if (status === 404) return send(reply, 404, 'not_found', ERROR_CATALOG.not_found.text);
  if (status >= 400 && status < 500)
    return send(
      reply,
      invalid,
      'invalid_input',
      error.message || ERROR_CATALOG.invalid_input.text,
      'request',
    );
  request.log.error({ err: error }, 'request failed');
  return send(
    reply,
    500,
    'internal',
    `internal error; the server log has the details (request ${request.id})`,
  );
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return send(reply, 404, 'not_found', `no route ${request.method} ${request.url.split('?')[0] ?? ''}`);
}
