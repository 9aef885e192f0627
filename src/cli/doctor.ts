// `caseline doctor`: checks what a running caseline depends on — the configuration, the data
// directory and admin key, the database and its migrations, whether each gateway's server can be
// reached (a connection only: nothing is sent), the public URL gateways call back on, SMTP, and
// whether a server answers — and prints one line per check with what to fix. Exit code 1 when a
// check fails. It changes nothing: no database file is created, no migration applied.
import { constants, existsSync, statSync } from 'node:fs';
import { access } from 'node:fs/promises';
import { request } from 'node:http';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { sql } from 'kysely';
import { adminKeyFile } from '../data-dir.ts';
import { checkedAdminKey, readConfig, type Config } from '../config.ts';
import { openDatabase } from '../db/connection.ts';
import { loadMigrations } from '../db/migrations.ts';
import { plainDatabaseError, reachDatabase } from '../db/reach.ts';
import { parseDatabaseUrl, redactUrl } from '../db/url.ts';
import { PlainError } from '../plain-error.ts';
import { VERSION } from '../version.ts';

type Verdict = 'ok' | 'warn' | 'fail' | 'info';

interface Finding {
  verdict: Verdict;
  what: string;
  detail: string;
}

const LABEL: Record<Verdict, string> = { ok: 'ok  ', warn: 'warn', fail: 'FAIL', info: '--  ' };
const NETWORK_TIMEOUT_MS = 3_000;

export async function doctor(env: NodeJS.ProcessEnv, print: (line: string) => void): Promise<number> {
  const findings: Finding[] = [];
  const say = (verdict: Verdict, what: string, detail: string) => {
    findings.push({ verdict, what, detail });
    print(`  ${LABEL[verdict]}  ${what.padEnd(16)} ${detail}`);
  };
  print(`caseline ${VERSION} doctor`);
  let config: Config;
  try {
    config = readConfig(env);
    say('ok', 'configuration', 'the environment variables are well-formed');
  } catch (error) {
    say('fail', 'configuration', message(error));
    return summary(findings, print);
  }

  checkDataDir(config, say);
  checkAdminKey(config, say);
  const gateways = await checkDatabase(config, say);
  checkPublicUrl(config, env, gateways, say);
  for (const gateway of gateways) await checkGateway(gateway, say);
  await checkSmtp(env, say);
  await checkServer(config, say);
  return summary(findings, print);
}

function summary(findings: Finding[], print: (line: string) => void): number {
  const failed = findings.filter((f) => f.verdict === 'fail').length;
  const warned = findings.filter((f) => f.verdict === 'warn').length;
  print(
    failed === 0
      ? `no problems${warned > 0 ? ` (${warned} warning${warned === 1 ? '' : 's'} above)` : ''}`
      : `${failed} problem${failed === 1 ? '' : 's'} to fix (FAIL above)`,
  );
  return failed === 0 ? 0 : 1;
}

type Say = (verdict: Verdict, what: string, detail: string) => void;

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkDataDir(config: Config, say: Say): void {
  const dir = config.dataDir;
  if (!existsSync(dir)) {
    let parent = dirname(dir);
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    const writable = (() => {
      try {
        return (statSync(parent).mode & 0o222) !== 0;
      } catch {
        return false;
      }
    })();
    say(
      writable ? 'ok' : 'fail',
      'data directory',
      writable
        ? `${dir} (created at the first start)`
        : `${dir} cannot be created — set CASELINE_DATA_DIR to a folder you may write`,
    );
    return;
  }
  say('ok', 'data directory', dir);
}

function checkAdminKey(config: Config, say: Say): void {
  try {
    if (checkedAdminKey(config) !== null) {
      say('ok', 'admin key', 'CASELINE_ADMIN_KEY');
      return;
    }
  } catch (error) {
    say('fail', 'admin key', message(error));
    return;
  }
  const file = adminKeyFile(config.dataDir);
  if (!existsSync(file)) {
    say(
      'info',
      'admin key',
      `none yet: the first start generates one, prints it once and keeps it in ${file}`,
    );
    return;
  }
  const mode = statSync(file).mode & 0o777;
  if ((mode & 0o077) !== 0)
    say('warn', 'admin key', `${file} is readable by others (mode ${mode.toString(8)}) — chmod 600 ${file}`);
  else say('ok', 'admin key', `kept in ${file}`);
}

