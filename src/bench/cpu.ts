// Where the CPU went during a measurement: each process's user + system time from /proc (Linux),
// and the whole machine's busy time, so that a benchmark sharing 2 cores with its gateway and
// PostgreSQL can say which of them used the cores. Elsewhere the readings are null.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | null = null;

/** USER_HZ: the unit of /proc's CPU times (100 on every usual Linux). */
function hertz(): number {
  if (ticksPerSecond === null) {
    try {
      ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

/** CPU seconds (user + system) a process has used, or null when it is gone or /proc is missing. */
export function processCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / hertz();
  } catch {
    return null;
  }
}

/** CPU seconds the whole machine spent busy (all cores, everything but idle and iowait). */
export function machineBusySeconds(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const [, ...values] = line.trim().split(/\s+/);
    const ticks = values.slice(0, 8).map(Number);
    const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
    return (ticks.reduce((a, b) => a + b, 0) - idle) / hertz();
  } catch {
    return null;
  }
}

/** CPU seconds of several processes at one instant, by pid (gone or unreadable ones left out). */
export function sampleCpu(pids: readonly number[]): Map<number, number> {
  const sample = new Map<number, number>();
  for (const pid of pids) {
    const seconds = processCpuSeconds(pid);
    if (seconds !== null) sample.set(pid, seconds);
  }
  return sample;
}

/**
 * CPU seconds the processes used between two samples; a process absent from the first sample
 * (started during the window) counts from zero.
 */
export function cpuBetween(
  before: Map<number, number>,
  after: Map<number, number>,
  pids: readonly number[],
): number {
  let total = 0;
  for (const pid of pids) {
    const end = after.get(pid);
    if (end !== undefined) total += end - (before.get(pid) ?? 0);
  }
  return total;
}

/** The largest resident memory a process has had (VmHWM), MiB; null when gone or without /proc. */
export function peakRssMb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : null;
  } catch {
    return null;
  }
}
