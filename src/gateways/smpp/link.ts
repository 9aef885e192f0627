// One SMPP bind to an SMSC, shared by every send of the process through that gateway (SPEC
// 3.6): connect and bind (a transceiver, or a transmitter and a receiver), keep it alive with
// enquire_link, bind again after a lost connection with a growing pause, and answer every PDU
// the SMSC sends. Submits go out through a window (at most `window` unanswered) at most
// `submit_per_second`; ESME_RTHROTTLED is waited out and the part submitted again. What
// arrives — delivery receipts and mobile-originated SMS, reassembled from UDH parts — goes to
// the receiver, and its deliver_sm is answered once it is stored (an error answer makes the
// SMSC deliver it again).
import { setTimeout as sleep } from 'node:timers/promises';
import smpp from 'smpp';
import type { PDU, Session } from 'smpp';
import type { Receiver } from '../../app/ports/gateway-types.ts';
import type { OutboundSms, SendOutcome } from '../../app/ports/gateway.ts';
import type { GatewayRecord } from '../../app/ports/records.ts';
import type { SmppConfig } from './config.ts';
import { checkHostLiteral, guardedLookup } from '../guarded-lookup.ts';
import { Deliveries } from './deliver.ts';
import { encodeForSmpp } from './encoding.ts';
import { describeStatus, outcomeOfStatus } from './status.ts';

/** Pauses before binding again after a failure, in ms (then the last, repeatedly). */
const REBIND_MS = [500, 1_000, 2_000, 5_000, 10_000, 30_000];
/** Pauses before submitting a throttled part again, in ms. */
const THROTTLE_MS = [100, 250, 500, 1_000, 2_000, 4_000];
export class SmppLink {
  private transmitter: Session | null = null;
  private receiver: Session | null = null;
  private bound = false;
  private closed = false;
  private binding: Promise<void> | null = null;
  private failures = 0;
  private lastError = 'not bound yet';
  private readonly boundWaiters = new Set<() => void>();
  private inFlight = 0;
  private readonly windowWaiters: (() => void)[] = [];
  private nextSubmitAt = 0;
  private reference = Math.floor(Math.random() * 256);
  private readonly deliveries: Deliveries;
  private enquireTimer: NodeJS.Timeout | null = null;
  private rebindTimer: NodeJS.Timeout | null = null;

  constructor(
    public gateway: GatewayRecord,
    private readonly config: SmppConfig,
    inbox: Receiver,
    /** Checked by the outbound address guard (SPEC 3.6): the host as written and as resolved. */
    private readonly guarded = true,
  ) {
    this.deliveries = new Deliveries(() => this.gateway, inbox);
  }

