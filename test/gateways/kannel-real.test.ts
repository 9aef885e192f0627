// The `kannel` type against a real Kannel (Debian's package: bearerbox and smsbox), whose SMSC
// is a fake one speaking SMPP (test/support/smsc.ts): caseline → sendsms → bearerbox → SMPP
// submit_sm, the SMSC's receipt → Kannel's dlr-url → the status webhook, and the SMSC's MO →
// Kannel's get-url → the inbound webhook → a reply sent back the same way. Skipped only where
// the Kannel binaries are absent; .ci/run installs them, so CI always runs it.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import { closedPort } from '../support/net.ts';
import { NUMBER, SECRET, openHarness, type Harness } from '../support/provider-harness.ts';
import { PASSWORD, startSmsc, type Smsc } from '../support/smsc.ts';

const BEARERBOX = '/usr/sbin/bearerbox';
const SMSBOX = '/usr/sbin/smsbox';
const present = existsSync(BEARERBOX) && existsSync(SMSBOX);

async function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(check: () => Promise<boolean> | boolean, what: string, ms = 20_000): Promise<void> {
  const deadline = performance.now() + ms;
  while (performance.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  assert.fail(`timed out waiting for ${what}`);
}

function kannelConf(p: {
  admin: number;
  smsbox: number;
  sendsms: number;
  smsc: number;
  web: number;
  dir: string;
}) {
  const getUrl = `http://127.0.0.1:${p.web}/gateways/GW/inbound?secret=${SECRET}&from=%p&to=%P&text=%a&message_id=%I`;
  return `group = core
admin-port = ${p.admin}
admin-password = kannel-admin
smsbox-port = ${p.smsbox}
box-allow-ip = 127.0.0.1
log-file = "${p.dir}/bearerbox.log"
log-level = 1
dlr-storage = internal

group = smsc
smsc = smpp
smsc-id = fake
host = 127.0.0.1
port = ${p.smsc}
transceiver-mode = true
smsc-username = kannel
smsc-password = ${PASSWORD}
system-type = ""
source-addr-ton = 0
source-addr-npi = 0
dest-addr-ton = 1
dest-addr-npi = 1
msg-id-type = 0x00
reconnect-delay = 1

group = smsbox
bearerbox-host = 127.0.0.1
sendsms-port = ${p.sendsms}
log-file = "${p.dir}/smsbox.log"
log-level = 1
mo-recode = true

group = sendsms-user
username = tester
password = kannel-pw
concatenation = true
max-messages = 10

group = sms-service
keyword = default
catch-all = true
get-url = "${getUrl}"
max-messages = 0
`;
}

describe('kannel: a real bearerbox and smsbox', { skip: !present && 'kannel is not installed' }, () => {
  let h: Harness;
  let smsc: Smsc;
  let dir = '';
  const boxes: ChildProcess[] = [];

  before(async () => {
    // Kannel matches receipts to submits by number (msg-id-type 0x00: decimal ids).
    smsc = await startSmsc((n) => String(1000 + n));
    const web = await closedPort();
    h = await openHarness('sqlite', { port: web });
    const ports = { admin: await closedPort(), smsbox: await closedPort(), sendsms: await closedPort() };
    dir = mkdtempSync(join(tmpdir(), 'caseline-kannel-'));
    const conf = join(dir, 'kannel.conf');
    writeFileSync(conf, kannelConf({ ...ports, smsc: smsc.port, web, dir }));
    boxes.push(spawn(BEARERBOX, [conf], { stdio: 'ignore' }));
    await until(() => portOpen(ports.smsbox), 'bearerbox');
    boxes.push(spawn(SMSBOX, [conf], { stdio: 'ignore' }));
    await until(() => portOpen(ports.sendsms), 'smsbox');
    await until(() => smsc.binds.length > 0, 'the SMPP bind');
    await h.gateway('kannel', {
      url: `http://127.0.0.1:${ports.sendsms}/cgi-bin/sendsms`,
      username: 'tester',
      password: 'kannel-pw',
      from: '12345',
    });
  });
  after(async () => {
    for (const box of boxes.reverse()) {
      box.kill('SIGTERM');
      await Promise.race([new Promise((done) => box.once('exit', done)), sleep(5_000)]);
      if (box.exitCode === null) box.kill('SIGKILL');
    }
    await h.close();
    await smsc.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('GSM and Unicode text reach the SMSC intact, and receipts move them to delivered and error', async () => {
    const gsm = await h.send('Your visit is on Monday at 09:00');
    const unicode = await h.send('Habari 😀 जी हाँ');
    await h.work();
    assert.equal((await h.message(gsm)).status, 'sent', (await h.message(gsm)).errorText ?? '');
    assert.equal((await h.message(unicode)).status, 'sent');
    await until(() => smsc.submits.length >= 2, 'two submits');
    const [first, second] = smsc.submits;
    assert.equal(first?.text, 'Your visit is on Monday at 09:00');
    assert.equal(Number(first?.pdu.data_coding) === 8, false);
    assert.equal(second?.text, 'Habari 😀 जी हाँ', 'not ?????? : coding=2 and charset=UTF-8');
    assert.equal(Number(second?.pdu.data_coding), 8);
    assert.equal(second?.pdu.destination_addr, NUMBER);
    assert.equal(await smsc.receipt(first!.id, 'DELIVRD'), 0);
    assert.equal(await smsc.receipt(second!.id, 'UNDELIV'), 0);
    await until(async () => (await h.message(gsm)).status === 'delivered', 'delivered');
    await until(async () => (await h.message(unicode)).status === 'error', 'error');
    assert.match((await h.message(unicode)).errorText ?? '', /Kannel DLR 2/);
  });

  test('an MO SMS comes in through get-url, and the keyword reply goes out through Kannel', async () => {
    const before = await h.inboundCount();
    const sent = smsc.submits.length;
    assert.equal(await smsc.mo(NUMBER, 'INFO'), 0);
    await until(async () => (await h.inboundCount()) === before + 1, 'the inbound message');
    await h.work();
    await until(() => smsc.submits.length > sent, 'the reply at the SMSC');
    assert.equal(smsc.submits.at(-1)?.text, 'Clinic opens at 8.');
    assert.equal(await smsc.mo(NUMBER, Buffer.from('ना 3', 'utf16le').swap16()), 0);
    await until(async () => (await h.inboundCount()) === before + 2, 'the Unicode message');
    const last = await h.t.db.kysely
      .selectFrom('messages')
      .select('text')
      .where('direction', '=', 'in')
      .orderBy('id', 'desc')
      .executeTakeFirst();
    assert.equal(last?.text, 'ना 3');
  });
});