interface GatewayRow {
  id: string;
  type: string;
  owner: string;
  config: Record<string, unknown>;
  inboundSecret: boolean;
}

/** Checks the database and its migrations; returns its gateways (none when it cannot be read). */
async function checkDatabase(config: Config, say: Say): Promise<GatewayRow[]> {
  const target = parseDatabaseUrl(config.databaseUrl);
  const shown = redactUrl(config.databaseUrl);
  if (target.kind === 'sqlite' && target.path !== ':memory:' && !existsSync(target.path)) {
    try {
      await access(dirname(target.path), constants.W_OK).catch(async (error: unknown) => {
        if (existsSync(dirname(target.path))) throw error;
      });
      say('ok', 'database', `${shown} (a new SQLite database, created at the first start)`);
    } catch (error) {
      say('fail', 'database', message(plainDatabaseError(error, target)));
    }
    return [];
  }
  // Reach it as a start does (PostgreSQL: a connection within 5 s), without migrating.
  let db;
  try {
    await reachDatabase(config.databaseUrl, { patienceMs: NETWORK_TIMEOUT_MS });
    db = await openDatabase(config.databaseUrl);
    await sql`SELECT 1`.execute(db.kysely);
  } catch (error) {
    await db?.close().catch(() => undefined);
    const plain = plainDatabaseError(error, target);
    say('fail', 'database', plain instanceof PlainError ? plain.message : `${shown}: ${message(error)}`);
    return [];
  }
  try {
    const dialect = target.kind === 'sqlite' ? 'sqlite' : 'postgres';
    const known = loadMigrations(dialect);
    let applied: Set<number>;
    try {
      const rows = await sql<{ version: number }>`SELECT version FROM caseline_migrations`.execute(db.kysely);
      applied = new Set(rows.rows.map((row) => Number(row.version)));
    } catch {
      applied = new Set();
    }
    const pending = known.filter((m) => !applied.has(m.version)).length;
    if (applied.size === 0) {
      say(
        'warn',
        'database',
        `${shown} has no caseline tables yet — caseline migrate (or the first start) creates them`,
      );
      return [];
    }
    say('ok', 'database', `${shown} answers`);
    say(
      pending === 0 ? 'ok' : 'warn',
      'migrations',
      pending === 0
        ? `all ${known.length} applied`
        : `${pending} of ${known.length} not applied yet — caseline migrate (or restarting the server) applies them`,
    );
    const rows = await db.kysely
      .selectFrom('gateways')
      .select(['id', 'type', 'owner', 'config', 'inbound_secret'])
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      type: row.type,
      owner: row.owner,
      config: JSON.parse(row.config) as Record<string, unknown>,
      inboundSecret: row.inbound_secret !== null && row.inbound_secret !== '',
    }));
  } finally {
    await db.close();
  }
}

const LOCAL = /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|0\.0\.0\.0|\[::1\]|\[f[cd])/;

function checkPublicUrl(config: Config, env: NodeJS.ProcessEnv, gateways: GatewayRow[], say: Say): void {
  let url: URL;
  try {
    url = new URL(config.publicUrl);
  } catch {
    say(
      'fail',
      'public URL',
      `CASELINE_PUBLIC_URL '${config.publicUrl}' is not a URL — e.g. https://sms.example.org`,
    );
    return;
  }
  // Gateways a provider calls back (the test gateway's webhook is posted to by hand).
  const callers = gateways
    .filter((g) => g.type === 'twilio' || (g.inboundSecret && g.type !== 'test'))
    .map((g) => g.id);
  const set = env.CASELINE_PUBLIC_URL ? 'CASELINE_PUBLIC_URL' : 'the default (CASELINE_PUBLIC_URL unset)';
  if (LOCAL.test(url.host)) {
    say(
      callers.length > 0 ? 'warn' : 'info',
      'public URL',
      `${config.publicUrl} is ${set}, reachable from this machine or network only` +
        (callers.length > 0
          ? ` — ${callers.length === 1 ? `gateway ${callers[0]} is` : `gateways ${callers.join(', ')} are`} called back from the internet: set CASELINE_PUBLIC_URL to the https:// address the provider reaches`
          : '; set CASELINE_PUBLIC_URL before a provider must call back'),
    );
  } else if (url.protocol !== 'https:') {
    say(
      'warn',
      'public URL',
      `${config.publicUrl} is plain http — serve caseline behind https for providers' webhooks`,
    );
  } else say('ok', 'public URL', config.publicUrl);
}

