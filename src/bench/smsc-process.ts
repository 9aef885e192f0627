// A local SMSC in its own process for the smpp benchmark (the smpp package's server), so its
// work is not charged to the process measured: it accepts any bind, answers every submit_sm
// at once with a message id, and counts the distinct (destination, text) pairs it accepted.
// The parent talks to it over IPC: see smsc.ts.
import type { AddressInfo } from 'node:net';
import smpp from 'smpp';
import type { PDU } from 'smpp';

export type SmscRequest = { id: number; type: 'stats' } | { id: number; type: 'reset' };
export interface SmscStats {
  submits: number;
  distinct: number;
  binds: number;
}

const seen = new Set<string>();
let submits = 0;
let binds = 0;
let next = 0;

const server = smpp.createServer((session) => {
  session.socket.setNoDelay(true);
  session.on('error', () => undefined);
  const bind = (pdu: PDU) => {
    binds++;
    session.send(pdu.response());
  };
  session.on('bind_transceiver', bind);
  session.on('bind_transmitter', bind);
  session.on('enquire_link', (pdu: PDU) => session.send(pdu.response()));
  session.on('unbind', (pdu: PDU) => session.send(pdu.response()));
  session.on('submit_sm', (pdu: PDU) => {
    submits++;
    const message = (pdu.short_message as { message?: unknown } | undefined)?.message;
    seen.add(`${String(pdu.destination_addr)}|${String(message)}`);
    session.send(pdu.response({ message_id: String(++next) }));
  });
});

server.listen(0, '127.0.0.1', () => {
  process.send?.({ type: 'ready', port: (server.address() as AddressInfo).port });
});

process.on('message', (message: SmscRequest) => {
  if (message.type === 'reset') {
    seen.clear();
    submits = 0;
    binds = 0;
    process.send?.({ id: message.id });
    return;
  }
  const stats: SmscStats = { submits, distinct: seen.size, binds };
  process.send?.({ id: message.id, stats });
});
process.on('disconnect', () => {
  for (const session of server.sessions) session.destroy();
  server.close(() => process.exit(0));
});
