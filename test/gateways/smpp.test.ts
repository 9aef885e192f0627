// The `smpp` type against a local SMSC (the smpp package's own server), on both databases
// (SPEC 3.6): GSM-7 with data_coding 0 and UCS-2 with 8, long texts in UDH parts as many as
// their segments, every part's message_id kept; receipts to delivered (a long text once every
// part is) and to error, a replay changing nothing; mobile-originated SMS (one reassembled
// from UDH parts) through the pipeline; ESME_RTHROTTLED waited out and a lost connection
// retried without a message sent twice; a refused bind; every PDU answered; one bind shared.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import smpp from 'smpp';
import { countSegments } from '../../src/domain/text.ts';
import { keepConnected } from '../../src/queue/worker.ts';
import { DATABASES } from '../support/databases.ts';
import { NUMBER, openHarness, type Harness } from '../support/provider-harness.ts';
import { PASSWORD, startSmsc, type Smsc } from '../support/smsc.ts';

const UNICODE = 'Habari 😀 जी हाँ';
const LONG = 'Reminder: bring the child card and the vaccination booklet. '.repeat(6).trim();
const LONG_UNICODE = 'Ziara ya kliniki ni kesho 🙂 '.repeat(4).trim();

/** Waits until `check` holds (what arrives on the bind is handled asynchronously). */
async function until(check: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (await check()) return;
    await sleep(20);
  }
  assert.fail(`timed out waiting for ${what}`);
}

