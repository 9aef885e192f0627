// Every HTTP provider type against a local server speaking its protocol, on both databases
// (SPEC 3.6): send GSM, Unicode and long text; the provider down, then retried; delivery
// reports to delivered and to error, a replay changing nothing and a report that comes before
// the send's answer kept and applied; inbound STOP, a keyword and a survey answer through the
// pipeline, a replayed message stored once; a wrong secret or signature answered 403 storing
// nothing. One table per provider in ./providers/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DATABASES } from '../support/databases.ts';
import {
  NUMBER,
  SECRET,
  openHarness,
  startProvider,
  type Harness,
  type Provider,
} from '../support/provider-harness.ts';
import { africasTalking } from './providers/africastalking.case.ts';
import type { ProviderCase } from './providers/case.ts';
import { http } from './providers/http.case.ts';
import { infobip } from './providers/infobip.case.ts';
import { kannel } from './providers/kannel.case.ts';
import { telerivet } from './providers/telerivet.case.ts';
import { twilio } from './providers/twilio.case.ts';

const CASES: ProviderCase[] = [kannel, africasTalking, infobip, telerivet, twilio, http];

const GSM = 'Your visit is on Monday at 09:00. Reply STOP to stop.';
const UNICODE = 'Habari 😀 जी हाँ, ziara yako ni Jumatatu';
const LONG = 'Reminder: '.repeat(20).trim();

