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
