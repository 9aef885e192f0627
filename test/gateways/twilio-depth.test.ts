// Twilio in depth (SPEC 3.6), on both databases: 21610 ends a message after one attempt and
// opts the number out without a confirmation; 21211/21614 end it with INVALID_PHONE_NUMBER;
// a JSON webhook signed through bodySHA256 is accepted and a changed body is not; WhatsApp
// sends free text inside the 24-hour session and the content_sid template outside it, and an
// SMS fallback gateway takes a message WhatsApp cannot deliver as its second attempt.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { storeGateway } from '../../src/app/gateways/store.ts';
import { gatewayCatalog } from '../../src/gateways/registry.ts';
import { twilioSignature } from '../../src/gateways/twilio/twilio.ts';
import { DATABASES } from '../support/databases.ts';
import {
  NO_GUARD,
  NUMBER,
  PUBLIC,
  openHarness,
  startProvider,
  type Harness,
  type Provider,
} from '../support/provider-harness.ts';
import { SID, TOKEN } from './providers/twilio.case.ts';

const CONTENT = `HX${'c'.repeat(32)}`;
const error = (status: number, code: number, message: string) => ({
  status,
  body: JSON.stringify({ code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status }),
});
const created = (sid: string) => ({ status: 201, body: JSON.stringify({ sid, status: 'queued' }) });
const formOf = (body: string) => Object.fromEntries(new URLSearchParams(body));

