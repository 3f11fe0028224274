import { inspect } from "node:util";
import { expect } from "vitest";
import { isGraphSyncError, type GraphSyncError } from "@graph-sync/sdk";

/** Awaits `promise`, asserts it rejected with a GraphSyncError, and returns that error. */
export async function captureError(promise: Promise<unknown>): Promise<GraphSyncError> {
  let caught: unknown;
  try {
    await promise;
  } catch (error) {
    caught = error;
  }
  expect(isGraphSyncError(caught), `expected a GraphSyncError, got ${String(caught)}`).toBe(true);
  return caught as GraphSyncError;
}

/** The same for a synchronous call. */
export function captureSyncError(call: () => unknown): GraphSyncError {
  let caught: unknown;
  try {
    call();
  } catch (error) {
    caught = error;
  }
  expect(isGraphSyncError(caught), `expected a GraphSyncError, got ${String(caught)}`).toBe(true);
  return caught as GraphSyncError;
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
