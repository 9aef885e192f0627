// The clock port: the only source of "now" in the engine (STYLE: time is injected).

/** Milliseconds since the epoch. The only source of "now" in the engine. */
export interface Clock {
  now(): number;
}
