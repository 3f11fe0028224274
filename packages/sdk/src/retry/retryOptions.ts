import { GraphSyncError } from "../errors/graphSyncError.js";

/** How the SDK retries throttled (429) and unavailable (503, 504) answers. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3, at most 10; 0 turns retries off. */
  maxRetries?: number;
  /** The first backoff wait when Graph gives no `Retry-After`. Default 800 ms; doubles each time. */
  initialDelayInMs?: number;
  /** The longest backoff wait. Default 60 000 ms. A `Retry-After` is honoured as sent (see README). */
  maxDelayInMs?: number;
}

export interface ResolvedRetryOptions {
  readonly maxRetries: number;
  readonly initialDelayInMs: number;
  readonly maxDelayInMs: number;
}

export const MAX_RETRIES_LIMIT = 10;

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
