// The outbound address guard at save (SPEC 3.6, issue #14 finding 3): a project key cannot
// point a gateway of any type at loopback, private, link-local or metadata addresses — as a
// literal in any form, or as a name that resolves to one — and nothing is saved; the admin key
// can (its gateways are trusted), and CASELINE_ALLOW_PRIVATE_GATEWAYS lifts the guard.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import { errorOf, openApi, type TestApi } from './support.ts';

const TWILIO = {
  account_sid: `AC${'a'.repeat(32)}`,
  auth_token: 'tok-tok-tok-tok-tok',
  from: '+15005550006',
};
const SMPP = { port: 2775, system_id: 'caseline', password: 'pw', source_addr: '12345' };

/** A resolver that knows a few names, as DNS would answer them. */
const DNS: Record<string, string[]> = {
  'rebind.example': ['127.0.0.1'],
  'metadata.example': ['93.184.216.34', '169.254.169.254'],
  'inside.example': ['10.1.2.3'],
  'provider.example': ['93.184.216.34', '2606:2800:220:1::1'],
};
const resolve = (host: string) =>
  DNS[host] ? Promise.resolve(DNS[host]) : Promise.reject(new Error(`ENOTFOUND ${host}`));

for (const name of DATABASES) {
  describe(`outbound address guard at save on ${name}`, () => {
    let api: TestApi;
    let key: string;
    before(async () => {
      api = await openApi(name, {}, { outbound: { allowPrivate: false, resolve } });
      await api.ok('PUT', '/api/v1/projects/p', {});
      key = await api.projectKey('p');
    });
    after(() => api.close());

    const put = (id: string, body: unknown, as: string | undefined = key) =>
      api.call('PUT', `/api/v1/projects/p/gateways/${id}`, { key: as, body });

    test('a project key cannot save a private or local address in any field of any type; nothing is saved', async () => {
      const cases: [string, Record<string, unknown>, string][] = [
        ['http', { url: 'http://127.0.0.1:8080/send' }, 'config.url'],
        ['http', { url: 'http://2130706433/send' }, 'config.url'],
        ['http', { url: 'http://0x7f.1/send' }, 'config.url'],
        ['http', { url: 'http://017700000001/send' }, 'config.url'],
        ['http', { url: 'http://[::1]:8080/' }, 'config.url'],
        ['http', { url: 'http://[::ffff:169.254.169.254]/latest/meta-data' }, 'config.url'],
        ['http', { url: 'http://169.254.169.254/latest/meta-data' }, 'config.url'],
        ['http', { url: 'https://user:pw@localhost/send' }, 'config.url'],
        ['http', { url: 'http://metadata.google.internal/computeMetadata/v1/' }, 'config.url'],
        ['http', { url: 'http://rebind.example/send' }, 'config.url'],
        ['http', { url: 'http://metadata.example/send' }, 'config.url'],
        ['twilio', { ...TWILIO, base_url: 'http://10.0.0.7' }, 'config.base_url'],
        ['twilio', { ...TWILIO, base_url: 'http://100.64.0.1' }, 'config.base_url'],
        [
          'kannel',
          { url: 'http://192.168.1.10:13013/cgi-bin/sendsms', username: 'u', password: 'p' },
          'config.url',
        ],
        ['infobip', { base_url: 'https://[fd00:ec2::254]', api_key: 'k' }, 'config.base_url'],
        [
          'africastalking',
          { base_url: 'http://inside.example', username: 'u', api_key: 'k' },
          'config.base_url',
        ],
        ['smpp', { ...SMPP, host: 'localhost' }, 'config.host'],
        ['smpp', { ...SMPP, host: '0x7f.1' }, 'config.host'],
        ['smpp', { ...SMPP, host: 'fe80::1' }, 'config.host'],
      ];
      for (const [i, [type, config, field]] of cases.entries()) {
        const response = await put(`g${i}`, { type, config });
        const what = `${type} ${JSON.stringify(config)}`;
        assert.equal(response.statusCode, 400, `${what}: ${response.body}`);
        const error = errorOf(response);
        assert.equal(error.code, 'GATEWAY_URL_FORBIDDEN', what);
        assert.equal(error.field, field, what);
        assert.equal((await api.call('GET', `/api/v1/projects/p/gateways/g${i}`)).statusCode, 404, what);
      }
    });

    test('public addresses and names that resolve to them are saved', async () => {
      assert.equal(
        (await put('pub1', { type: 'http', config: { url: 'https://93.184.216.34/send' } })).statusCode,
        201,
      );
      assert.equal(
        (await put('pub2', { type: 'http', config: { url: 'https://provider.example/send' } })).statusCode,
        201,
      );
      // A name that does not resolve now cannot be reached either; the connection decides later.
      assert.equal(
        (await put('pub3', { type: 'http', config: { url: 'https://unknown.example/' } })).statusCode,
        201,
      );
    });

    test('the admin key saves a private address (trusted); a project re-saving it is checked and refused', async () => {
      const config = { url: 'http://10.0.0.5:13013/send' };
      const byAdmin = await api.call('PUT', '/api/v1/gateways/onprem', {
        body: { project: 'p', type: 'http', config },
      });
      assert.equal(byAdmin.statusCode, 201, byAdmin.body);
      assert.equal((await api.t.store.gateways.get('onprem'))?.trusted, true);
      const resave = await api.call('PATCH', '/api/v1/projects/p/gateways/onprem', {
        key,
        body: { name: 'mine' },
      });
      assert.equal(resave.statusCode, 400);
      assert.equal(errorOf(resave).code, 'GATEWAY_URL_FORBIDDEN');
      const stored = await api.t.store.gateways.get('onprem');
      assert.equal(stored?.name, 'onprem', 'nothing saved');
      assert.equal(stored?.trusted, true, 'still the admin’s');
      // A project's own public gateway is stored untrusted: its connections are guarded.
      assert.equal((await api.t.store.gateways.get('pub1'))?.trusted, false);
    });
  });

  describe(`CASELINE_ALLOW_PRIVATE_GATEWAYS on ${name}`, () => {
    let api: TestApi;
    before(async () => {
      api = await openApi(name, {}, { outbound: { allowPrivate: true, resolve } });
      await api.ok('PUT', '/api/v1/projects/p', {});
    });
    after(() => api.close());

    test('lifts the guard: a project key saves a local aggregator', async () => {
      const key = await api.projectKey('p');
      const response = await api.call('PUT', '/api/v1/projects/p/gateways/local', {
        key,
        body: { type: 'http', config: { url: 'http://127.0.0.1:13013/send' } },
      });
      assert.equal(response.statusCode, 201, response.body);
    });
  });
}

