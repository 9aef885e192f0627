// E-mail through an SMTP server (SPEC 3.4), with nodemailer's pooled transport. Outcomes use
// the same closed vocabulary as SMS: an SMTP 4xx reply or a lost connection is temporary,
// a 5xx reply is a rejection.
import type { Transporter } from 'nodemailer';
import type SMTPPool from 'nodemailer/lib/smtp-pool';
import Type from 'typebox';
import type { Static } from 'typebox';
import type { EmailGatewayType } from '../../app/ports/gateway-types.ts';
import type { AttemptTrace, Mailer, OutboundEmail, SendOutcome } from '../../app/ports/gateway.ts';
import { parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';
import { TRACE_BODY_LIMIT, cut, redact } from '../http-outcome.ts';

/** The SMTP transport's settings (from the environment: smtpSettingsFromEnv). */
export const SmtpConfig = Strict({
  /** `smtp://user:pass@host:port` or `smtps://…` (TLS from the start); wins over the fields below. */
  url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  /** Default localhost. */
  host: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  /** Default 465 when secure, else 587. */
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65_535 })),
  /** TLS from the first byte (port 465); otherwise STARTTLS is used when the server offers it. */
  secure: Type.Optional(Type.Boolean()),
  user: Type.Optional(Type.Union([Type.String({ maxLength: 320 }), Type.Null()])),
  pass: Type.Optional(Type.Union([Type.String({ maxLength: 1000 }), Type.Null()])),
  /** The sender address (`Clinic reminders <reminders@example.org>`), unless the project has its own (email_from). */
  from: Type.Union([Type.String({ maxLength: 320 }), Type.Null()]),
  /** Time allowed to connect, for the greeting and for each reply, in ms; default 30000. */
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 600_000 })),
});
export type SmtpSettings = Static<typeof SmtpConfig>;

/** Default time the SMTP server has for each step, in ms. */
export const DEFAULT_SMTP_TIMEOUT_MS = 30_000;

/**
 * SMTP settings from the environment: `SMTP_URL`, or `SMTP_HOST`, `SMTP_PORT`, `SMTP_SECURE`
 * (`true`/`1`), `SMTP_USER`, `SMTP_PASSWORD`; and `SMTP_FROM` (default: SMTP_USER when it is an
 * address) and `SMTP_TIMEOUT_MS`. Null when neither SMTP_URL nor SMTP_HOST is set.
 */
export function smtpSettingsFromEnv(env: Readonly<Record<string, string | undefined>>): SmtpSettings | null {
  const url = env.SMTP_URL || undefined;
  const host = env.SMTP_HOST || undefined;
  if (url === undefined && host === undefined) return null;
  const settings: SmtpSettings = { from: env.SMTP_FROM || null };
  if (url !== undefined) {
    settings.url = url;
  } else {
    settings.host = host;
    if (env.SMTP_PORT) settings.port = integer('SMTP_PORT', env.SMTP_PORT, 1, 65535);
    if (env.SMTP_SECURE) settings.secure = /^(true|1|yes)$/i.test(env.SMTP_SECURE);
    settings.user = env.SMTP_USER || null;
    settings.pass = env.SMTP_PASSWORD || null;
  }
  if (env.SMTP_TIMEOUT_MS) settings.timeout_ms = integer('SMTP_TIMEOUT_MS', env.SMTP_TIMEOUT_MS, 1, 600_000);
  const server = resolve(settings);
  if (settings.from === null && server.user?.includes('@')) settings.from = server.user;
  return settings;
}

function integer(name: string, text: string, min: number, max: number): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max)
    throw new Error(`${name} must be a whole number from ${min} to ${max}, not '${text}'`);
  return value;
}

interface SmtpServer {
  host: string;
  port: number;
  secure: boolean;
  user: string | null;
  pass: string | null;
}

/** Host, port and credentials, from the URL when there is one; throws for a URL that is not smtp(s). */
function resolve(settings: SmtpSettings): SmtpServer {
  if (settings.url === undefined) {
    const secure = settings.secure ?? false;
    return {
      host: settings.host ?? 'localhost',
      port: settings.port ?? (secure ? 465 : 587),
      secure,
      user: settings.user ?? null,
      pass: settings.pass ?? null,
    };
  }
  let url: URL;
  try {
    url = new URL(settings.url);
  } catch {
    throw new Error('SMTP_URL must look like smtp://user:password@host:port');
  }
  if (url.protocol !== 'smtp:' && url.protocol !== 'smtps:')
    throw new Error(`SMTP_URL must start with smtp:// or smtps://, not ${url.protocol}//`);
  const secure = url.protocol === 'smtps:';
  return {
    host: url.hostname.replace(/^\[(.*)\]$/, '$1') || 'localhost',
    port: url.port === '' ? (secure ? 465 : 587) : Number(url.port),
    secure,
    user: url.username === '' ? null : decodeURIComponent(url.username),
    pass: url.password === '' ? null : decodeURIComponent(url.password),
  };
}

export interface SmtpMailer extends Mailer {
  /** Closes the pooled connections. */
  close(): void;
}

