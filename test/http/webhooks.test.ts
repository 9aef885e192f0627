// Gateway webhooks: the inbound secret and Twilio's signature guard them; a request that fails
// answers 403 and stores nothing; delivery reports move messages to delivered or error.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { putGateway } from '../../src/app/gateways/gateways.ts';
import { putProject } from '../../src/app/projects/projects.ts';
import { upsertCase } from '../../src/app/contacts/cases.ts';
import { twilioSignature } from '../../src/gateways/twilio/twilio.ts';
import { gatewayCatalog } from '../../src/gateways/registry.ts';
import { webhookRoutes } from '../../src/http/webhooks.ts';
import { DATABASES, openTestDb, testDeps, type TestDb } from '../support/databases.ts';
import { openApi, PUBLIC_URL } from './support.ts';

const PUBLIC = 'https://caseline.example.org';
const SID = `AC${'a'.repeat(32)}`;
const TOKEN = 'twilio-auth-token-123';

for (const name of DATABASES) {
  describe(`webhooks on ${name}`, () => {
    let t: TestDb;
    let app: FastifyInstance;
    let deps: ReturnType<typeof testDeps>;
    const inboundCount = async () =>
      (await t.store.messages.countByStatus())
        .filter((r) => r.direction === 'in')
        .reduce((n, r) => n + r.count, 0);

    before(async () => {
      t = await openTestDb(name);
      deps = testDeps(t.store);
      await putProject(deps, 'p', {});
      await putGateway(deps, 'GW', { project: 'p', default: true, inbound_secret: 's3cret-0123456789abc' });
      await putGateway(deps, 'TW', {
        project: 'p',
        type: 'twilio',
        config: { account_sid: SID, auth_token: TOKEN, from: '+15005550006' },
      });
      await upsertCase(deps, {
        project: 'p',
        id: 'c',
        properties: { contact_phone_number: '254712345678', contact_phone_number_is_verified: '1' },
      });
      app = Fastify();
      app.register(async (scope) =>
        webhookRoutes(scope, { ...deps, publicUrl: PUBLIC, gatewayTypes: gatewayCatalog }),
      );
      await app.ready();
    });
    after(async () => {
      await app.close();
      await t.close();
    });

    test('the inbound secret as a header or a query parameter lets a message in', async () => {
      const before = await inboundCount();
      const byHeader = await app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound',
        headers: { 'x-caseline-secret': 's3cret-0123456789abc' },
        payload: { from: '+254712345678', text: 'STOP' },
      });
      assert.equal(byHeader.statusCode, 200);
      assert.equal(byHeader.json().outcome, 'opted_out');
      const byQuery = await app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound?secret=s3cret-0123456789abc',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'from=254712345678&text=START',
      });
      assert.equal(byQuery.statusCode, 200);
      assert.equal(byQuery.json().outcome, 'opted_in');
      assert.equal(await inboundCount(), before + 2);
    });

    test('a wrong or missing secret answers 403 and stores nothing', async () => {
      const before = await inboundCount();
      for (const headers of [{ 'x-caseline-secret': 's3creT' }, {}]) {
        const response = await app.inject({
          method: 'POST',
          url: '/gateways/GW/inbound',
          headers,
          payload: { from: '254712345678', text: 'hi' },
        });
        assert.equal(response.statusCode, 403);
      }
      const unknown = await app.inject({
        method: 'POST',
        url: '/gateways/NOPE/inbound?secret=s3cret-0123456789abc',
        payload: { from: '254712345678', text: 'hi' },
      });
      assert.equal(unknown.statusCode, 403);
      assert.equal(await inboundCount(), before);
    });

    const twilioPost = (path: string, params: Record<string, string>, signature?: string) =>
      app.inject({
        method: 'POST',
        url: path,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': signature ?? twilioSignature(`${PUBLIC}${path}`, params, TOKEN),
        },
        payload: new URLSearchParams(params).toString(),
      });

    test('Twilio inbound: a valid signature is accepted and answered with empty TwiML; one changed byte is rejected', async () => {
      const params = {
        From: '+254712345678',
        To: '+15005550006',
        Body: 'hello',
        MessageSid: 'SM1',
        AccountSid: SID,
      };
      const before = await inboundCount();
      const ok = await twilioPost('/gateways/TW/twilio/inbound', params);
      assert.equal(ok.statusCode, 200);
      assert.match(ok.body, /<Response\/>/);
      assert.equal(await inboundCount(), before + 1);
      const good = twilioSignature(`${PUBLIC}/gateways/TW/twilio/inbound`, params, TOKEN);
      const tampered = (good[0] === 'A' ? 'B' : 'A') + good.slice(1);
      assert.equal((await twilioPost('/gateways/TW/twilio/inbound', params, tampered)).statusCode, 403);
      assert.equal(
        (await twilioPost('/gateways/TW/twilio/inbound', { ...params, Body: 'hellO' }, good)).statusCode,
        403,
      );
      assert.equal(await inboundCount(), before + 1);
    });

    test('Twilio status callbacks move a message to delivered or error', async () => {
      const store = t.store;
      const insert = async (provider: string) => {
        const message = await store.messages.insert(
          {
            projectId: 'p',
            eventId: null,
            subEventId: null,
            direction: 'out',
            channel: 'sms',
            contact: null,
            phone: '254712345678',
            email: null,
            gatewayId: 'TW',
            subject: null,
            text: 'x',
            segments: 1,
            status: 'queued',
            kind: 'message',
            replyTo: null,
            dueAt: null,
            outcome: null,
          },
          deps.clock.now(),
        );
        await store.messages.update(
          message.id,
          { status: 'sent', providerMessageId: provider, dueAt: null },
          deps.clock.now(),
        );
        return message.id;
      };
      const delivered = await insert('SMd');
      const failed = await insert('SMf');
      assert.equal(
        (await twilioPost('/gateways/TW/twilio/status', { MessageSid: 'SMd', MessageStatus: 'delivered' }))
          .statusCode,
        200,
      );
      assert.equal(
        (
          await twilioPost('/gateways/TW/twilio/status', {
            MessageSid: 'SMf',
            MessageStatus: 'undelivered',
            ErrorCode: '30003',
          })
        ).statusCode,
        200,
      );
      assert.equal((await store.messages.get(delivered))?.status, 'delivered');
      const error = await store.messages.get(failed);
      assert.equal(error?.status, 'error');
      assert.equal(error?.errorCode, 'GATEWAY_ERROR');
      assert.match(error?.errorText ?? '', /30003/);
      // A forged report changes nothing.
      assert.equal(
        (
          await twilioPost(
            '/gateways/TW/twilio/status',
            { MessageSid: 'SMd', MessageStatus: 'failed' },
            'forged',
          )
        ).statusCode,
        403,
      );
      assert.equal((await store.messages.get(delivered))?.status, 'delivered');
    });
  });
}

