// SMPP 3.4 command_status values (§5.1.3) in words, and what each means for a submit.
import type { FailureKind } from '../../domain/retry.ts';

const NAMES: Record<number, string> = {
  0x01: 'ESME_RINVMSGLEN (message length is invalid)',
  0x02: 'ESME_RINVCMDLEN (command length is invalid)',
  0x03: 'ESME_RINVCMDID (invalid command id)',
  0x04: 'ESME_RINVBNDSTS (incorrect bind status for the command)',
  0x05: 'ESME_RALYBND (already bound)',
  0x08: 'ESME_RSYSERR (system error)',
  0x0a: 'ESME_RINVSRCADR (invalid source address)',
  0x0b: 'ESME_RINVDSTADR (invalid destination address)',
  0x0d: 'ESME_RBINDFAIL (bind failed)',
  0x0e: 'ESME_RINVPASWD (invalid password)',
  0x0f: 'ESME_RINVSYSID (invalid system_id)',
  0x14: 'ESME_RMSGQFUL (message queue full)',
  0x45: 'ESME_RSUBMITFAIL (submit_sm failed)',
  0x48: 'ESME_RINVSRCTON (invalid source address TON)',
  0x49: 'ESME_RINVSRCNPI (invalid source address NPI)',
  0x50: 'ESME_RINVDSTTON (invalid destination address TON)',
  0x51: 'ESME_RINVDSTNPI (invalid destination address NPI)',
  0x58: 'ESME_RTHROTTLED (throttling error)',
  0x61: 'ESME_RINVSCHED (invalid scheduled delivery time)',
  0x62: 'ESME_RINVEXPIRY (invalid validity period)',
  0x64: 'ESME_RX_T_APPN (temporary application error)',
  0x65: 'ESME_RX_P_APPN (permanent application error)',
  0x66: 'ESME_RX_R_APPN (application error, rejected)',
};

/** `0x0000000B ESME_RINVDSTADR (invalid destination address)`. */
export function describeStatus(status: number): string {
  const hex = `0x${status.toString(16).toUpperCase().padStart(8, '0')}`;
  return NAMES[status] ? `${hex} ${NAMES[status]}` : `${hex} (command_status)`;
}

/** A refused submit: the SMSC's trouble is temporary, the number's is invalid_destination. */
export function outcomeOfStatus(status: number): FailureKind {
  if ([0x08, 0x14, 0x58, 0x64].includes(status)) return status === 0x58 ? 'throttled' : 'temporary';
  if ([0x0b, 0x50, 0x51].includes(status)) return 'invalid_destination';
  return 'rejected';
}
