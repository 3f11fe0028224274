import { setTimeout as sleep } from "node:timers/promises";

/**
 * Time and randomness as the retry logic sees them. The SDK uses the system clock; tests inject a
 * fake one so that retries with `Retry-After: 2.128` or an HTTP date run instantly and the waits
 * can be asserted exactly.
 */
export interface Clock {
  /** The current time in epoch milliseconds (`Date.now` for the system clock). */
  now(): number;
  /** A number in [0, 1), for the backoff's jitter (`Math.random` for the system clock). */
  random(): number;
  /** Waits `delayInMs`, or rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(delayInMs: number, signal: AbortSignal): Promise<void>;
}

/** The clock of every client not made for a test: Date.now, Math.random, node:timers/promises. */
export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: abortableSleep,
};

async function abortableSleep(delayInMs: number, signal: AbortSignal): Promise<void> {
  try {
    await sleep(delayInMs, undefined, { signal });
  } catch (error) {
    // node:timers/promises rejects with its own AbortError; the call reports the signal's reason.
    throw signal.aborted ? signal.reason : error;
  }
}
