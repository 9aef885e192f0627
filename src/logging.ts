// Logs for people and for machines: one readable line per record on a terminal, one JSON object
// per line otherwise (or with LOG_FORMAT=json), through the same pino logger. Requests are
// logged at debug: a server at info says what it does, not every call it answers.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';
import pino from 'pino';

/** LOG_FORMAT: `json` (one JSON object a line), `pretty` (one readable line), `auto`: pretty on a terminal. */
export type LogFormat = 'json' | 'pretty' | 'auto';

/** Whether records written to `stream` are pretty: LOG_FORMAT, or auto: on a terminal. */
export function prettyFor(format: LogFormat, stream: { isTTY?: boolean }): boolean {
  return format === 'pretty' || (format === 'auto' && stream.isTTY === true);
}

/** Query parameters whose values are credentials: never written to a log. */
const SECRET_PARAM = /secret|token|key|password|passwd|signature|auth/i;

/** A request URL with the values of credential parameters (?secret=, ?token=, ?api_key=, …)
 *  replaced by REDACTED. */
export function redactQuery(url: string): string {
  const at = url.indexOf('?');
  if (at < 0) return url;
  const query = url
    .slice(at + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const name = eq < 0 ? pair : pair.slice(0, eq);
      let decoded = name;
      try {
        decoded = decodeURIComponent(name.replace(/\+/g, ' '));
      } catch {
        // A malformed escape: judged as written.
      }
      return eq >= 0 && SECRET_PARAM.test(decoded) ? `${name}=REDACTED` : pair;
    });
  return `${url.slice(0, at)}?${query.join('&')}`;
}

/** Headers that carry credentials: removed from any logged request or response. */
const SECRET_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-caseline-secret', 'x-twilio-signature'];

/**
 * What every logger of ours is given (caseline's own, and Fastify's when it makes one): a
 * request is logged with its credentials redacted (SPEC 7; issue #14).
 */
export const LOG_REDACTION: Pick<pino.LoggerOptions, 'serializers' | 'redact'> = {
  serializers: {
    req: (req: {
      method?: string;
      url?: string;
      headers?: unknown;
      socket?: { remoteAddress?: string };
    }) => ({
      method: req.method,
      url: typeof req.url === 'string' ? redactQuery(req.url) : req.url,
      remoteAddress: req.socket?.remoteAddress,
    }),
  },
  redact: {
    paths: SECRET_HEADERS.flatMap((name) => [
      `req.headers["${name}"]`,
      `headers["${name}"]`,
      `res.headers["${name}"]`,
    ]),
    censor: 'REDACTED',
  },
};

export function createLogger(
  config: { logLevel: string; logFormat: LogFormat },
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): pino.Logger {
  const options: pino.LoggerOptions = { level: config.logLevel, ...LOG_REDACTION };
  if (!prettyFor(config.logFormat, stream))
    return stream === process.stdout ? pino(options) : pino(options, stream);
  const colours = stream.isTTY === true && !process.env.NO_COLOR;
  return pino(options, { write: (line: string) => void stream.write(prettyLine(line, colours)) });
}

const LEVELS: Record<number, [string, string]> = {
  10: ['TRACE', '\x1b[90m'],
  20: ['DEBUG', '\x1b[36m'],
  30: ['INFO ', '\x1b[32m'],
  40: ['WARN ', '\x1b[33m'],
  50: ['ERROR', '\x1b[31m'],
  60: ['FATAL', '\x1b[35m'],
};
/** pino's own fields, which the line shows in its own way or not at all. */
const OMITTED = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'reqId', 'err']);

/** One pino JSON record as `HH:MM:SS.mmm LEVEL message key=value ...`. */
export function prettyLine(json: string, colours = false): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const level = LEVELS[Number(record.level)] ?? [String(record.level), ''];
  const time = typeof record.time === 'number' ? new Date(record.time) : null;
  const clock = time
    ? `${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}.${String(time.getMilliseconds()).padStart(3, '0')}`
    : '';
  const label = colours ? `${level[1]}${level[0]}\x1b[0m` : level[0];
  const parts = [clock, label, String(record.msg ?? '')];
  for (const [key, value] of Object.entries(record)) {
    if (OMITTED.has(key) || value === undefined) continue;
    parts.push(
      `${key}=${typeof value === 'string' && !/[\s"=]/.test(value) ? value : JSON.stringify(value)}`,
    );
  }
  const err = record.err as { type?: string; message?: string } | undefined;
  if (err) parts.push(`err=${JSON.stringify(`${err.type ?? 'Error'}: ${err.message ?? ''}`)}`);
  return `${parts.filter((part) => part !== '').join(' ')}\n`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Fastify's per-request lines at debug instead of info, as one line per request (method, URL,
 * status, time) instead of two; failures keep their level.
 */
export class RequestLogs extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (error) return super.requestCompleted(error, request, reply);
    reply.log.debug(
      {
        method: request.method,
        url: redactQuery(request.url),
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: redactQuery(request.url) }, 'no such route');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
    else request.log.debug({ status: reply.statusCode, err: error }, error.message);
  }
}
