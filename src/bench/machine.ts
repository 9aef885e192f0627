// The facts a figure needs to be read: the machine, Node and the database.
import { execFileSync } from 'node:child_process';
import { arch, cpus, loadavg, platform, release, totalmem } from 'node:os';
import { PACKAGE_ROOT } from '../paths.ts';
import { databaseVersion, freshDatabase } from './database.ts';

export interface MachineFacts {
  cpus: number;
  cpu_model: string;
  memory_gib: number;
  node: string;
  os: string;
  database: string;
  /** The commit measured, with "+changes" when the work tree differs from it. */
  revision: string;
  /** 1-minute load average when the run started and when it ended: other work on the machine. */
  load?: { start: number; end?: number };
}

function revision(): string {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: PACKAGE_ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') === '' ? '' : '+changes'}`;
  } catch {
    return 'unknown';
  }
}

/** The 1-minute load average now, for the end of a run. */
export function loadNow(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export async function machineFacts(target: string | null): Promise<MachineFacts> {
  const list = cpus();
  let database: string;
  try {
    const bench = await freshDatabase(target);
    try {
      database = await databaseVersion(bench);
    } finally {
      await bench.close();
    }
  } catch (error) {
    database = `unavailable: ${error instanceof Error ? error.message : String(error)}`;
  }
  return {
    cpus: list.length,
    cpu_model: list[0]?.model.trim() ?? 'unknown',
    memory_gib: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${platform()} ${release()} ${arch()}`,
    database,
    revision: revision(),
    load: { start: loadNow() },
  };
}
