import { GraphSyncError } from "../errors/graphSyncError.js";

/** Node's timers cap at 2^31-1 ms (about 24.8 days); longer values would fire at once. */
export const MAX_DURATION_IN_MS = 2_147_483_647;

/**
 * Checks an optional `…InMs` option: a positive, finite number of milliseconds. `kind` is
 * `configuration` for client options and `validation` for per-call options.
 */
export function validateDuration(
  name: string,
  value: number | undefined,
  kind: "validation" | "configuration" = "validation",
): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value > MAX_DURATION_IN_MS) {
    const message = `must be a number of milliseconds from 1 to ${MAX_DURATION_IN_MS}`;
    throw new GraphSyncError(`${name} ${message}.`, {
      kind,
      code: kind === "validation" ? "InvalidInput" : "InvalidTimeout",
      issues: [{ path: name, message }],
    });
  }
  return value;
}
