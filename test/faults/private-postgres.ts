// A throwaway PostgreSQL cluster of our own, for tests that stop and restart the server (the
// shared one on 5432 serves other tests at the same time). PostgreSQL refuses to run as root,
// so as root its programs run as the `postgres` user through runuser, in a directory under
// /tmp that user can reach.
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { closedPort } from '../support/net.ts';

const run = promisify(execFile);

export interface PrivatePostgres {
  url: string;
  /** Stops the server (fast shutdown: sessions are cut off), waits `downMs`, starts it again. */
  restart(downMs: number): Promise<void>;
  /** Stops the server if it runs and removes its directory. */
  destroy(): Promise<void>;
  /** The server's log, for a failure message. */
  log(): string;
}

/** The bin folder of the newest installed PostgreSQL with initdb, or null. */
export function findPostgresBin(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] === undefined ? null : join(root, versions[0], 'bin');
}

/** Why the tests cannot start a cluster here, or null when they can. */
export function whyNoPrivatePostgres(): string | null {
  if (findPostgresBin() === null) return 'no PostgreSQL server binaries (initdb) under /usr/lib/postgresql';
  if (userInfo().uid === 0) {
    try {
      postgresUser();
    } catch {
      return 'running as root and there is no postgres user to run the server as';
    }
  }
  return null;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = findPostgresBin();
  if (bin === null) throw new Error('no initdb found');
  const asRoot = userInfo().uid === 0;
  const pg = (program: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', join(bin, program), ...args])
      : run(join(bin, program), args);

  // /tmp, not os.tmpdir(): the postgres user must be able to reach it.
  const dir = mkdtempSync('/tmp/caseline-pg-');
  const data = join(dir, 'data');
  const logFile = join(dir, 'server.log');
  let running = false;
  const destroy = async () => {
    if (running) await pg('pg_ctl', ['stop', '-D', data, '-m', 'immediate', '-w']).catch(() => undefined);
    running = false;
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    if (asRoot) {
      const { uid, gid } = postgresUser();
      chownSync(dir, uid, gid);
    }
    await pg('initdb', [
      '-D',
      data,
      '-A',
      'trust',
      '-U',
      'postgres',
      '--no-sync',
      '--no-instructions',
      '-E',
      'UTF8',
      '--locale=C',
    ]);
    const port = await closedPort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    const start = async () => {
      await pg('pg_ctl', ['start', '-D', data, '-l', logFile, '-w', '-t', '60', '-o', options]);
      running = true;
    };
    await start();
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      async restart(downMs) {
        await pg('pg_ctl', ['stop', '-D', data, '-m', 'fast', '-w', '-t', '60']);
        running = false;
        await new Promise((resolve) => setTimeout(resolve, downMs));
        await start();
      },
      destroy,
      log: () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '(no server log)'),
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  const [, , uid, gid] = line?.split(':') ?? [];
  if (uid === undefined || gid === undefined) throw new Error('no postgres user in /etc/passwd');
  return { uid: Number(uid), gid: Number(gid) };
}
