import type { Clock } from "../../src/retry/retryDecision.js";

/**
 * A clock whose waits return at once and are recorded, so retry tests assert the exact delays the
 * SDK chose (from Retry-After or backoff) without sleeping. Time starts on a whole second so HTTP
 * dates (second precision) convert exactly.
 */
export class FakeClock implements Clock {
  readonly sleeps: number[] = [];
  private time = Math.floor(Date.now() / 1000) * 1000;

  constructor(private readonly randomValue = 0.5) {}

  now(): number {
    return this.time;
  }

  random(): number {
    return this.randomValue;
  }

  async sleep(delayInMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) throw signal.reason;
    this.sleeps.push(delayInMs);
    this.time += delayInMs;
  }
}

/**
 * A clock whose waits stay pending until the test moves time on with {@link advance}, for tests of
 * what happens while calls wait (the throttle gate): who is waiting, who is let through when.
 */
export class SteppedClock implements Clock {
  private time = Math.floor(Date.now() / 1000) * 1000;
  private readonly pending: { until: number; resolve: () => void }[] = [];

  now(): number {
    return this.time;
  }

  random(): number {
    return 0.5;
  }

  /** Waits not yet over. */
  get waiting(): number {
    return this.pending.length;
  }

  sleep(delayInMs: number, signal: AbortSignal): Promise<void> {
    if (signal.aborted) return Promise.reject(signal.reason);
    return new Promise((resolve, reject) => {
      const entry = {
        until: this.time + delayInMs,
        resolve: () => {
          signal.removeEventListener("abort", onAbort);
          resolve();
        },
      };
      const onAbort = (): void => {
        this.pending.splice(this.pending.indexOf(entry), 1);
        reject(signal.reason);
      };
      signal.addEventListener("abort", onAbort, { once: true });
      this.pending.push(entry);
    });
  }

  /** Moves time on and ends every wait that is over by then. */
  advance(delayInMs: number): void {
    this.time += delayInMs;
    for (const entry of this.pending.filter((candidate) => candidate.until <= this.time)) {
      this.pending.splice(this.pending.indexOf(entry), 1);
      entry.resolve();
    }
  }
}
