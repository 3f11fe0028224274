/**
 * The emulator's notion of "now", in milliseconds since the epoch.
 *
 * Every time-dependent rule (token lifetimes, secret and code expiry, throttling windows) reads the
 * time through one injected clock, so tests can move time forward instead of sleeping. It is only
 * "now": unlike the SDK's `Clock` (now, random and an abortable sleep, for its retries), the emulator
 * never waits on it, hence a name of its own.
 */
export type EmulatorClock = () => number;

/** The wall clock. */
export const wallClock: EmulatorClock = () => Date.now();
