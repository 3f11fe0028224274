// The checks of the options that are not the call's input: time limits (the client's and the
// call's) and the call's options object.
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { AcquireAccessTokenOptions } from "../models.js";

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

/**
 * The call's options, each read once and checked for its type: a getter that throws, a Proxy or a
 * value of the wrong type becomes a `validation` error rather than a TypeError from deep inside.
 */
export function readCallOptions(options: AcquireAccessTokenOptions | null | undefined): AcquireAccessTokenOptions {
  if (options === undefined || options === null) return {};
  let copy: AcquireAccessTokenOptions;
  try {
    const { abortSignal, timeoutInMs, attemptTimeoutInMs, clientRequestId } = options;
    copy = { abortSignal, timeoutInMs, attemptTimeoutInMs, clientRequestId };
  } catch (error) {
    throw new GraphSyncError("The call's options could not be read: reading one of them threw (a getter or a Proxy?); pass plain data.", {
      kind: "validation",
      code: "InvalidInput",
      issues: [{ path: "options", message: "could not be read" }],
      cause: error,
    });
  }
  if (copy.abortSignal !== undefined && !(copy.abortSignal instanceof AbortSignal)) {
    throw invalidOption("options.abortSignal", "must be an AbortSignal (for example AbortSignal.timeout(30_000))");
  }
  if (copy.clientRequestId !== undefined && (typeof copy.clientRequestId !== "string" || !CLIENT_REQUEST_ID_PATTERN.test(copy.clientRequestId))) {
    throw invalidOption("options.clientRequestId", "must be 1–128 visible ASCII characters (a UUID is best)");
  }
  return copy;
}

function invalidOption(path: string, message: string): GraphSyncError {
  return new GraphSyncError(`${path} ${message}.`, { kind: "validation", code: "InvalidInput", issues: [{ path, message }] });
}

/** Header values must be visible ASCII; Graph echoes the id, so keep it short too. */
const CLIENT_REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;