for (const db of DATABASES) {
  describe(`twilio in depth on ${db}`, () => {
    let h: Harness;
    let provider: Provider;
    const sms = (url: string) => ({
      account_sid: SID,
      auth_token: TOKEN,
      from: '+15005550006',
      base_url: url,
    });

    before(async () => {
      h = await openHarness(db);
      provider = await startProvider(() => created('SM1'));
      await h.gateway('twilio', sms(provider.url));
    });
    after(async () => {
      await provider.close();
      await h.close();
    });

    test('21610: error after one attempt, the number opted out, no confirmation sent', async () => {
      provider.answer = () => error(400, 21610, 'Attempt to send to unsubscribed recipient');
      const id = await h.send('hello');
      const before = provider.requests.length;
      await h.work();
      const message = await h.message(id);
      assert.equal(message.status, 'error');
      assert.equal(message.errorCode, 'PHONE_NUMBER_OPTED_OUT');
      assert.equal(message.attempts, 1);
      assert.equal((await h.t.store.optOuts.get(NUMBER))?.optedOut, true);
      h.deps.clock.set(h.deps.clock.now() + 10 * 60_000);
      await h.work();
      assert.equal(provider.requests.length, before + 1, 'no retry and no confirmation');
      assert.equal((await h.outbound()).filter((m) => m.kind === 'opt_confirmation').length, 0);
      await h.t.store.optOuts.put(
        { number: NUMBER, optedOut: false, canOptIn: true, projectId: 'p' },
        h.deps.clock.now(),
      );
    });

    for (const code of [21211, 21614]) {
      test(`${code}: INVALID_PHONE_NUMBER`, async () => {
        provider.answer = () => error(400, code, "The 'To' number is not valid");
        const id = await h.send('hello');
        await h.work();
        const message = await h.message(id);
        assert.equal(message.status, 'error');
        assert.equal(message.errorCode, 'INVALID_PHONE_NUMBER');
        assert.equal(message.attempts, 1);
      });
    }

    test('a JSON webhook signed through bodySHA256 is accepted; a changed body is refused', async () => {
      provider.answer = () => created('SMjson1');
      const id = await h.send('json');
      await h.work();
      const body = JSON.stringify({ MessageSid: 'SMjson1', MessageStatus: 'delivered' });
      const hash = createHash('sha256').update(body).digest('hex');
      const path = `/gateways/GW/status?bodySHA256=${hash}`;
      const signature = twilioSignature(`${PUBLIC}${path}`, {}, TOKEN);
      const post = (payload: string) =>
        h.inject({
          method: 'POST',
          url: path,
          headers: { 'content-type': 'application/json', 'x-twilio-signature': signature },
          payload,
        });
      assert.equal((await post(body.replace('delivered', 'failed'))).statusCode, 403);
      assert.equal((await h.message(id)).status, 'sent');
      assert.equal((await post(body)).statusCode, 200);
      assert.equal((await h.message(id)).status, 'delivered');
    });

    test('WhatsApp: free text in the session, the template outside it, the SMS fallback when WhatsApp cannot deliver', async () => {
      const whatsapp = {
        ...sms(provider.url),
        from: '+14155238886',
        channel: 'whatsapp',
        content_sid: CONTENT,
        sms_fallback: 'SMS',
      };
      const deps = { ...h.deps, gatewayTypes: gatewayCatalog, outbound: NO_GUARD };
      await storeGateway(
        deps,
        'SMS',
        { project: 'p', type: 'twilio', config: sms(provider.url) },
        null,
        'admin',
      );
      await h.gateway('twilio', whatsapp);
      let n = 0;
      provider.answer = () => created(`SMwa${++n}`);

      // Outside the session (the number never wrote through this gateway): the template.
      const start = provider.requests.length;
      await h.send('Your visit is tomorrow');
      await h.work();
      const template = formOf(provider.requests[start]?.body ?? '');
      assert.equal(template.To, `whatsapp:+${NUMBER}`);
      assert.equal(template.From, 'whatsapp:+14155238886');
      assert.equal(template.ContentSid, CONTENT);
      assert.deepEqual(JSON.parse(template.ContentVariables ?? '{}'), { '1': 'Your visit is tomorrow' });
      assert.equal(template.Body, undefined);

      // The number writes (whatsapp:+… through the webhook): a free-text reply in the session.
      const inbound = {
        From: `whatsapp:+${NUMBER}`,
        To: 'whatsapp:+14155238886',
        Body: 'INFO',
        MessageSid: 'SMin-wa-1',
      };
      const url = '/gateways/GW/twilio/inbound';
      const answer = await h.inject({
        method: 'POST',
        url,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(`${PUBLIC}${url}`, inbound, TOKEN),
        },
        payload: new URLSearchParams(inbound).toString(),
      });
      assert.equal(answer.statusCode, 200);
      await h.work();
      const reply = formOf(provider.requests.at(-1)?.body ?? '');
      assert.equal(reply.Body, 'Clinic opens at 8.');
      assert.equal(reply.ContentSid, undefined);

      // Not a WhatsApp user (63003): the fallback gateway sends it as SMS, as the second attempt.
      const before = provider.requests.length;
      provider.answer = (r) =>
        formOf(r.body).To?.startsWith('whatsapp:')
          ? error(400, 63003, 'Channel could not find To address')
          : created('SMfallback');
      const id = await h.send('Are you coming?');
      await h.work();
      const moved = await h.message(id);
      assert.equal(moved.gatewayId, 'SMS');
      assert.equal(moved.dueAt, h.deps.clock.now(), 'due at once');
      await h.work();
      const message = await h.message(id);
      assert.equal(message.status, 'sent', message.errorText ?? '');
      assert.equal(message.gatewayId, 'SMS');
      assert.equal(message.attempts, 2);
      const tries = provider.requests.slice(before).map((r) => formOf(r.body).To);
      assert.deepEqual(tries, [`whatsapp:+${NUMBER}`, `+${NUMBER}`]);
      const attempts = await h.t.db.kysely
        .selectFrom('message_attempts')
        .select(['gateway_id', 'outcome'])
        .where('message_id', '=', id)
        .orderBy('id')
        .execute();
      assert.deepEqual(attempts, [
        { gateway_id: 'GW', outcome: 'rejected' },
        { gateway_id: 'SMS', outcome: 'accepted' },
      ]);

      // The same failure reported later by a status callback: the fallback takes it over too.
      provider.answer = () => created('SMwa-late');
      const late = await h.send('Late failure');
      await h.work();
      assert.equal((await h.message(late)).gatewayId, 'GW');
      const report = { MessageSid: 'SMwa-late', MessageStatus: 'undelivered', ErrorCode: '63003' };
      const status = '/gateways/GW/status';
      const callback = await h.inject({
        method: 'POST',
        url: status,
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          'x-twilio-signature': twilioSignature(`${PUBLIC}${status}`, report, TOKEN),
        },
        payload: new URLSearchParams(report).toString(),
      });
      assert.equal(callback.statusCode, 200);
      assert.equal((await h.message(late)).status, 'queued');
      provider.answer = () => created('SMsms-late');
      await h.work();
      const fell = await h.message(late);
      assert.equal(fell.status, 'sent');
      assert.equal(fell.gatewayId, 'SMS');
      assert.equal(fell.providerMessageId, 'SMsms-late');
      await h.gateway('twilio', sms(provider.url));
    });
  });
}