for (const db of DATABASES) {
  describe(`smpp on ${db}`, () => {
    let h: Harness;
    let smsc: Smsc;
    const config = (extra: Record<string, unknown> = {}) => ({
      host: '127.0.0.1',
      port: smsc.port,
      system_id: 'caseline',
      password: PASSWORD,
      source_addr: '12345',
      enquire_link_seconds: 1,
      timeout_ms: 2_000,
      ...extra,
    });
    const adapter = () => h.deps.adapters('smpp');
    // As the worker loop does: every gateway of a connection-based type kept bound.
    const connect = () => keepConnected(h.deps);

    before(async () => {
      smsc = await startSmsc();
      h = await openHarness(db);
      await h.gateway('smpp', config());
    });
    after(async () => {
      await adapter()?.close?.();
      await smsc.close();
      await h.close();
    });

    test('GSM-7 as data_coding 0, other text as UCS-2 (8), long texts in UDH parts as many as their segments', async () => {
      smsc.submits.length = 0;
      const ids = [
        await h.send('Hello {{Amina}} €5'),
        await h.send(UNICODE),
        await h.send(LONG),
        await h.send(LONG_UNICODE),
      ];
      await h.work();
      const byText = smsc.submits;
      const segments = (text: string) => countSegments(text).segments;
      assert.equal(segments(LONG), 3);
      assert.deepEqual(
        byText.map((s) => Number(s.pdu.data_coding)),
        [0, 8, ...Array<number>(segments(LONG)).fill(0), ...Array<number>(segments(LONG_UNICODE)).fill(8)],
      );
      assert.equal(byText[0]?.text, 'Hello {Amina} €5');
      assert.equal(byText[1]?.text, UNICODE);
      for (const [i, text] of [LONG, LONG_UNICODE].entries()) {
        const parts = byText.filter((s) => s.udh !== null && Number(s.pdu.data_coding) === (i === 0 ? 0 : 8));
        assert.equal(parts.length, countSegments(text).segments);
        assert.equal(parts.map((p) => p.text).join(''), text);
        const ref = parts[0]?.udh?.[3];
        parts.forEach((p, seq) => {
          assert.deepEqual([...(p.udh ?? [])], [5, 0, 3, ref, parts.length, seq + 1]);
          assert.equal(Number(p.pdu.esm_class) & 0x40, 0x40);
        });
      }
      for (const s of byText) {
        assert.equal(Number(s.pdu.registered_delivery), 1);
        assert.equal(s.pdu.destination_addr, NUMBER);
        assert.equal(Number(s.pdu.dest_addr_ton), 1);
        assert.equal(Number(s.pdu.dest_addr_npi), 1);
      }
      for (const id of ids) assert.equal((await h.message(id)).status, 'sent');
      const long = await h.message(ids[2]!);
      assert.equal(long.providerMessageId, byText[2]?.id);
      assert.deepEqual(
        (await h.t.store.messages.partsOf(long.id)).map((p) => p.providerMessageId),
        byText.slice(2, 5).map((s) => s.id),
      );
      assert.equal(smsc.binds.length, 1, 'one bind for every send');
    });

    test('receipts: delivered, a long text once every part is, error, a replay changing nothing', async () => {
      smsc.submits.length = 0;
      const one = await h.send('one');
      const long = await h.send(LONG);
      const bad = await h.send('two');
      await h.work();
      const [first, p1, p2, p3, last] = smsc.submits.map((s) => s.id);
      assert.equal(await smsc.receipt(first!, 'DELIVRD'), 0);
      await until(async () => (await h.message(one)).status === 'delivered', 'delivered');
      assert.equal(await smsc.receipt(p1!, 'DELIVRD'), 0);
      assert.equal(await smsc.receipt(p2!, 'DELIVRD'), 0);
      await sleep(50);
      assert.equal((await h.message(long)).status, 'sent', 'not every part is delivered yet');
      assert.equal(await smsc.receipt(p3!, 'DELIVRD'), 0);
      await until(async () => (await h.message(long)).status === 'delivered', 'the long text delivered');
      assert.equal(await smsc.receipt(last!, 'UNDELIV'), 0);
      await until(async () => (await h.message(bad)).status === 'error', 'error');
      assert.match((await h.message(bad)).errorText ?? '', /stat:UNDELIV/);
      // A receipt sent again is answered and changes nothing.
      assert.equal(await smsc.receipt(first!, 'DELIVRD'), 0);
      assert.equal((await h.message(one)).status, 'delivered');
    });

    test('mobile-originated SMS: a keyword (sent in two UDH parts), a survey answer and STOP through the pipeline', async () => {
      await connect();
      await until(() => smsc.sessions().length > 0, 'a bind');
      const before = await h.inboundCount();
      const udh = (seq: number) => ({
        esm_class: 0x40,
        short_message: { udh: Buffer.from([5, 0, 3, 77, 2, seq]), message: seq === 1 ? 'IN' : 'FO' },
      });
      assert.equal(
        await smsc.deliver({ source_addr: NUMBER, destination_addr: '12345', data_coding: 0, ...udh(1) }),
        0,
      );
      assert.equal(
        await smsc.deliver({ source_addr: NUMBER, destination_addr: '12345', data_coding: 0, ...udh(2) }),
        0,
      );
      assert.equal(await h.inboundCount(), before + 1, 'two parts, one message');
      assert.equal(await smsc.mo(NUMBER, 'VISIT'), 0);
      assert.equal(await smsc.mo(NUMBER, '4'), 0);
      assert.equal((await h.t.store.cases.get('p', 'c'))?.properties.children, '4');
      smsc.submits.length = 0;
      await h.work();
      assert.deepEqual(
        smsc.submits.map((s) => s.text),
        ['Clinic opens at 8.', 'How many children?'],
      );
      assert.equal(await smsc.mo(NUMBER, 'STOP'), 0);
      assert.equal((await h.t.store.optOuts.get(NUMBER))?.optedOut, true);
      assert.equal(await smsc.mo(NUMBER, 'START'), 0);
      assert.equal(await smsc.mo(NUMBER, Buffer.from('ना', 'utf16le').swap16()), 0);
      const last = await h.t.db.kysely
        .selectFrom('messages')
        .select('text')
        .where('direction', '=', 'in')
        .orderBy('id', 'desc')
        .executeTakeFirst();
      assert.equal(last?.text, 'ना');
      await h.work(); // the opt-out and opt-in confirmations
    });

    test('every PDU the SMSC sends is answered: enquire_link, deliver_sm, an unknown command', async () => {
      const session = smsc.sessions()[0]!;
      smsc.answers.length = 0;
      session.enquire_link();
      session.send(new smpp.PDU('query_sm', { message_id: 'M1' }));
      await until(() => smsc.answers.length >= 2, 'answers');
      assert.ok(smsc.answers.some((a) => a.command === 'enquire_link_resp'));
      assert.ok(smsc.answers.some((a) => a.command !== 'enquire_link_resp' && a.command_status !== 0));
    });

    test('ESME_RTHROTTLED is waited out and the part submitted again, once accepted', async () => {
      smsc.submits.length = 0;
      let throttles = 2;
      smsc.rule = () => (throttles-- > 0 ? { status: smpp.ESME_RTHROTTLED } : null);
      const id = await h.send('after the throttle');
      await h.work();
      smsc.rule = () => null;
      assert.equal((await h.message(id)).status, 'sent');
      assert.equal(smsc.submits.length, 1, 'accepted once');
    });

    test('a lost connection: the message is retried on a new bind, accepted once', async () => {
      smsc.submits.length = 0;
      const binds = smsc.binds.length;
      let drop = true;
      smsc.rule = () => (drop ? ((drop = false), { drop: true }) : null);
      const id = await h.send('across a reconnect');
      await h.work();
      const waiting = await h.message(id);
      assert.equal(waiting.status, 'queued');
      assert.match(waiting.errorText ?? '', /connection/);
      h.deps.clock.set(h.deps.clock.now() + 60_000);
      await h.work();
      assert.equal((await h.message(id)).status, 'sent');
      assert.equal(smsc.submits.length, 1);
      assert.ok(smsc.binds.length > binds, 'bound again');
      smsc.rule = () => null;
    });

    test('the window: never more submits outstanding than it allows, one bind for all', async () => {
      await h.gateway('smpp', config({ window: 2 }));
      const binds = smsc.binds.length;
      smsc.maxOutstanding = 0;
      smsc.rule = () => ({ delayMs: 30 });
      const ids = await Promise.all(Array.from({ length: 8 }, (_, i) => h.send(`window ${i}`)));
      await runConcurrently(h);
      smsc.rule = () => null;
      for (const id of ids) assert.equal((await h.message(id)).status, 'sent');
      assert.equal(smsc.maxOutstanding, 2);
      assert.equal(smsc.binds.length, binds + 1, 'the changed config bound once, for every send');
    });

    test('bind transmitter+receiver: submits on the one, MO on the other', async () => {
      const binds = smsc.binds.length;
      await h.gateway('smpp', config({ bind: 'transmitter+receiver' }));
      await connect();
      await until(() => smsc.binds.length >= binds + 2, 'two binds');
      assert.deepEqual(
        smsc.binds
          .slice(binds)
          .map((b) => b.command)
          .sort(),
        ['bind_receiver', 'bind_transmitter'],
      );
      const id = await h.send('over the transmitter');
      await h.work();
      assert.equal((await h.message(id)).status, 'sent');
      const before = await h.inboundCount();
      assert.equal(await smsc.mo(NUMBER, 'INFO'), 0);
      assert.equal(await h.inboundCount(), before + 1);
      await h.work();
      await h.gateway('smpp', config());
    });

    test('submit_per_second paces the submits', async () => {
      await h.gateway('smpp', config({ submit_per_second: 20 }));
      const ids = await Promise.all(Array.from({ length: 6 }, (_, i) => h.send(`paced ${i}`)));
      await connect();
      await until(() => smsc.sessions().length > 0, 'a bind');
      const started = performance.now();
      await runConcurrently(h);
      const elapsed = performance.now() - started;
      for (const id of ids) assert.equal((await h.message(id)).status, 'sent');
      assert.ok(elapsed >= 240, `6 submits at 20/s take at least 250 ms, took ${elapsed.toFixed(0)}`);
      await h.gateway('smpp', config());
    });

    test('a wrong password: the bind is refused and the message waits for a retry', async () => {
      await h.gateway('smpp', config({ password: 'wrong' }));
      const id = await h.send('refused');
      await h.work();
      const message = await h.message(id);
      assert.equal(message.status, 'queued');
      assert.match(message.errorText ?? '', /ESME_RINVPASWD/);
      assert.equal(message.attempts, 1);
      await h.gateway('smpp', config());
    });
  });
}

async function runConcurrently(h: Harness): Promise<void> {
  const { dispatchDue } = await import('../../src/queue/dispatcher.ts');
  await dispatchDue(h.deps, { batchSize: 50, leaseMs: 60_000, concurrency: 8 });
}
