// The parent's handle on the gateway process (gateway-process.ts).
import { fork, type ChildProcess } from 'node:child_process';
import { childModule } from '../paths.ts';
import type { GatewayRequest, GatewayStats } from './gateway-process.ts';

export interface BenchGateway {
  /** Where the `http` gateway posts: form fields to, text, ref. */
  url: string;
  /** The gateway process, for its CPU time. */
  pid: number;
  stats(withArrivals?: boolean): Promise<GatewayStats>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** Runs a module of this folder ('gateway-process') in a child process with an IPC channel. */
export function forkTs(file: string, args: string[] = []): ChildProcess {
  const { path, execArgv } = childModule(`bench/${file}`);
  return fork(path, args, {
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
}

export async function startGateway(): Promise<BenchGateway> {
  const child = forkTs('gateway-process');
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the gateway process exited (${code})`)));
    child.once('message', (message: { url: string }) => resolve(message.url));
  });
  let next = 0;
  const ask = <T>(
    request: GatewayRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never,
  ): Promise<T> =>
    new Promise((resolve) => {
      const id = ++next;
      const onMessage = (message: { id?: number } & T) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        resolve(message);
      };
      child.on('message', onMessage);
      child.send({ ...request, id });
    });
  return {
    url,
    pid: child.pid ?? 0,
    stats: async (withArrivals = false) =>
      (await ask<{ stats: GatewayStats }>({ type: 'stats', arrivals: withArrivals })).stats,
    reset: async () => {
      await ask({ type: 'reset' });
    },
    async close() {
      if (child.connected) child.disconnect();
      await exited;
    },
  };
}
