// Every address a host name resolves to, through the system resolver (as a connection would
// resolve it), given up after a few seconds so a save never waits on a slow DNS server.
import { lookup } from 'node:dns/promises';

export async function resolveHost(host: string, timeoutMs = 3_000): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer for ${host} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    const found = await Promise.race([lookup(host, { all: true, verbatim: true }), timeout]);
    return found.map((entry) => entry.address);
  } finally {
    clearTimeout(timer);
  }
}
