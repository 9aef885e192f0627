// A local HTTP SMS gateway for tests and benchmarks: accepts form or JSON posts, counts every
// message reference it receives (to see duplicates), and can be told to fail.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface GatewayServer {
  url: string;
  /** Times each reference (the `ref` field) was received. */
  received: Map<string, number>;
  total(): number;
  close(): Promise<void>;
}

async function body(request: IncomingMessage): Promise<Record<string, string>> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  if ((request.headers['content-type'] ?? '').includes('json'))
    return JSON.parse(text) as Record<string, string>;
  return Object.fromEntries(new URLSearchParams(text));
}

/** `fail(fields)` may answer a status code to fail that request. */
export async function startGatewayServer(
  fail?: (fields: Record<string, string>) => number | null,
): Promise<GatewayServer> {
  const received = new Map<string, number>();
  let total = 0;
  const server: Server = createServer((request, response) => {
    body(request).then(
      (fields) => {
        const status = fail?.(fields) ?? null;
        if (status !== null) {
          response.writeHead(status, { 'content-type': 'application/json' }).end('{"error":"injected"}');
          return;
        }
        const ref = fields.ref ?? '';
        received.set(ref, (received.get(ref) ?? 0) + 1);
        total++;
        response
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ id: `gw-${ref}` }));
      },
      () => response.writeHead(400).end(),
    );
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/send`,
    received,
    total: () => total,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
