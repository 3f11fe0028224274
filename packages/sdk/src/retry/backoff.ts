import type { ResolvedRetryOptions } from "./retryOptions.js";

/**
 * The wait before retry number `retry` (1 for the first retry) when Graph sent no `Retry-After`:
 * exponential (initial × 2^(retry-1)), capped, with "equal jitter" — half fixed, half random — so
 * that many clients throttled together do not come back in lockstep, yet every wait stays at least
 * half the nominal one.
 *
 * @param random a number in [0, 1), injectable for tests
 */
export function backoffDelayInMs(retry: number, options: ResolvedRetryOptions, random: number): number {
  const nominal = Math.min(options.maxDelayInMs, options.initialDelayInMs * 2 ** Math.max(0, retry - 1));
  return Math.round(nominal / 2 + (nominal / 2) * random);
}
