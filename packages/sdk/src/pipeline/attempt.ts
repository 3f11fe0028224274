import { MAX_ERROR_BODY_BYTES, readBoundedBody } from "@graph-sync/client";
import type { FetchLike } from "../models.js";
import { AttemptFailure, classifyFetchFailure } from "./attemptFailure.js";
import type { CallContext } from "./callContext.js";

/** Statuses whose responses cannot carry a body (the Response constructor rejects one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * What is read of a body nobody needs (this action's success is a 204; a 200 or 3xx body carries
 * nothing the SDK uses): enough that a small one is drained and the connection stays reusable,
 * never more. Such a body is then dropped.
 */
const MAX_DRAINED_BODY_BYTES = 16 * 1024;

/**
 * Runs one HTTP attempt under the call's limits.
 *
 * - Kiota's adapter builds a `RequestInit` without `signal`; the attempt adds one that fires on the
 *   caller's abort, the call's deadline, or this attempt's own timeout. The fetch is also raced
 *   against it: a custom fetch may ignore the signal, and the time limits must hold.
 * - Redirects are not followed: the body carries secrets, and Graph does not redirect this action.
 * - A body is read here, inside the attempt's time limit: a stalled body then times out like a
 *   stalled connection. It is read with a limit, as a stream, because its length is the server's
 *   choice: an error body up to MAX_ERROR_BODY_BYTES (the rest is cut off and the connection
 *   closed), which Kiota and the ErrorBodyHandler then parse; a success body is never buffered
 *   (at most a small one is drained) and Kiota gets the answer without it. An answer without a
 *   body (Graph's 204) is handed on as it is.
 * - Whatever `fetch` throws becomes an AttemptFailure that says whether the request may have been
 *   sent.
 */
export async function sendAttempt(fetch: FetchLike, url: string, requestInit: RequestInit, context: CallContext): Promise<Response> {
  const telemetry = context.telemetry.startAttempt(context.attempts, requestInit);
  const timer = context.beginAttempt();
  context.attempts += 1;
  let status: number | undefined;
  let headers: Headers | undefined;
  try {
    const init: RequestInit = { ...requestInit, signal: context.attemptSignal, redirect: "manual" };
    const response = await context.race(context.telemetry.runAttempt(telemetry, () => fetch(url, init)));
    status = response.status;
    headers = response.headers;
    if (response.body === null) {
      context.lastResponse = { status, statusText: response.statusText, headers: response.headers, bodyCutAtBytes: undefined };
      context.statuses.push(status);
      context.telemetry.endAttempt(telemetry, status, headers);
      return response;
    }
    const isError = status >= 400;
    const limit = isError ? MAX_ERROR_BODY_BYTES : MAX_DRAINED_BODY_BYTES;
    const { bytes, truncated } = await context.race(readBoundedBody(response.body, limit));
    const bodyCutAtBytes = isError && truncated ? limit : undefined;
    context.lastResponse = { status, statusText: response.statusText, headers: response.headers, bodyCutAtBytes };
    context.statuses.push(status);
    context.telemetry.endAttempt(telemetry, status, headers);
    const hasBody = isError && bytes.byteLength > 0 && !nullBodyStatuses.has(status);
    return new Response(hasBody ? bytes : null, { status, statusText: response.statusText, headers: withoutLength(response.headers) });
  } catch (error) {
    let failure = classifyFetchFailure(error, {
      callerAborted: context.callerSignal?.aborted ?? false,
      deadlineExceeded: context.deadlineExceeded,
      attemptTimedOut: context.attemptTimedOut,
    });
    // A reset once the answer has begun: Graph read the request, so it says nothing reassuring.
    if (status !== undefined && failure.reason === "reset") {
      failure = new AttemptFailure("network", true, failure.errorCode, { cause: failure.cause });
    }
    context.telemetry.endAttempt(telemetry, status, headers, failure.reason);
    // Failing while reading the body of a refusal (4xx, 503) still means Graph did nothing.
    if (status !== undefined && failure.requestMayHaveBeenSent && isRefusal(status)) {
      throw new AttemptFailure(failure.reason, false, failure.errorCode, { cause: failure.cause });
    }
    throw failure;
  } finally {
    context.endAttempt(timer);
  }
}

/**
 * The headers handed on with the body kept: its length is no longer the server's (a cut or dropped
 * body), and a Content-Length that disagrees with the body would mislead whoever reads it.
 */
function withoutLength(headers: Headers): Headers {
  if (!headers.has("content-length")) return headers;
  const copy = new Headers(headers);
  copy.delete("content-length");
  return copy;
}

/** Statuses that mean the request was turned away without running. */
function isRefusal(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}
