// The facts a figure needs to be read: the machine, Node and the database.
import { arch, cpus, platform, release, totalmem } from 'node:os';
import { databaseVersion, freshDatabase } from './database.ts';

export interface MachineFacts {
  cpus: number;
  cpu_model: string;
  memory_gib: number;
  node: string;
  os: string;
  database: string;
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
  };
}
