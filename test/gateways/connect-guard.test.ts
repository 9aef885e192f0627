// The outbound address guard at connection time (SPEC 3.6, issue #14 finding 3): a gateway a
// project key saved connects only after its address is checked again — a row planted with a
// private address, or a name resolving to one, ends the attempt with a clear reason and the
// local server never hears of it; redirects are not followed; the admin's gateways and
// CASELINE_ALLOW_PRIVATE_GATEWAYS are not guarded.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import { guardedLookup } from '../../src/gateways/guarded-lookup.ts';
import { DATABASES } from '../support/databases.ts';
import { openHarness, startProvider, type Harness, type Provider } from '../support/provider-harness.ts';
import { PASSWORD, startSmsc } from '../support/smsc.ts';
import { SID, TOKEN } from './providers/twilio.case.ts';

const twilio = (url: string) => ({
  account_sid: SID,
  auth_token: TOKEN,
  from: '+15005550006',
  base_url: url,
});

/** Makes GW as a project key would have left it: untrusted. */
async function plantUntrusted(h: Harness): Promise<void> {
  const gateway = await h.t.store.gateways.get('GW');
  assert.ok(gateway);
  await h.t.store.gateways.put({ ...gateway, trusted: false }, h.deps.clock.now());
}

for (const name of DATABASES) {
  describe(`outbound address guard when connecting on ${name}`, () => {
    let h: Harness;
    let provider: Provider;
    before(async () => {
      h = await openHarness(name);
      provider = await startProvider(() => ({ status: 200, body: '{"sid":"SM1","status":"queued"}' }));
    });
    after(async () => {
      await provider.close();
      await h.close();
    });

    test('an untrusted gateway planted with a loopback URL: the send fails with the reason, the server gets nothing', async () => {
      await h.gateway('http', { url: `${provider.url}/send` });
      await plantUntrusted(h);
      const id = await h.send('hello');
      await h.work();
      const message = await h.message(id);
      assert.equal(message.status, 'error', JSON.stringify(message));
      assert.match(message.errorText ?? '', /refused to connect to 127\.0\.0\.1: a loopback address/);
      assert.equal(provider.requests.length, 0);
    });

    test('the same for Twilio, and for a name (localhost) that means this machine', async () => {
      for (const base of [provider.url, provider.url.replace('127.0.0.1', 'localhost')]) {
        await h.gateway('twilio', twilio(base));
        await plantUntrusted(h);
        const id = await h.send('hello');
        await h.work();
        const message = await h.message(id);
        assert.equal(message.status, 'error', base);
        assert.match(message.errorText ?? '', /refused to connect/, base);
      }
      assert.equal(provider.requests.length, 0);
    });

    test('the admin key’s (trusted) gateway reaches the same server', async () => {
      await h.gateway('http', { url: `${provider.url}/send` });
      const id = await h.send('hello');
      await h.work();
      assert.equal((await h.message(id)).status, 'sent');
      assert.equal(provider.requests.length, 1);
    });

    test('a redirect is not followed, even to an address the gateway may reach', async () => {
      const target = await startProvider(() => ({ status: 200 }));
      const redirecting = await startProvider(() => ({
        status: 302,
        headers: { location: `${target.url}/latest/meta-data` },
      }));
      try {
        await h.gateway('http', { url: `${redirecting.url}/send` });
        const id = await h.send('hello');
        await h.work();
        const message = await h.message(id);
        assert.equal(message.status, 'error');
        assert.match(message.errorText ?? '', /HTTP 302 \(redirect to .*; check the gateway URL\)/);
        assert.equal(redirecting.requests.length, 1);
        assert.equal(target.requests.length, 0);
      } finally {
        await redirecting.close();
        await target.close();
      }
    });
  });

  describe(`outbound address guard for SMPP on ${name}`, () => {
    test('an untrusted SMPP gateway on a loopback host never binds; the send fails with the reason', async () => {
      const smsc = await startSmsc();
      const h = await openHarness(name);
      try {
        const config = { host: 'localhost', port: smsc.port, system_id: 'caseline', password: PASSWORD };
        await h.gateway('smpp', { ...config, source_addr: '12345', timeout_ms: 1_000 });
        await plantUntrusted(h);
        const id = await h.send('hello');
        await h.work();
        const message = await h.message(id);
        assert.notEqual(message.status, 'sent');
        const attempts = await h.t.db.kysely
          .selectFrom('message_attempts')
          .select('detail')
          .where('message_id', '=', id)
          .execute();
        assert.match(attempts.map((a) => a.detail).join(' '), /refused to connect to localhost/);
        assert.equal(smsc.binds.length, 0);
      } finally {
        await h.deps.adapters('smpp')?.close?.();
        await h.close();
        await smsc.close();
      }
    });
  });

  describe(`CASELINE_ALLOW_PRIVATE_GATEWAYS when connecting on ${name}`, () => {
    test('an untrusted gateway reaches a local server', async () => {
      const h = await openHarness(name, { allowPrivate: true });
      const provider = await startProvider(() => ({ status: 200 }));
      try {
        await h.gateway('http', { url: `${provider.url}/send` });
        await plantUntrusted(h);
        const id = await h.send('hello');
        await h.work();
        assert.equal((await h.message(id)).status, 'sent');
        assert.equal(provider.requests.length, 1);
      } finally {
        await provider.close();
        await h.close();
      }
    });
  });
}

test('the guarded lookup refuses what a name resolves to, so the connection is never opened', async () => {
  let reached = 0;
  const server = http.createServer((_req, res) => {
    reached++;
    res.end('metadata');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  try {
    const error = await new Promise<Error>((resolve, reject) => {
      http
        .get({ host: 'localhost', port, path: '/', lookup: guardedLookup, family: 4 }, () =>
          reject(new Error('connected')),
        )
        .on('error', resolve);
    });
    assert.equal(error.name, 'ForbiddenAddressError');
    assert.match(error.message, /refused to connect to localhost \(127\.0\.0\.1\): a loopback address/);
    assert.equal(reached, 0);
  } finally {
    await new Promise((resolve) => server.close(resolve));
  }
});
