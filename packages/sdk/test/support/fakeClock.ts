import type { Clock } from "../../src/retry/clock.js";

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
