// What the outbound address guard (SPEC 3.6) needs from outside the use cases: whether the
// operator lifted it, and the addresses a host name resolves to.
export interface OutboundPolicy {
  /** CASELINE_ALLOW_PRIVATE_GATEWAYS=true: any address may be saved and connected to. */
  allowPrivate: boolean;
  /** Every address `host` resolves to; rejects when it does not resolve (in time). */
  resolve(host: string): Promise<string[]>;
}