/** The host and port a gateway of a known type connects to, or null. */
function endpointOf(gateway: GatewayRow): { host: string; port: number } | null {
  const address =
    gateway.type === 'http'
      ? gateway.config.url
      : gateway.type === 'twilio'
        ? (gateway.config.base_url ?? 'https://api.twilio.com')
        : null;
  if (typeof address !== 'string') return null;
  try {
    const url = new URL(address);
    return { host: url.hostname, port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80 };
  } catch {
    return null;
  }
}

async function checkGateway(gateway: GatewayRow, say: Say): Promise<void> {
  const name = `gateway ${gateway.id}`;
  const owner = gateway.owner === '' ? 'global' : `project ${gateway.owner}`;
  if (gateway.type === 'test') {
    say('ok', name, `test (${owner}): records what it accepts, nothing to reach`);
    return;
  }
  const endpoint = endpointOf(gateway);
  if (endpoint === null) {
    say('info', name, `${gateway.type} (${owner}): not checked`);
    return;
  }
  const where = `${endpoint.host}:${endpoint.port}`;
  const problem = await tcpProblem(endpoint.host, endpoint.port);
  say(
    problem === null ? 'ok' : 'fail',
    name,
    problem === null
      ? `${gateway.type} (${owner}): ${where} answers`
      : `${gateway.type} (${owner}): cannot reach ${where} (${problem}) — check the gateway's URL and this machine's network access`,
  );
}

async function checkSmtp(env: NodeJS.ProcessEnv, say: Say): Promise<void> {
  let host: string;
  let port: number;
  if (env.SMTP_URL) {
    try {
      const url = new URL(env.SMTP_URL);
      host = url.hostname || 'localhost';
      port = url.port ? Number(url.port) : url.protocol === 'smtps:' ? 465 : 587;
    } catch {
      say('fail', 'e-mail (SMTP)', 'SMTP_URL is not a URL — e.g. smtp://user:password@smtp.example.org:587');
      return;
    }
  } else if (env.SMTP_HOST) {
    host = env.SMTP_HOST;
    port = env.SMTP_PORT ? Number(env.SMTP_PORT) : /^(true|1|yes)$/i.test(env.SMTP_SECURE ?? '') ? 465 : 587;
  } else {
    say(
      'info',
      'e-mail (SMTP)',
      'off: e-mail fails with EMAIL_GATEWAY_ERROR — set SMTP_URL=smtp://user:password@host:587 and SMTP_FROM',
    );
    return;
  }
  const problem = await tcpProblem(host, port);
  say(
    problem === null ? 'ok' : 'fail',
    'e-mail (SMTP)',
    problem === null
      ? `${host}:${port} answers${env.SMTP_FROM || /@/.test(env.SMTP_USER ?? '') || /@/.test(decodeURIComponent(env.SMTP_URL?.match(/\/\/([^:@/]*)/)?.[1] ?? '')) ? '' : ' (set SMTP_FROM, the sender address)'}`
      : `cannot reach ${host}:${port} (${problem}) — check SMTP_URL / SMTP_HOST and SMTP_PORT`,
  );
}

async function checkServer(config: Config, say: Say): Promise<void> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const address = `http://${host.includes(':') ? `[${host}]` : host}:${config.port}`;
  const status = await new Promise<number | string>((resolve) => {
    const req = request(`${address}/healthz`, { timeout: NETWORK_TIMEOUT_MS }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('no answer'), { code: 'ETIMEDOUT' })));
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    req.end();
  });
  if (status === 200) say('ok', 'server', `answers at ${address}/healthz`);
  else if (status === 'ECONNREFUSED')
    say('info', 'server', `none listens on ${address} — npm start (or caseline serve) starts one`);
  else
    say(
      'warn',
      'server',
      `${address}/healthz answered ${status} — is another program on port ${config.port}?`,
    );
}

/** Null when a TCP connection to host:port opens within the timeout, else why not. */
function tcpProblem(host: string, port: number): Promise<string | null> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: NETWORK_TIMEOUT_MS });
    socket.once('connect', () => {
      socket.destroy();
      resolve(null);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(`no answer in ${NETWORK_TIMEOUT_MS / 1000} s`);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