export function createSmtpMailer(settings: SmtpSettings): SmtpMailer {
  const server = resolve(settings);
  const timeout = settings.timeout_ms ?? DEFAULT_SMTP_TIMEOUT_MS;
  const secrets = server.pass === null ? [] : [server.pass];
  // nodemailer loads at the first send: a server that never sends e-mail never loads it.
  let transport: Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options> | null = null;
  const open = async (): Promise<Transporter<SMTPPool.SentMessageInfo, SMTPPool.Options>> => {
    if (transport) return transport;
    const { createTransport } = await import('nodemailer');
    transport = createTransport({
      pool: true,
      host: server.host,
      port: server.port,
      secure: server.secure,
      ...(server.user === null ? {} : { auth: { user: server.user, pass: server.pass ?? '' } }),
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
    });
    return transport;
  };
  const where = `${server.host}:${server.port}`;

  return {
    async send(mail: OutboundEmail): Promise<SendOutcome> {
      const from = mail.from ?? settings.from;
      if (from === null || from === '')
        return { kind: 'rejected', detail: 'no sender address is configured (set SMTP_FROM)' };
      const subject = mail.subject.trim() === '' ? '(No Subject)' : mail.subject;
      // The idempotency key names the message, so a copy sent twice after a crash is recognisable.
      const messageId = `<${mail.idempotencyKey}@${domainOf(from)}>`;
      const request = [
        `MAIL FROM: ${from}`,
        `RCPT TO: ${mail.to}`,
        `Message-ID: ${messageId}`,
        `Subject: ${subject}`,
        '',
        mail.text,
      ].join('\n');
      const trace = (response: string): AttemptTrace => ({
        request: cut(redact(request, secrets), TRACE_BODY_LIMIT),
        response: cut(redact(response, secrets), TRACE_BODY_LIMIT),
      });
      try {
        const info = await (
          await open()
        ).sendMail({
          from,
          to: mail.to,
          subject,
          text: mail.text,
          messageId,
          headers: { 'X-Caseline-Message': mail.idempotencyKey },
        });
        return {
          kind: 'accepted',
          providerMessageId: info.messageId || messageId,
          statusCode: replyCode(info.response),
          trace: trace(info.response),
        };
      } catch (error) {
        return outcomeOfSmtpError(error, where, secrets, trace);
      }
    },
    close(): void {
      transport?.close();
    },
  };
}

/** nodemailer codes of errors that lose the connection rather than refuse the message. */
const CONNECTION_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
]);

function outcomeOfSmtpError(
  error: unknown,
  where: string,
  secrets: readonly string[],
  trace: (response: string) => AttemptTrace,
): SendOutcome {
  const { code, responseCode, response, message } = (
    typeof error === 'object' && error !== null ? error : {}
  ) as {
    code?: unknown;
    responseCode?: unknown;
    response?: unknown;
    message?: unknown;
  };
  const text =
    typeof response === 'string' && response !== ''
      ? response
      : typeof message === 'string'
        ? message
        : String(error);
  const status = typeof responseCode === 'number' ? responseCode : undefined;
  if (status !== undefined) {
    // RFC 5321 4.2.1: 4yz is a transient failure, 5yz a permanent one.
    const kind = status >= 400 && status <= 499 ? 'temporary' : 'rejected';
    const auth = code === 'EAUTH' ? ' (check the SMTP user and password)' : '';
    return { kind, detail: redact(`SMTP ${text}${auth}`, secrets), statusCode: status, trace: trace(text) };
  }
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) {
    const timedOut = code === 'ETIMEDOUT' || /timeout|timed out/i.test(text);
    const detail = timedOut
      ? `SMTP server ${where} timed out: ${text}`
      : `SMTP server ${where} unreachable: ${text}`;
    return { kind: 'temporary', detail: redact(detail, secrets), trace: trace(text) };
  }
  // EENVELOPE without a reply (no valid recipient), EMESSAGE, EAUTH without a reply, ECONFIG:
  // the same mail would fail again.
  const prefix = typeof code === 'string' ? `${code}: ` : '';
  return { kind: 'rejected', detail: redact(`SMTP ${prefix}${text}`, secrets), trace: trace(text) };
}

/** The reply code at the start of an SMTP reply (`250 2.0.0 OK`), if any. */
function replyCode(reply: string): number | undefined {
  const match = /^(\d{3})\b/.exec(reply);
  return match?.[1] === undefined ? undefined : Number(match[1]);
}

/** The domain of a sender address (`Name <a@example.org>` → example.org). */
function domainOf(from: string): string {
  const match = /@([^\s<>@]+)>?\s*$/.exec(from);
  return match?.[1] ?? 'caseline.invalid';
}

/** The `smtp` e-mail transport: configured by the server's environment, not per project. */
export const smtpType: EmailGatewayType = {
  channel: 'email',
  name: 'smtp',
  label: 'SMTP (e-mail)',
  config: SmtpConfig,
  secretFields: ['pass'],
  parseConfig: (config) => parseInput(SmtpConfig, config, 'config'),
  secretsOf: (config) => {
    const pass = resolve(config as SmtpSettings).pass;
    return pass === null || pass === '' ? [] : [pass];
  },
  configFromEnv: (env) => smtpSettingsFromEnv(env),
  createMailer: (config) => createSmtpMailer(config as SmtpSettings),
};