for (const name of DATABASES) {
  describe(`response traces by key on ${name}`, () => {
    test('a project key reads at most 512 bytes of a stored trace; the admin key the whole of it', async () => {
      const api = await openApi(name);
      try {
        await api.ok('PUT', '/api/v1/projects/p', { default_country: 'KE' });
        await api.ok('PUT', '/api/v1/projects/p/gateways/gw', { type: 'test', default: true });
        const sent = await api.ok('POST', '/api/v1/projects/p/messages', {
          to: { phone: '+254712345678' },
          text: 'hi',
        });
        const id = (sent as { message_id?: number; messages?: { id: number }[] }).message_id;
        const messageId =
          typeof id === 'number'
            ? id
            : ((await api.ok('GET', '/api/v1/projects/p/messages')) as { messages: { id: number }[] })
                .messages[0]?.id;
        assert.equal(typeof messageId, 'number');
        const secretish = `ami-id: ${'m'.repeat(1500)} END-OF-METADATA`;
        await api.t.store.messages.addAttempts([
          {
            messageId: messageId as number,
            gatewayId: 'gw',
            startedAt: api.clock.now(),
            finishedAt: api.clock.now(),
            outcome: 'accepted',
            statusCode: 200,
            detail: null,
            requestTrace: 'GET http://gateway.example/send',
            responseTrace: secretish,
          },
        ]);
        const url = `/api/v1/projects/p/messages/${messageId}`;
        const key = await api.projectKey('p');
        type Detail = { attempt_log: { response_trace: string | null }[] };
        const asProject = (await api.call('GET', url, { key })).json() as Detail;
        const shown = asProject.attempt_log.at(-1)?.response_trace ?? '';
        assert.ok(Buffer.byteLength(shown) <= 512, `${Buffer.byteLength(shown)} bytes`);
        assert.doesNotMatch(shown, /END-OF-METADATA/);
        const asAdmin = (await api.call('GET', url)).json() as Detail;
        assert.equal(asAdmin.attempt_log.at(-1)?.response_trace, secretish);
      } finally {
        await api.close();
      }
    });
  });
}
