// The one place an HTTP exchange with a gateway becomes a SendOutcome (STYLE: "Read every
// response"). Adapters build the request and say how to read their provider's bodies; this
// file sends it, classifies the status or the network error into the closed vocabulary of
// outcomes, and keeps a trace of both sides with every secret replaced by `***`.
import type { AttemptTrace, SendOutcome } from '../app/ports/gateway.ts';
import { ForbiddenAddressError } from './guarded-lookup.ts';
import { sendHttp, UnsendableRequest } from './http-client.ts';

export interface HttpRequest {
  method: 'GET' | 'POST';
  /** The full URL, query string included. */
  url: string;
  headers: Record<string, string>;
  body: string | null;
}

export interface HttpResponse {
  status: number;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
}

/** What a success-status body says: the provider's id for the message, or why it failed. */
export type SuccessReading = { providerMessageId: string | null } | { failure: string };

/** The provider's own words for a failed response, and whether the destination is at fault. */
export interface FailureReading {
  detail: string;
  /** For a 4xx other than 408 and 429: the number is not valid (INVALID_PHONE_NUMBER, not retried). */
  invalidDestination?: boolean;
  /** For a 4xx other than 408 and 429: the recipient opted out at the provider (opted out here too). */
  optedOut?: boolean;
}

export interface Reading {
  /** Every secret of the gateway (tokens, passwords, secret parameters): `***` in traces and details. */
  secrets: readonly string[];
  /** Statuses that mean success; default any 2xx. */
  successStatuses?: readonly number[] | undefined;
  /** Reads a success response; default: accepted without a provider id. */
  readSuccess?(response: HttpResponse): SuccessReading;
  /** Reads a failed response; null (or absent) for the default detail `HTTP <status>: <body>`. */
  readFailure?(response: HttpResponse): FailureReading | null;
  /** Milliseconds since the epoch, for a Retry-After given as an HTTP date. */
  now(): number;
}

/** Request and response bodies are cut to this many characters in traces. */
export const TRACE_BODY_LIMIT = 2048;
/** A response body quoted in a detail is cut to this many characters. */
const DETAIL_BODY_LIMIT = 300;

/** Sends `request` and reads the answer; never throws. */
export async function exchange(
  request: HttpRequest,
  timeoutMs: number,
  reading: Reading,
): Promise<SendOutcome> {
  let response: HttpResponse;
  try {
    response = await sendHttp(request, timeoutMs);
  } catch (error) {
    return outcomeOfError(request, error, timeoutMs, reading.secrets);
  }
  return outcomeOf(request, response, reading);
}

/** The outcome of a request that got an HTTP answer. */
export function outcomeOf(request: HttpRequest, response: HttpResponse, reading: Reading): SendOutcome {
  const { status } = response;
  const secrets = reading.secrets;
  const trace = traceOf(request, response, secrets);
  const success = reading.successStatuses
    ? reading.successStatuses.includes(status)
    : status >= 200 && status <= 299;
  if (success) {
    const read = reading.readSuccess?.(response) ?? { providerMessageId: null };
    if ('failure' in read)
      return { kind: 'rejected', detail: redact(read.failure, secrets), statusCode: status, trace };
    return { kind: 'accepted', providerMessageId: read.providerMessageId, statusCode: status, trace };
  }

  const failure = status >= 400 ? reading.readFailure?.(response) : null;
  const detail = redact(failure?.detail ?? defaultDetail(response), secrets);
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers['retry-after'], reading.now());
    return {
      kind: 'throttled',
      detail,
      statusCode: status,
      trace,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  if (status === 408 || status >= 500) return { kind: 'temporary', detail, statusCode: status, trace };
  if (status >= 400) {
    return {
      kind: failure?.optedOut
        ? 'opted_out'
        : failure?.invalidDestination
          ? 'invalid_destination'
          : 'rejected',
      detail,
      statusCode: status,
      trace,
    };
  }
  // 1xx, 3xx, or a 2xx the gateway is not configured to call success: the URL or the
  // configuration is wrong, and sending again would not change that.
  const location = response.headers.location;
  const why =
    status >= 300 && status <= 399 && location
      ? ` (redirect to ${location}; check the gateway URL)`
      : ' is not a success status for this gateway';
  return { kind: 'rejected', detail: redact(`HTTP ${status}${why}`, secrets), statusCode: status, trace };
}

