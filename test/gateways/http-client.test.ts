// The gateways' HTTP client against a real local server: bodies with a length, connections
// kept alive and reused, redirects not followed, a deadline over the whole exchange, and
// requests that cannot be built refused before anything is sent.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { sendHttp, UnsendableRequest } from '../../src/gateways/http-client.ts';
import { exchange, type HttpRequest } from '../../src/gateways/http-outcome.ts';

let server: Server;
let base = '';
const sockets = new Set<unknown>();
const seen: { headers: IncomingHttpHeaders; body: string }[] = [];

before(async () => {
  server = createServer((req, res) => {
    sockets.add(req.socket);
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      seen.push({ headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/elsewhere' }).end();
      } else if (req.url === '/slow-body') {
        res.writeHead(200);
        res.write('part');
        // The rest never comes: the deadline covers the body too.
      } else {
        res.writeHead(200, { 'content-type': 'text/plain', 'x-multi': ['a', 'b'] }).end(`échoed ${body}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a body goes with its length in bytes, and the answer is read as UTF-8', async () => {
  const response = await sendHttp(
    { method: 'POST', url: `${base}/send`, headers: { 'content-type': 'text/plain' }, body: 'Habari ✓' },
    2000,
  );
  assert.equal(response.status, 200);
  assert.equal(response.body, 'échoed Habari ✓');
  assert.equal(response.headers['x-multi'], 'a, b');
  const last = seen.at(-1);
  assert.equal(last?.headers['content-length'], String(Buffer.byteLength('Habari ✓')));
  assert.equal(last?.headers['transfer-encoding'], undefined);
});

test('sequential requests reuse one kept-alive connection', async () => {
  sockets.clear();
  for (let i = 0; i < 5; i++)
    await sendHttp({ method: 'GET', url: `${base}/ping`, headers: {}, body: null }, 2000);
  assert.equal(sockets.size, 1);
});

test('a redirect is an answer, not followed', async () => {
  const outcome = await exchange({ method: 'GET', url: `${base}/redirect`, headers: {}, body: null }, 2000, {
    secrets: [],
    now: () => 0,
  });
  assert.equal(outcome.kind, 'rejected');
  assert.match(outcome.kind === 'rejected' ? outcome.detail : '', /redirect to \/elsewhere/);
});

test('the deadline covers a body that never ends', async () => {
  const outcome = await exchange({ method: 'GET', url: `${base}/slow-body`, headers: {}, body: null }, 300, {
    secrets: [],
    now: () => 0,
  });
  assert.equal(outcome.kind, 'temporary');
  assert.match(outcome.kind === 'temporary' ? outcome.detail : '', /timed out after 300 ms/);
});

test('requests that cannot be built are refused before sending, and are not retried', async () => {
  const before = seen.length;
  const unbuildable: HttpRequest[] = [
    { method: 'GET', url: 'ftp://127.0.0.1/x', headers: {}, body: null },
    { method: 'GET', url: 'not a url', headers: {}, body: null },
    { method: 'GET', url: `${base}/x`, headers: { 'x-bad': 'line\nbreak' }, body: null },
  ];
  for (const request of unbuildable) {
    await assert.rejects(sendHttp(request, 1000), UnsendableRequest);
    const outcome = await exchange(request, 1000, { secrets: [], now: () => 0 });
    assert.equal(outcome.kind, 'rejected', request.url);
  }
  assert.equal(seen.length, before, 'nothing reached the server');
});
