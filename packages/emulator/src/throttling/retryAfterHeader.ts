import type { RetryAfterFormat } from "./throttlingConfig.js";

/**
 * Rounds a wait up to what the chosen `Retry-After` form can express, so that the wait the emulator
 * enforces is exactly the one it announces: whole seconds for integers, milliseconds for
 * fractions, the next whole second of the clock for an HTTP-date.
 */
export function announcedWaitInMs(waitInMs: number, format: RetryAfterFormat, now: number): number {
  const wait = Math.max(1, Math.ceil(waitInMs));
  switch (format) {
    case "integer":
      return Math.ceil(wait / 1000) * 1000;
    case "http-date":
      return Math.ceil((now + wait) / 1000) * 1000 - now;
    case "fractional":
    case "absent":
      return wait;
  }
}

/** The `Retry-After` header for a wait (already rounded by {@link announcedWaitInMs}), if any. */
export function retryAfterHeader(waitInMs: number, format: RetryAfterFormat, now: number): Record<string, string> {
  switch (format) {
    case "integer":
      return { "Retry-After": String(Math.ceil(waitInMs / 1000)) };
    case "fractional":
      return { "Retry-After": (waitInMs / 1000).toFixed(3) };
    case "http-date":
      return { "Retry-After": new Date(now + waitInMs).toUTCString() };
    case "absent":
      return {};
  }
}