  /** Binds in the background (and again whenever the bind is lost) until close(). */
  start(): void {
    if (this.closed || this.bound || this.binding) return;
    this.binding = this.bind()
      .then(() => {
        this.failures = 0;
      })
      .catch((error: unknown) => {
        this.lastError = error instanceof Error ? error.message : String(error);
        this.failures++;
        this.scheduleRebind();
        // Sends waiting for this bind fail now (the queue retries them) rather than at their timeout.
        for (const waiter of [...this.boundWaiters]) waiter();
      })
      .finally(() => {
        this.binding = null;
      });
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.rebindTimer) clearTimeout(this.rebindTimer);
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.deliveries.close();
    const sessions = [this.transmitter, this.receiver].filter((s): s is Session => s !== null);
    await Promise.all(
      sessions.map(
        (session) =>
          new Promise<void>((done) => {
            const timer = setTimeout(() => session.destroy(() => done()), 1_000);
            const sent = session.unbind(() => {
              clearTimeout(timer);
              session.close(() => done());
            });
            if (!sent) {
              clearTimeout(timer);
              done();
            }
          }),
      ),
    );
    this.lost('the gateway was closed');
  }

  /** Sends one SMS, in as many parts as its segments; never throws. */
  async send(sms: OutboundSms): Promise<SendOutcome> {
    const timeoutMs = this.config.timeout_ms ?? 10_000;
    const encoded = encodeForSmpp(sms.text, this.reference++ & 0xff);
    const request = `submit_sm to=${sms.to} data_coding=${encoded.dataCoding} parts=${encoded.parts.length}`;
    const trace = (response: string | null) => ({ request, response });
    if (!(await this.whenBound(timeoutMs)))
      return {
        kind: 'temporary',
        detail: `SMPP: not bound to ${this.config.host}:${this.config.port} (${this.lastError})`,
        trace: trace(null),
      };
    const ids: string[] = [];
    for (const part of encoded.parts) {
      const answer = await this.submitPart(sms.to, part, encoded, timeoutMs);
      if (answer.kind !== 'accepted') {
        const done = ids.length > 0 ? ` after ${ids.length} of ${encoded.parts.length} parts` : '';
        return {
          ...answer.outcome,
          detail: `${answer.outcome.detail}${done}`,
          trace: trace(answer.outcome.detail),
        };
      }
      ids.push(answer.id);
    }
    return {
      kind: 'accepted',
      providerMessageId: ids[0] ?? null,
      ...(ids.length > 1 ? { parts: ids } : {}),
      trace: trace(`message_id=${ids.join(',')}`),
    };
  }

  private async submitPart(
    to: string,
    part: Buffer,
    encoded: { dataCoding: number; udh: boolean },
    timeoutMs: number,
  ): Promise<
    { kind: 'accepted'; id: string } | { kind: 'failed'; outcome: Extract<SendOutcome, { detail: string }> }
  > {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.submitOnce(to, part, encoded, timeoutMs);
      if (answer.pdu === null)
        return { kind: 'failed', outcome: { kind: 'temporary', detail: answer.error } };
      const pdu = answer.pdu;
      const status = pdu.command_status;
      if (status === smpp.ESME_ROK) return { kind: 'accepted', id: String(pdu.message_id ?? '') };
      const pause = THROTTLE_MS[attempt];
      if (status === smpp.ESME_RTHROTTLED && pause !== undefined) {
        await sleep(pause);
        continue;
      }
      return {
        kind: 'failed',
        outcome: { kind: outcomeOfStatus(status), detail: `SMPP ${describeStatus(status)}` },
      };
    }
  }

  /** One submit_sm through the window; its response PDU, or why there was none. */
  private async submitOnce(
    to: string,
    part: Buffer,
    encoded: { dataCoding: number; udh: boolean },
    timeoutMs: number,
  ): Promise<{ pdu: PDU; error?: never } | { pdu: null; error: string }> {
    await this.windowSlot();
    try {
      await this.pace();
      const session = this.transmitter;
      if (!this.bound || session === null)
        return { pdu: null, error: `SMPP: the bind was lost (${this.lastError})` };
      const c = this.config;
      return await new Promise<{ pdu: PDU; error?: never } | { pdu: null; error: string }>((resolve) => {
        const timer = setTimeout(
          () => resolve({ pdu: null, error: `SMPP: no submit_sm_resp within ${timeoutMs} ms` }),
          timeoutMs,
        );
        const onLost = () => {
          clearTimeout(timer);
          resolve({
            pdu: null,
            error: `SMPP: the connection was lost before the SMSC answered (${this.lastError})`,
          });
        };
        session.once('close', onLost);
        const sent = session.submit_sm(
          {
            ...(c.source_addr !== undefined ? { source_addr: c.source_addr } : {}),
            source_addr_ton: c.source_addr_ton ?? 0,
            source_addr_npi: c.source_addr_npi ?? 0,
            destination_addr: to.replace(/^\+/, ''),
            dest_addr_ton: c.dest_addr_ton ?? 1,
            dest_addr_npi: c.dest_addr_npi ?? 1,
            esm_class: encoded.udh ? 0x40 : 0,
            registered_delivery: 1,
            data_coding: encoded.dataCoding,
            short_message: part,
          },
          (pdu) => {
            clearTimeout(timer);
            session.off('close', onLost);
            resolve({ pdu });
          },
        );
        if (!sent) onLost();
      });
    } finally {
      this.releaseSlot();
    }
  }

  private async windowSlot(): Promise<void> {
    const window = this.config.window ?? 10;
    while (this.inFlight >= window) await new Promise<void>((resolve) => this.windowWaiters.push(resolve));
    this.inFlight++;
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.windowWaiters.shift()?.();
  }

  /** submit_per_second: real time between submits (network pacing, not the engine's clock). */
  private async pace(): Promise<void> {
    const rate = this.config.submit_per_second;
    if (rate === undefined) return;
    const now = performance.now();
    const at = Math.max(now, this.nextSubmitAt);
    this.nextSubmitAt = at + 1000 / rate;
    if (at > now) await sleep(at - now);
  }

  private whenBound(timeoutMs: number): Promise<boolean> {
    if (this.bound) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    this.start();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.boundWaiters.delete(done);
        resolve(this.bound);
      };
      const timer = setTimeout(done, timeoutMs);
      this.boundWaiters.add(done);
    });
  }

  private scheduleRebind(): void {
    if (this.closed || this.rebindTimer) return;
    const pause = REBIND_MS[Math.min(this.failures - 1, REBIND_MS.length - 1)] ?? 30_000;
    this.rebindTimer = setTimeout(() => {
      this.rebindTimer = null;
      this.start();
    }, pause);
  }

  private async bind(): Promise<void> {
    const c = this.config;
    const credentials = {
      system_id: c.system_id,
      password: c.password,
      ...(c.system_type ? { system_type: c.system_type } : {}),
    };
    if ((c.bind ?? 'transceiver') === 'transceiver') {
      const session = await this.open();
      await this.bindAs(session, 'bind_transceiver', credentials);
      this.transmitter = session;
      this.receiver = session;
    } else {
      const [tx, rx] = await Promise.all([this.open(), this.open()]);
      await this.bindAs(tx, 'bind_transmitter', credentials);
      await this.bindAs(rx, 'bind_receiver', credentials);
      this.transmitter = tx;
      this.receiver = rx;
    }
    this.bound = true;
    this.lastError = 'bound';
    this.keepAlive();
    for (const waiter of [...this.boundWaiters]) waiter();
  }

  private open(): Promise<Session> {
    return new Promise((resolve, reject) => {
      if (this.guarded) {
        try {
          checkHostLiteral(this.config.host);
        } catch (error) {
          reject(error as Error);
          return;
        }
      }
      const session = smpp.connect({
        host: this.config.host,
        port: this.config.port,
        ...(this.guarded ? { lookup: guardedLookup } : {}),
      });
      // Without this, Nagle's algorithm holds each small submit_sm until the previous one is
      // acknowledged, and the window never has more than one submit on the wire.
      session.socket.setNoDelay(true);
      // One 'close' listener per outstanding submit, besides the link's own.
      session.setMaxListeners((this.config.window ?? 10) + 10);
      const fail = (error: Error) => {
        session.destroy();
        reject(new Error(`cannot connect to ${this.config.host}:${this.config.port}: ${error.message}`));
      };
      session.once('error', fail);
      session.once('connect', () => {
        session.off('error', fail);
        session.on('error', (error: Error) => {
          this.lastError = error.message;
        });
        session.on('close', () => this.lost(`connection to ${this.config.host}:${this.config.port} closed`));
        session.on('pdu', (pdu: PDU) => this.onPdu(session, pdu));
        resolve(session);
      });
    });
  }

  private bindAs(
    session: Session,
    command: 'bind_transceiver' | 'bind_transmitter' | 'bind_receiver',
    credentials: Record<string, unknown>,
  ) {
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        session.destroy();
        reject(new Error(`no ${command}_resp within 10 s`));
      }, 10_000);
      session[command](credentials, (pdu) => {
        clearTimeout(timer);
        if (pdu.command_status === smpp.ESME_ROK) return resolve();
        session.destroy();
        reject(new Error(`${command} refused: ${describeStatus(pdu.command_status)}`));
      });
    });
  }

  /** The bind is gone: waiting sends fail over to the queue's retry, and binding starts again. */
  private lost(why: string): void {
    if (!this.bound && this.transmitter === null) return;
    this.bound = false;
    this.lastError = why;
    if (this.enquireTimer) clearInterval(this.enquireTimer);
    this.enquireTimer = null;
    for (const session of [this.transmitter, this.receiver]) session?.destroy();
    this.transmitter = null;
    this.receiver = null;
    this.failures++;
    this.scheduleRebind();
  }

  /** enquire_link when idle; a bind that does not answer within the period is dropped. */
  private keepAlive(): void {
    const periodMs = (this.config.enquire_link_seconds ?? 30) * 1000;
    this.enquireTimer = setInterval(() => {
      for (const session of new Set([this.transmitter, this.receiver])) {
        if (!session) continue;
        const timer = setTimeout(() => session.destroy(), periodMs);
        session.enquire_link({}, () => clearTimeout(timer));
      }
    }, periodMs);
    this.enquireTimer.unref();
  }

  /** Every PDU the SMSC sends is answered. */
  private onPdu(session: Session, pdu: PDU): void {
    if (pdu.isResponse()) return;
    if (pdu.command === 'deliver_sm') {
      void this.deliveries.handle(pdu).then(
        () => session.send(pdu.response()),
        // Not stored: a temporary error makes the SMSC deliver it again.
        () => session.send(pdu.response({ command_status: smpp.ESME_RX_T_APPN })),
      );
    } else if (pdu.command === 'enquire_link') session.send(pdu.response());
    else if (pdu.command === 'unbind') {
      session.send(pdu.response());
      session.close();
    } else session.send(pdu.response({ command_status: smpp.errors.ESME_RINVCMDID ?? 3 }));
  }
}
