// A local SMSC for tests and benchmarks: the smpp package's server, checking the bind's
// password, answering submit_sm with message ids (or what a test asks for), and sending
// delivery receipts and mobile-originated SMS to the bound client.
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { PDU, Session } from 'smpp';

export interface Submitted {
  pdu: PDU;
  /** The UDH (when esm_class has 0x40), its length byte first. */
  udh: Buffer | null;
  /** The part's text, decoded by the library as its data_coding says. */
  text: string;
  id: string;
}

/** What to do with the n-th submit_sm (1-based): answer with a status, answer late, or drop the connection. */
export type SubmitRule = (n: number) => { status?: number; delayMs?: number; drop?: boolean } | null;

export interface Smsc {
  port: number;
  binds: { command: string; systemId: string }[];
  submits: Submitted[];
  /** Every PDU the client answered, by command. */
  answers: PDU[];
  rule: SubmitRule;
  /** The most submits outstanding (received, unanswered) at once. */
  maxOutstanding: number;
  sessions(): Session[];
  /** Sends a deliver_sm to the first bound session able to receive; resolves with its answer's status. */
  deliver(fields: Record<string, unknown>): Promise<number>;
  receipt(id: string, stat: string): Promise<number>;
  mo(from: string, text: string | Buffer, extra?: Record<string, unknown>): Promise<number>;
  close(): Promise<void>;
}

export const PASSWORD = 'secret12';

/** A submit's UDH (length byte included) and text, as the library decoded them on receipt. */
function partOf(pdu: PDU): { udh: Buffer | null; text: string } {
  const value = pdu.short_message as { udh?: Buffer[]; message?: unknown };
  const udh = value.udh?.length
    ? Buffer.concat([Buffer.from([value.udh.reduce((n, u) => n + u.length, 0)]), ...value.udh])
    : null;
  return { udh, text: String(value.message ?? '') };
}

/** `idOf`: the message_id of the n-th accepted submit (default `M<n>`). */
export async function startSmsc(idOf: (n: number) => string = (n) => `M${n}`): Promise<Smsc> {
  let n = 0;
  let outstanding = 0;
  const receivers: Session[] = [];
  const smsc: Smsc = {
    port: 0,
    binds: [],
    submits: [],
    answers: [],
    rule: () => null,
    maxOutstanding: 0,
    sessions: () => server.sessions,
    deliver(fields) {
      const session = receivers.find((s) => s.socket.writable && !s.socket.destroyed);
      if (!session) return Promise.reject(new Error('no bound receiver'));
      return new Promise((resolve) => session.deliver_sm(fields, (pdu) => resolve(pdu.command_status)));
    },
    receipt(id, stat) {
      return smsc.deliver({
        esm_class: 0x04,
        source_addr: '254712345678',
        destination_addr: '12345',
        short_message: `id:${id} sub:001 dlvrd:${stat === 'DELIVRD' ? '001' : '000'} submit date:2601050800 done date:2601050801 stat:${stat} err:000 text:`,
        receipted_message_id: id,
      });
    },
    mo(from, text, extra = {}) {
      return smsc.deliver({
        source_addr: from,
        destination_addr: '12345',
        data_coding: typeof text === 'string' ? 0 : 8,
        short_message: text,
        ...extra,
      });
    },
    async close() {
      for (const session of server.sessions) session.destroy();
      await new Promise((done) => server.close(done));
    },
  };
  const server = smpp.createServer((session) => {
    session.on('error', () => undefined);
    const bind = (command: string) => (pdu: PDU) => {
      session.pause();
      const ok = pdu.password === PASSWORD;
      smsc.binds.push({ command, systemId: String(pdu.system_id) });
      session.send(pdu.response(ok ? {} : { command_status: smpp.ESME_RINVPASWD }));
      if (ok && command !== 'bind_transmitter') receivers.push(session);
      session.resume();
    };
    session.on('bind_transceiver', bind('bind_transceiver'));
    session.on('bind_transmitter', bind('bind_transmitter'));
    session.on('bind_receiver', bind('bind_receiver'));
    session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: PDU) => session.send(pdu.response()));
    session.on('pdu', (pdu: PDU) => {
      if (pdu.isResponse() && pdu.command !== 'submit_sm_resp') smsc.answers.push(pdu);
    });
    session.on('close', () => receivers.splice(receivers.indexOf(session) >>> 0, 1));
    session.on('submit_sm', (pdu: PDU) => {
      const count = ++n;
      const rule = smsc.rule(count) ?? {};
      if (rule.drop) {
        session.destroy();
        return;
      }
      outstanding++;
      smsc.maxOutstanding = Math.max(smsc.maxOutstanding, outstanding);
      const status = rule.status ?? 0;
      const id = status === 0 ? idOf(count) : '';
      if (status === 0) smsc.submits.push({ pdu, ...partOf(pdu), id });
      const answer = () => {
        outstanding--;
        session.send(pdu.response(status === 0 ? { message_id: id } : { command_status: status }));
      };
      if (rule.delayMs) setTimeout(answer, rule.delayMs);
      else answer();
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  smsc.port = (server.address() as AddressInfo).port;
  return smsc;
}
