/**
 * Statuses worth retrying: Graph is throttling (429) or temporarily unavailable (503, 504), as
 * Graph's guidance, Kiota's RetryHandler and the Azure SDKs agree. 429 and 503 mean the request was
 * turned away. 504 means a gateway stopped waiting, so the action may in rare cases have run
 * anyway: when a retry after a 504 then fails (a spent code, typically), the error says so.
 *
 * Every other status is final. A timeout or a broken connection after sending is never retried
 * (see pipeline/attemptFailure.ts).
 */
const retryableStatuses: ReadonlySet<number> = new Set([429, 503, 504]);

export function isRetryableStatus(status: number): boolean {
  return retryableStatuses.has(status);
}
