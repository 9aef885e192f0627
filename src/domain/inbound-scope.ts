// Which projects an inbound SMS is processed for (SPEC 5 step 1): the projects that may use the
// gateway it arrived on — its project and those it is shared with, or every project for a
// global gateway. A number owned anywhere else is unknown there, so a gateway (and whoever
// holds its webhook secret) never reaches another project's contacts.

/** What the rule needs of a gateway: its owner (null: global) and the projects it is shared with. */
export interface GatewayScopeFacts {
  owner: string | null;
  sharedWith: readonly string[];
  /** A global gateway's own country for national sender numbers. */
  defaultCountry?: string | null;
}

/** True when an SMS arriving on the gateway may be processed for the project. */
export function mayUseGateway(gateway: GatewayScopeFacts | null, projectId: string): boolean {
  if (gateway === null) return false;
  return gateway.owner === null || gateway.owner === projectId || gateway.sharedWith.includes(projectId);
}

/**
 * The owner entry as step 1 sees it: the number's owner when its project may use the gateway;
 * otherwise the number is unknown here, and `foreign` says it is owned elsewhere (opt keywords
 * must then leave its state alone).
 */
export function scopedOwner<E extends { projectId: string }>(
  entry: E | null,
  gateway: GatewayScopeFacts | null,
): { owner: E | null; foreign: boolean } {
  if (entry === null) return { owner: null, foreign: false };
  return mayUseGateway(gateway, entry.projectId)
    ? { owner: entry, foreign: false }
    : { owner: null, foreign: true };
}

/**
 * The country for reading a national sender number: the gateway's project's `default_country`,
 * or a global gateway's own.
 */
export function senderCountry(gateway: GatewayScopeFacts, projectCountry: string | null): string | null {
  return gateway.owner === null ? (gateway.defaultCountry ?? null) : projectCountry;
}
