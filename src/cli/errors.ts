// How a failed command or start ends: one line on stderr naming the cause and the fix, exit code
// 1, no stack trace — unless --debug or LOG_LEVEL=debug asks for the details.
import { PlainError } from '../plain-error.ts';

/** Node's errors for a file or a socket carry these. */
interface SystemError extends Error {
  code?: string;
  path?: string;
  syscall?: string;
  address?: string;
  port?: number;
}

const FILE_PROBLEMS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
};

/** A command-line input the use cases refused (app's InputError), told apart by its shape. */
function isInputError(error: unknown): error is Error & { field: string; describe(): string } {
  return error instanceof Error && error.name === 'InputError' && 'describe' in error;
}

/** The one line that tells the operator what went wrong and what to do. */
export function describeFailure(error: unknown, command = '', debug = false): string {
  if (error instanceof PlainError) return error.message;
  if (isInputError(error))
    return `${error.describe()} — check the arguments${command === '' ? '' : ` (caseline ${command} --help)`}`;
  const system = error instanceof Error ? (error as SystemError) : null;
  const code = system?.code ?? '';
  if (system && code === 'EADDRINUSE' && system.syscall === 'listen')
    return new PlainError(
      `port ${system.port} on ${system.address} is already in use (another caseline?)`,
      `stop the other process, or choose another port: PORT=${(system.port ?? 8080) + 1}`,
    ).message;
  if (system && (code === 'EACCES' || code === 'EADDRNOTAVAIL') && system.syscall === 'listen')
    return new PlainError(
      code === 'EACCES'
        ? `not allowed to listen on port ${system.port} of ${system.address}`
        : `${system.address} is not an address of this machine`,
      code === 'EACCES'
        ? 'choose a port above 1023: PORT=8080'
        : 'set HOST to one of its addresses, e.g. HOST=127.0.0.1',
    ).message;
  if (system?.path !== undefined && code in FILE_PROBLEMS)
    return new PlainError(
      `cannot read ${system.path}: ${FILE_PROBLEMS[code]}`,
      'check the path and its permissions',
    ).message;
  const message = error instanceof Error ? error.message : String(error);
  const details = `${message}${code && !message.includes(code) ? ` (${code})` : ''}`;
  return debug ? details : `${details} — run again with --debug for the details`;
}

/** Prints the failure of `command` ('' for the server itself) and returns the exit code, 1. */
export function reportFailure(error: unknown, command: string, debug: boolean): number {
  const prefix = command === '' ? 'caseline' : `caseline ${command}`;
  console.error(`${prefix}: ${describeFailure(error, command, debug)}`);
  if (debug) console.error(error);
  return 1;
}

/** --debug anywhere on the command line, or LOG_LEVEL=debug (or trace). */
export function debugWanted(argv: readonly string[], env: NodeJS.ProcessEnv): boolean {
  return argv.includes('--debug') || env.LOG_LEVEL === 'debug' || env.LOG_LEVEL === 'trace';
}
