// The retry rule of the SDK, whole: given how an attempt ended, the caller's retry policy and the
// time the call has left, send again after how long, or stop and why. A pure function: the retry
// middleware (call/retryHandler.ts) applies it, waits, and does the logging and telemetry. Below
// it, what it applies: the caller's retry options (checked, with defaults) and how Graph's
// Retry-After is read, and the clock the waits run on (a test's own in tests). The wait shared by a
// client's calls is throttleGate.ts.
import { setTimeout as sleep } from "node:timers/promises";
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { AttemptFailureReason } from "../failures/noAnswer.js";
import type { RetryOptions } from "../models.js";

/** How one attempt ended: Graph's answer (its status and Retry-After), or no answer and why. */
export type AttemptOutcome =
  | { readonly answered: true; readonly status: number; readonly retryAfterInMs: number | undefined }
  | { readonly answered: false; readonly reason: AttemptFailureReason; readonly errorCode: string | undefined };

/** Where the call stands when it decides. */
export interface RetryCircumstances {
  /** Retries already made (0 after the first attempt). */
  readonly retriesSoFar: number;
  /** Time left before the call's deadline. */
  readonly timeLeftInMs: number;
  /** How long the client's throttle gate stays closed anyway (another call's 429): the real wait. */
  readonly gateClosedForInMs: number;
  /** A number in [0, 1) for the backoff's jitter. */
  readonly random: number;
}

/** Why the call stops sending. */
export type StopReason =
  /** The outcome is final: a success, an answer that retrying cannot change, a failure that must not be resent. */
  | "final"
  /** `retry.maxRetries` retries were made. */
  | "retries-exhausted"
  /** The wait would end after the call's deadline. */
  | "no-time-left";

/** What to do after an attempt. */
export type RetryDecision =
  | {
      readonly retry: true;
      /** How long to wait before the next attempt. */
      readonly delayInMs: number;
      /** The wait this outcome alone asks for (Graph's Retry-After, or the backoff), before the gate's. */
      readonly ownDelayInMs: number;
      /** True when the request may have run although it is sent again (a reset after it was written). */
      readonly mayHaveRun: boolean;
      /** The outcome in words, for log lines (`Graph answered 503 with Retry-After 2 s`). */
      readonly why: string;
    }
  | {
      readonly retry: false;
      readonly stop: StopReason;
      readonly why: string;
      /** For `no-time-left`: the wait that did not fit. */
      readonly delayInMs?: number;
    };

/**
 * Statuses worth retrying: Graph is throttling (429) or temporarily unavailable (503, 504), as
 * Graph's guidance, Kiota's RetryHandler and the Azure SDKs agree. 429 and 503 mean the request was
 * turned away; 504 means a gateway stopped waiting, so the action may in rare cases have run: when
 * a retry after a 504 then fails (a spent code, typically), the error says so.
 */
const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

/**
 * Failures without an answer that are sent again, and whether the request may then have run.
 *
 * Nothing was sent (`connect`: no connection; `not-written`: the connection broke before the
 * request was written to it, a keep-alive connection closed as idle just as the call picked it):
 * sent again, certainly safe.
 *
 * After the request was written, one rule for a lost connection: a **reset** (`ECONNRESET`,
 * `EPIPE`) is what a server's kernel answers to bytes that nobody read (a connection closed as idle
 * as the request arrived), so it is sent again, like a 504: a repeated call cannot redeem the
 * single-use authorization code twice, and should a later attempt fail with a 4xx, its error says
 * this one may have run. An orderly **close** is what a server that read the request and dropped
 * it looks like: never sent again, and every other failure after writing neither (the code must
 * never be resent blindly).
 */
const resentFailures: Readonly<Partial<Record<AttemptFailureReason, { mayHaveRun: boolean }>>> = {
  connect: { mayHaveRun: false },
  "not-written": { mayHaveRun: false },
  reset: { mayHaveRun: true },
};

/** Decides whether to send the request again after `outcome`, and after how long. */
export function decideRetry(outcome: AttemptOutcome, policy: ResolvedRetryOptions, circumstances: RetryCircumstances): RetryDecision {
  const why = describeOutcome(outcome);
  let ownDelayInMs: number;
  let mayHaveRun = false;
  if (outcome.answered) {
    if (!retryableStatuses.has(outcome.status)) return { retry: false, stop: "final", why };
    ownDelayInMs = outcome.retryAfterInMs ?? backoffDelayInMs(circumstances.retriesSoFar + 1, policy, circumstances.random);
  } else {
    const resent = resentFailures[outcome.reason];
    if (resent === undefined) return { retry: false, stop: "final", why };
    mayHaveRun = resent.mayHaveRun;
    ownDelayInMs = backoffDelayInMs(circumstances.retriesSoFar + 1, policy, circumstances.random);
  }
  if (circumstances.retriesSoFar >= policy.maxRetries) return { retry: false, stop: "retries-exhausted", why };
  const delayInMs = Math.max(ownDelayInMs, circumstances.gateClosedForInMs);
  if (delayInMs >= circumstances.timeLeftInMs) return { retry: false, stop: "no-time-left", why, delayInMs };
  return { retry: true, delayInMs, ownDelayInMs, mayHaveRun, why };
}

/** An outcome as log lines say it. */
function describeOutcome(outcome: AttemptOutcome): string {
  if (outcome.answered) {
    return `Graph answered ${outcome.status}${outcome.retryAfterInMs === undefined ? "" : ` with Retry-After ${formatSeconds(outcome.retryAfterInMs)}`}`;
  }
  const code = outcome.errorCode ?? outcome.reason;
  switch (outcome.reason) {
    case "reset":
      return `the connection was reset before any answer (${code}), as a connection closed as idle is`;
    case "not-written":
      return `the connection closed before the request was written (${code}), as a connection closed as idle does`;
    case "connect":
      return `could not connect (${code})`;
    default:
      return `no answer (${code})`;
  }
}

/**
 * The wait before retry number `retry` (1 for the first retry) when Graph sent no `Retry-After`:
 * exponential (initial × 2^(retry-1)), capped, with "equal jitter" — half fixed, half random — so
 * that many clients throttled together do not come back in lockstep, yet every wait stays at least
 * half the nominal one.
 *
 * @param random a number in [0, 1), injectable for tests
 */
function backoffDelayInMs(retry: number, options: ResolvedRetryOptions, random: number): number {
  const nominal = Math.min(options.maxDelayInMs, options.initialDelayInMs * 2 ** Math.max(0, retry - 1));
  return Math.round(nominal / 2 + (nominal / 2) * random);
}

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
