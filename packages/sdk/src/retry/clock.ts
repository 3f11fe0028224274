/**
 * Time and randomness as the retry logic sees them. The SDK uses the system clock; tests inject a
 * fake one so that retries with `Retry-After: 2.128` or an HTTP date run instantly and the waits
 * can be asserted exactly.
 */
export interface Clock {
  now(): number;
  random(): number;
  /** Waits `delayInMs`, or rejects with `signal.reason` as soon as `signal` aborts. */
  sleep(delayInMs: number, signal: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  random: () => Math.random(),
  sleep: abortableSleep,
};

function abortableSleep(delayInMs: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, delayInMs);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
