/**
 * The emulator's notion of "now", in milliseconds since the epoch.
 *
 * Every time-dependent rule (token lifetimes, secret and code expiry, throttling windows) reads the
 * time through one injected clock, so tests can move time forward instead of sleeping.
 */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();
