// The HTTP client gateways are called with: node:http/https over keep-alive agents. Global
// fetch (undici, web streams, an AbortSignal per request) cost about 30 % of the dispatcher's
// CPU and capped a bare send loop at 1,200–2,400 requests/s here, where node:http with a
// keep-alive agent did ~5,000/s. Redirects are not followed (a redirect is a wrong URL, and
// following one could lead a guarded gateway anywhere). Every request says who sends it:
// User-Agent caseline/<version> (SPEC 3.6). A guarded gateway's requests (outboundScope) go
// through agents of their own that check each address connected to (guarded-lookup.ts).
import http from 'node:http';
import https from 'node:https';
import { checkHostLiteral, ForbiddenAddressError, guardedLookup, outboundScope } from './guarded-lookup.ts';
import type { HttpRequest, HttpResponse } from './http-outcome.ts';
import { USER_AGENT } from './user-agent.ts';

/** Connections kept per gateway host; more than the dispatcher's sends in flight. */
const MAX_SOCKETS = 64;
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS }),
};
const guardedAgents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, lookup: guardedLookup }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS, lookup: guardedLookup }),
};

/** A request that cannot be built (bad URL, header or protocol): sending again would not help. */
export class UnsendableRequest extends Error {
  override name = 'UnsendableRequest';
}

/** Sends `request`; rejects with a TimeoutError after `timeoutMs` in all, or a network error. */
export function sendHttp(request: HttpRequest, timeoutMs: number): Promise<HttpResponse> {
  let outgoing: http.ClientRequest;
  try {
    const url = new URL(request.url);
    const guarded = outboundScope.getStore() === true;
    const pool = guarded ? guardedAgents : agents;
    const agent =
      url.protocol === 'https:' ? pool['https:'] : url.protocol === 'http:' ? pool['http:'] : null;
    if (!agent) throw new TypeError(`unsupported protocol ${url.protocol}`);
    // A literal address is never looked up, so the lookup's check would not see it.
    if (guarded) checkHostLiteral(url.hostname);
    const headers: Record<string, string> = { ...request.headers };
    if (!Object.keys(headers).some((name) => name.toLowerCase() === 'user-agent'))
      headers['user-agent'] = USER_AGENT;
    const body = request.body === null ? null : Buffer.from(request.body, 'utf8');
    // A length rather than chunked encoding, which some gateways do not read.
    if (body && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-length'))
      headers['content-length'] = String(body.length);
    outgoing = (url.protocol === 'https:' ? https : http).request(url, {
      method: request.method,
      headers,
      agent,
    });
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const error = new Error(`no complete answer within ${timeoutMs} ms`);
        error.name = 'TimeoutError';
        outgoing.destroy(error);
      }, timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      outgoing.on('error', fail);
      outgoing.on('response', (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('error', fail);
        incoming.on('end', () => {
          clearTimeout(timer);
          const responseHeaders: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) {
            if (value !== undefined)
              responseHeaders[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
          }
          resolve({
            status: incoming.statusCode ?? 0,
            headers: responseHeaders,
            body: Buffer.concat(chunks).toString('utf8'),
          });
        });
      });
      outgoing.end(body ?? undefined);
    });
  } catch (error) {
    if (error instanceof ForbiddenAddressError) return Promise.reject(error);
    return Promise.reject(new UnsendableRequest(error instanceof Error ? error.message : String(error)));
  }
}
