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

export function createLogger(
  config: { logLevel: string; logFormat: LogFormat },
  stream: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout,
): pino.Logger {
  const options: pino.LoggerOptions = { level: config.logLevel };
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
        url: request.url,
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
      },
      'request',
    );
  }

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ method: request.method, url: request.url }, 'no such route');
  }

  override defaultErrorLog(error: Error, request: FastifyRequest, reply: FastifyReply): void {
    if (reply.statusCode >= 500) super.defaultErrorLog(error, request, reply);
    else request.log.debug({ status: reply.statusCode, err: error }, error.message);
  }
}
