import { inspect } from "node:util";
import { isGraphSyncError, type GraphSyncError } from "@graph-sync/sdk";
import { rejectionOf, thrownBy } from "@graph-sync/test-support";

/** Awaits `promise`, asserts it rejected with a GraphSyncError, and returns that error. */
export function captureError(promise: Promise<unknown>): Promise<GraphSyncError> {
  return rejectionOf(promise, isGraphSyncError);
}

/** The same for a synchronous call. */
export function captureSyncError(call: () => unknown): GraphSyncError {
  return thrownBy(call, isGraphSyncError);
}

/**
 * Everything a user could see of an error, the fields beside the message included: what a test
 * searches for a secret that must not be there.
 */
export function everyRendering(error: GraphSyncError): string {
  return [
    error.message,
    error.stack,
    String(error),
    error.code,
    error.requestId,
    error.clientRequestId,
    (error.cause as { code?: string } | undefined)?.code,
    JSON.stringify(error),
    inspect(error),
    inspect(error, { showHidden: true, depth: 10 }),
    inspect(error, { customInspect: false, showHidden: true, depth: 10 }),
    inspect(error.cause, { depth: 10 }),
  ].join("\n");
}
