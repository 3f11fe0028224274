// The caller's retry options (checked and with defaults), and how Graph's Retry-After is read. The
// rule that applies them is retryDecision.ts; the wait shared by a client's calls is throttleGate.ts.
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { RetryOptions } from "../models.js";

/** The retry options of a client, checked and with every default filled in. */
export interface ResolvedRetryOptions {
  /** Retries after the first attempt, at most MAX_RETRIES_LIMIT. */
  readonly maxRetries: number;
  /** The backoff's first wait, in milliseconds, when Graph gives no Retry-After. */
  readonly initialDelayInMs: number;
  /** The cap on the backoff's wait, in milliseconds; a wait Graph asks for with Retry-After is not capped by it. */
  readonly maxDelayInMs: number;
}

/** The most retries a caller may ask for: more would only prolong a call that keeps failing. */
export const MAX_RETRIES_LIMIT = 10;

/** The retry options of a client that sets none. */
export const defaultRetryOptions: ResolvedRetryOptions = Object.freeze({
  maxRetries: 3,
  initialDelayInMs: 800,
  maxDelayInMs: 60_000,
});

/** Fills in defaults and rejects values that would make the retry loop unbounded or meaningless. */
export function resolveRetryOptions(options: RetryOptions | undefined): ResolvedRetryOptions {
  const resolved = { ...defaultRetryOptions, ...definedOnly(options ?? {}) };
  const problems: string[] = [];
  if (!Number.isInteger(resolved.maxRetries) || resolved.maxRetries < 0 || resolved.maxRetries > MAX_RETRIES_LIMIT) {
    problems.push(`retry.maxRetries must be an integer from 0 to ${MAX_RETRIES_LIMIT}`);
  }
  if (!isNonNegativeFinite(resolved.initialDelayInMs)) problems.push("retry.initialDelayInMs must be a number ≥ 0");
  if (!isNonNegativeFinite(resolved.maxDelayInMs)) problems.push("retry.maxDelayInMs must be a number ≥ 0");
  if (problems.length > 0) {
    throw new GraphSyncError(`Invalid retry options: ${problems.join("; ")}.`, {
      kind: "configuration",
      code: "InvalidRetryOptions",
    });
  }
  return Object.freeze(resolved);
}

function isNonNegativeFinite(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value >= 0;
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}

/**
 * Reads a `Retry-After` header as a wait in milliseconds.
 *
 * Graph sends whole seconds and sometimes fractional ones (its own sample is `2.128`); RFC 9110
 * also allows an HTTP date. Anything else (negative, empty, garbage) is ignored so the caller
 * falls back to exponential backoff rather than trusting a nonsensical value.
 *
 * @param nowInMs the current time, injectable so tests never depend on the wall clock
 */
export function parseRetryAfter(value: string | null | undefined, nowInMs: number): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.trim();
  if (text === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.ceil(Number(text) * 1000);
  }
  // Only accept something that looks like a date (it has a letter, for the weekday or month):
  // `Date.parse` would otherwise read values such as "-1" or "1.5.2" as dates.
  if (!/[A-Za-z]/.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowInMs);
}

/** A wait as messages show it: seconds, up to milliseconds (`2.128 s`). */
export function formatSeconds(delayInMs: number): string {
  return `${Number((delayInMs / 1000).toFixed(3))} s`;
}