describe('webhooks in the API server', () => {
  test('they answer outside /api/v1 without an API key, with the configured public URL; form bodies stay out of /api/v1', async () => {
    const api = await openApi('sqlite');
    try {
      const put = async (url: string, body: object) =>
        assert.ok((await api.call('PUT', url, { body })).statusCode < 300);
      await put('/api/v1/projects/p', { default_country: 'KE' });
      await put('/api/v1/projects/p/gateways/GW', {
        type: 'test',
        default: true,
        inbound_secret: 's3cret-0123456789abc',
      });
      await put('/api/v1/projects/p/gateways/TW', {
        type: 'twilio',
        config: { account_sid: SID, auth_token: TOKEN, from: '+15005550006' },
      });
      assert.deepEqual(
        api.app.apiRoutes.filter((r) => r.url.includes('inbound') || r.url.includes('twilio')),
        [],
      );

      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const inbound = await api.app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound?secret=s3cret-0123456789abc',
        headers: form,
        payload: 'from=254712345678&text=STOP',
      });
      assert.equal(inbound.statusCode, 200, inbound.body);
      assert.equal(inbound.json().outcome, 'opted_out');
      const wrong = await api.app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound?secret=nope',
        headers: form,
        payload: 'from=254712345678&text=hi',
      });
      assert.equal(wrong.statusCode, 403);
      const missing = await api.app.inject({
        method: 'POST',
        url: '/gateways/GW/inbound?secret=s3cret-0123456789abc',
        payload: { text: 'hi' },
      });
      assert.equal(missing.statusCode, 400);
      assert.equal(missing.json().error.field, 'from');

      const path = '/gateways/TW/twilio/inbound';
      const params = {
        From: '+254712345678',
        To: '+15005550006',
        Body: 'START',
        MessageSid: 'SM9',
        AccountSid: SID,
      };
      const signed = await api.app.inject({
        method: 'POST',
        url: path,
        headers: { ...form, 'x-twilio-signature': twilioSignature(`${PUBLIC_URL}${path}`, params, TOKEN) },
        payload: new URLSearchParams(params).toString(),
      });
      assert.equal(signed.statusCode, 200, signed.body);
      assert.match(signed.body, /<Response\/>/);

      const api415 = await api.call('PUT', '/api/v1/projects/p', {
        headers: form,
        payload: 'default_country=UG',
      });
      assert.equal(api415.statusCode, 415, api415.body);
    } finally {
      await api.close();
    }
  });
});
