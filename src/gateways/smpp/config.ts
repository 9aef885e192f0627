// An `smpp` gateway's configuration (SPEC 3.6): where the SMSC is, how to bind, and how fast.
import Type from 'typebox';
import type { Static } from 'typebox';
import { parseInput } from '../../lib/input.ts';
import { Strict } from '../../lib/schema.ts';

const Ton = Type.Integer({ minimum: 0, maximum: 6 });
const Npi = Type.Integer({ minimum: 0, maximum: 18 });

export const SmppConfig = Strict({
  /** The SMSC's host name or address. */
  host: Type.String({
    minLength: 1,
    maxLength: 255,
    pattern: '^[A-Za-z0-9.:\\[\\]-]+$',
    errorMessage: 'must be a host name or address',
  }),
  port: Type.Integer({ minimum: 1, maximum: 65_535 }),
  system_id: Type.String({ minLength: 1, maxLength: 15 }),
  password: Type.String({ minLength: 1, maxLength: 8 }),
  system_type: Type.Optional(Type.String({ maxLength: 12 })),
  /** The sender address; absent: the SMSC's default. */
  source_addr: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  source_addr_ton: Type.Optional(Ton),
  source_addr_npi: Type.Optional(Npi),
  /** Default 1 (international). */
  dest_addr_ton: Type.Optional(Type.Integer({ minimum: 0, maximum: 6, default: 1 })),
  /** Default 1 (ISDN/E.164). */
  dest_addr_npi: Type.Optional(Type.Integer({ minimum: 0, maximum: 18, default: 1 })),
  /** `transceiver` (default: one session both ways) or `transmitter+receiver` (two binds). */
  bind: Type.Optional(Type.Enum(['transceiver', 'transmitter+receiver'], { default: 'transceiver' })),
  /** Submits outstanding (sent, unanswered) at once on the bind; default 10. */
  window: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000, default: 10 })),
  /** At most this many submit_sm per second; absent: as fast as the window allows. */
  submit_per_second: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  /** Seconds between enquire_links on an idle bind; default 30. */
  enquire_link_seconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 3_600, default: 30 })),
  /** Time the SMSC has to answer a submit, in ms; default 10000. */
  timeout_ms: Type.Optional(Type.Integer({ minimum: 1, maximum: 300_000, default: 10_000 })),
});
export type SmppConfig = Static<typeof SmppConfig>;

export const parseSmppConfig = (config: unknown): SmppConfig => parseInput(SmppConfig, config, 'config');
