// The parts of smpp@0.5.1 (client and server in one package, no types of its own) that
// caseline uses: sessions, PDUs and the protocol's constants.
declare module 'smpp' {
  import type { EventEmitter } from 'node:events';
  import type { Server as NetServer } from 'node:net';

  /** A PDU: its header, and its parameters and TLVs by name. */
  export interface PDU {
    command: string;
    command_id: number;
    command_status: number;
    sequence_number: number;
    [field: string]: unknown;
    isResponse(): boolean;
    response(options?: Record<string, unknown>): PDU;
  }

  type Callback = (pdu: PDU) => void;

  export const PDU: new (command: string, options?: Record<string, unknown>) => PDU;

  export class Session extends EventEmitter {
    constructor(options: Record<string, unknown>);
    socket: import('node:net').Socket;
    send(pdu: PDU, responseCallback?: Callback, sendCallback?: Callback): boolean;
    close(callback?: () => void): void;
    destroy(callback?: () => void): void;
    pause(): void;
    resume(): void;
    bind_transceiver(options: Record<string, unknown>, callback?: Callback): boolean;
    bind_transmitter(options: Record<string, unknown>, callback?: Callback): boolean;
    bind_receiver(options: Record<string, unknown>, callback?: Callback): boolean;
    submit_sm(options: Record<string, unknown>, callback?: Callback): boolean;
    deliver_sm(options: Record<string, unknown>, callback?: Callback): boolean;
    enquire_link(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
    unbind(options?: Record<string, unknown> | Callback, callback?: Callback): boolean;
  }

  export interface Server extends NetServer {
    sessions: Session[];
  }

  export function connect(options: Record<string, unknown>, listener?: () => void): Session;
  export function createServer(
    options: Record<string, unknown>,
    listener?: (session: Session) => void,
  ): Server;
  export function createServer(listener?: (session: Session) => void): Server;

  export const errors: Record<string, number>;
  export const ESME_ROK: number;
  export const ESME_RTHROTTLED: number;
  export const ESME_RINVPASWD: number;
  export const ESME_RBINDFAIL: number;
  export const ESME_RX_T_APPN: number;
  export const ESME_RSYSERR: number;
}