/** The outcome of a request that got no HTTP answer: every network failure is temporary. */
export function outcomeOfError(
  request: HttpRequest,
  error: unknown,
  timeoutMs: number,
  secrets: readonly string[],
): SendOutcome {
  const trace = traceOf(request, null, secrets);
  // The outbound address guard refused the address: no retry will change that.
  if (error instanceof ForbiddenAddressError)
    return { kind: 'rejected', detail: redact(error.message, secrets), trace };
  if (isTimeout(error)) return { kind: 'temporary', detail: `timed out after ${timeoutMs} ms`, trace };
  const code = networkCode(error);
  const host = hostOf(request.url);
  if (code !== undefined) {
    const words = NETWORK_WORDS[code] ?? `network error ${code}`;
    return { kind: 'temporary', detail: redact(`${words} (${host})`, secrets), trace };
  }
  // A request that cannot be built (a header value that is not Latin-1, a malformed URL; fetch
  // says so with a TypeError without a cause): another attempt would fail the same way.
  if (
    error instanceof UnsendableRequest ||
    (error instanceof TypeError && !(error as { cause?: unknown }).cause)
  ) {
    return {
      kind: 'rejected',
      detail: redact(`the request could not be sent: ${error.message}`, secrets),
      trace,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'temporary', detail: redact(`network error: ${message} (${host})`, secrets), trace };
}

const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed while sending',
  ENOTFOUND: 'host name not found',
  EAI_AGAIN: 'host name lookup failed (temporary DNS failure)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the gateway',
  UND_ERR_HEADERS_TIMEOUT: 'no response headers in time',
  UND_ERR_BODY_TIMEOUT: 'response body not received in time',
};

function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
}

/** The system error code under fetch's "fetch failed" TypeError (possibly an AggregateError). */
function networkCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, errors, cause } = current as { code?: unknown; errors?: unknown; cause?: unknown };
    if (typeof code === 'string' && code !== '') return code;
    current = Array.isArray(errors) && errors.length > 0 ? errors[0] : cause;
  }
  return undefined;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'invalid URL';
  }
}

function defaultDetail(response: HttpResponse): string {
  const body = response.body.replace(/\s+/g, ' ').trim();
  return body === '' ? `HTTP ${response.status}` : `HTTP ${response.status}: ${cut(body, DETAIL_BODY_LIMIT)}`;
}

/**
 * A Retry-After value (RFC 9110 10.2.3: delay-seconds or an HTTP date) as milliseconds from
 * `now`; undefined when absent or unreadable. A date in the past is 0.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Request and response as stored with the attempt: secrets replaced, bodies cut. */
export function traceOf(
  request: HttpRequest,
  response: HttpResponse | null,
  secrets: readonly string[],
): AttemptTrace {
  const headerLines = Object.entries(request.headers).map(
    ([name, value]) => `${name}: ${/^(authorization|proxy-authorization)$/i.test(name) ? '***' : value}`,
  );
  const requestText = [`${request.method} ${request.url}`, ...headerLines, '', request.body ?? ''].join('\n');
  const responseText = response === null ? null : [`HTTP ${response.status}`, '', response.body].join('\n');
  return {
    request: cut(redact(requestText, secrets), TRACE_BODY_LIMIT),
    response: responseText === null ? null : cut(redact(responseText, secrets), TRACE_BODY_LIMIT),
  };
}

/**
 * `text` with every secret replaced by `***`, also in the encodings a secret takes on its way
 * into a request: URL-encoded (query strings, form bodies, both `%20` and `+` for spaces), JSON
 * string escapes and base64 (a `user:password` pair is redacted through the Authorization header).
 */
export function redact(text: string, secrets: readonly string[]): string {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret === '') continue;
    forms.add(secret);
    forms.add(encodeURIComponent(secret));
    forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
    forms.add(JSON.stringify(secret).slice(1, -1));
  }
  // Longest first, so a secret that contains another is replaced whole.
  let result = text;
  for (const form of [...forms].sort((a, b) => b.length - a.length)) {
    if (form !== '') result = result.split(form).join('***');
  }
  return result;
}

/** `text` cut to `limit` characters, saying how much was left out. */
export function cut(text: string, limit: number): string {
  if (text.length <= limit) return text;
  return `${text.slice(0, limit)}… (${text.length - limit} more characters)`;
}