for (const c of CASES) {
  for (const db of DATABASES) {
    describe(`${c.type} on ${db}`, () => {
      let h: Harness;
      let provider: Provider;
      let n = 0;
      const accept = () => {
        provider.answer = (request) => c.accept(request, ++n);
      };

      before(async () => {
        h = await openHarness(db);
        provider = await startProvider(() => ({ status: 500 }));
        accept();
        await h.gateway(c.type, c.config(provider.url));
      });
      after(async () => {
        await provider.close();
        await h.close();
      });

      test('sends GSM, Unicode and long text as the provider reads them', async () => {
        const start = provider.requests.length;
        const ids = [await h.send(GSM), await h.send(UNICODE), await h.send(LONG)];
        await h.work();
        const requests = provider.requests.slice(start);
        assert.equal(requests.length, 3, 'one request per message, a long text in one');
        const sent = requests.map((r) => c.sent(r));
        assert.deepEqual(
          sent.map((s) => [s.to, s.text]),
          [GSM, UNICODE, LONG].map((text) => [NUMBER, text]),
        );
        if (sent[0]?.unicode !== undefined)
          assert.deepEqual(
            sent.map((s) => s.unicode),
            [false, true, false],
          );
        for (const [i, id] of ids.entries()) {
          const message = await h.message(id);
          assert.equal(message.status, 'sent', message.errorText ?? '');
          assert.equal(message.providerMessageId, c.providerId(n - 2 + i, id));
          assert.equal(message.segments, [1, 1, 2][i]);
        }
        for (const r of requests) assert.match(String(r.headers['user-agent']), /^caseline\/\d+\.\d+\.\d+/);
      });

      test('the provider down: retried after retry_minutes, then sent once', async () => {
        provider.answer = () => c.down;
        const start = provider.requests.length;
        const id = await h.send('Are you coming?');
        await h.work();
        let message = await h.message(id);
        assert.equal(message.status, 'queued');
        assert.equal(message.attempts, 1);
        accept();
        h.deps.clock.set(h.deps.clock.now() + 60_000);
        await h.work();
        message = await h.message(id);
        assert.equal(message.status, 'sent', message.errorText ?? '');
        assert.equal(message.attempts, 2);
        assert.equal(provider.requests.length - start, 2);
      });

      test('delivery reports: delivered, error, a replay changes nothing, an early report waits', async () => {
        const ok = await h.send('one');
        const bad = await h.send('two');
        await h.work();
        const okId = (await h.message(ok)).providerMessageId ?? '';
        const badId = (await h.message(bad)).providerMessageId ?? '';
        const first = await h.inject(c.status(okId, true, SECRET));
        assert.ok(first.statusCode < 300, first.body);
        assert.equal((await h.message(ok)).status, 'delivered');
        assert.ok((await h.inject(c.status(badId, false, SECRET))).statusCode < 300);
        const failed = await h.message(bad);
        assert.equal(failed.status, 'error');
        assert.equal(failed.errorCode, 'GATEWAY_ERROR');
        const replay = await h.inject(c.status(okId, true, SECRET));
        assert.equal(replay.statusCode, first.statusCode);
        assert.equal(replay.body, first.body);
        assert.equal((await h.message(ok)).status, 'delivered');

        // The report comes before the send's answer is recorded (real Kannel does this).
        const early = await h.send('three');
        const earlyId = c.providerId(n + 1, early);
        assert.ok((await h.inject(c.status(earlyId, true, SECRET))).statusCode < 300);
        assert.equal((await h.message(early)).status, 'queued');
        await h.work();
        const applied = await h.message(early);
        assert.equal(applied.providerMessageId, earlyId);
        assert.equal(applied.status, 'delivered');
      });

      test('inbound: a keyword, a survey answer and STOP go through the pipeline; a replay is stored once', async () => {
        const count = await h.inboundCount();
        const info = await h.inject(c.inbound(NUMBER, 'info', `${c.type}-in-1`, SECRET));
        assert.equal(info.statusCode, 200, info.body);
        const replay = await h.inject(c.inbound(NUMBER, 'info', `${c.type}-in-1`, SECRET));
        assert.equal(replay.statusCode, 200);
        assert.equal(replay.body, info.body);
        assert.equal(await h.inboundCount(), count + 1);
        assert.ok((await h.inject(c.inbound(NUMBER, 'VISIT', `${c.type}-in-2`, SECRET))).statusCode === 200);
        assert.ok((await h.inject(c.inbound(NUMBER, '3', `${c.type}-in-3`, SECRET))).statusCode === 200);
        assert.equal((await h.t.store.cases.get('p', 'c'))?.properties.children, '3');
        const replies = (await h.outbound()).filter((m) => m.kind === 'reply').map((m) => m.text);
        assert.ok(replies.includes('Clinic opens at 8.'), replies.join(' | '));
        assert.ok(replies.includes('How many children?'), replies.join(' | '));
        assert.ok((await h.inject(c.inbound(NUMBER, 'STOP', `${c.type}-in-4`, SECRET))).statusCode === 200);
        assert.equal((await h.t.store.optOuts.get(NUMBER))?.optedOut, true);
        await h.inject(c.inbound(NUMBER, 'START', `${c.type}-in-5`, SECRET));
        assert.equal((await h.t.store.optOuts.get(NUMBER))?.optedOut, false);
        await h.work();
        assert.ok(
          (await h.outbound()).filter((m) => m.kind !== 'message').every((m) => m.gatewayId === 'GW'),
        );
      });

      test('a wrong secret or signature answers 403 and stores nothing', async () => {
        const count = await h.inboundCount();
        const inbound = await h.inject(c.inbound(NUMBER, 'info', `${c.type}-forged`, 'WRONG'));
        assert.equal(inbound.statusCode, 403);
        assert.equal(await h.inboundCount(), count);
        const id = await h.send('four');
        await h.work();
        const providerId = (await h.message(id)).providerMessageId ?? '';
        assert.equal((await h.inject(c.status(providerId, false, 'WRONG'))).statusCode, 403);
        assert.equal((await h.message(id)).status, 'sent');
        // The genuine report is not taken for a replay of the forged one.
        assert.ok((await h.inject(c.status(providerId, false, SECRET))).statusCode < 300);
        assert.equal((await h.message(id)).status, 'error');
      });
    });
  }
}
