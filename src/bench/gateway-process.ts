// A local HTTP SMS gateway in its own process, so that on a small machine its work is not
// charged to the process being measured. It answers every POST with 200 {"id": ...}, counts
// each message reference (the `ref` parameter) and notes when each first arrived. The parent
// talks to it over IPC: see gateway.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export type GatewayRequest = { id: number; type: 'stats'; arrivals: boolean } | { id: number; type: 'reset' };
export interface GatewayStats {
  total: number;
  distinct: number;
  /** [ref, epoch ms with fractions] of each reference's first arrival, when asked for. */
  arrivals?: [string, number][];
}

const arrivals = new Map<string, number>();
let total = 0;
const wallNow = () => performance.timeOrigin + performance.now();

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const at = wallNow();
    const ref = new URLSearchParams(Buffer.concat(chunks).toString('utf8')).get('ref') ?? '';
    total++;
    if (!arrivals.has(ref)) arrivals.set(ref, at);
    response.writeHead(200, { 'content-type': 'application/json' }).end(`{"id":"gw-${ref}"}`);
  });
});
server.keepAliveTimeout = 30_000;

server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}/send` });
});

process.on('message', (message: GatewayRequest) => {
  if (message.type === 'reset') {
    arrivals.clear();
    total = 0;
    process.send?.({ id: message.id });
    return;
  }
  const stats: GatewayStats = {
    total,
    distinct: arrivals.size,
    ...(message.arrivals ? { arrivals: [...arrivals] } : {}),
  };
  process.send?.({ id: message.id, stats });
});
process.on('disconnect', () => {
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
