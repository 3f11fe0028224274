import type { FetchLike } from "../models.js";
import { AttemptFailure, classifyFetchFailure } from "./attemptFailure.js";
import type { CallContext } from "./callContext.js";

/** Statuses whose responses cannot carry a body (the Response constructor rejects one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/** Stateless when not streaming, so one serves every call. */
const utf8 = new TextDecoder();

/**
 * Runs one HTTP attempt under the call's limits.
 *
 * - Kiota's adapter builds a `RequestInit` without `signal`; the attempt adds one that fires on the
 *   caller's abort, the call's deadline, or this attempt's own timeout. The fetch is also raced
 *   against it: a custom fetch may ignore the signal, and the time limits must hold.
 * - Redirects are not followed: the body carries secrets, and Graph does not redirect this action.
 * - A body is read here, inside the attempt's time limit, and kept: a stalled body then times out
 *   like a stalled connection, and the SDK still knows the status, headers and body when Kiota's
 *   error parsing fails on an empty, HTML or non-JSON answer. An answer without a body (Graph's
 *   204) is handed on as it is.
 * - Whatever `fetch` throws becomes an AttemptFailure that says whether the request may have been
 *   sent.
 */
export async function sendAttempt(fetch: FetchLike, url: string, requestInit: RequestInit, context: CallContext): Promise<Response> {
  const timer = context.beginAttempt();
  context.attempts += 1;
  let status: number | undefined;
  try {
    const response = await context.race(fetch(url, { ...requestInit, signal: context.attemptSignal, redirect: "manual" }));
    status = response.status;
    if (response.body === null) {
      context.lastResponse = { status, statusText: response.statusText, headers: response.headers, body: "" };
      context.statuses.push(status);
      return response;
    }
    const body = await context.race(response.arrayBuffer());
    context.lastResponse = { status, statusText: response.statusText, headers: response.headers, body: utf8.decode(body) };
    context.statuses.push(status);
    const hasBody = body.byteLength > 0 && !nullBodyStatuses.has(status);
    return new Response(hasBody ? body : null, { status, statusText: response.statusText, headers: response.headers });
  } catch (error) {
    const failure = classifyFetchFailure(error, {
      callerAborted: context.callerSignal?.aborted ?? false,
      deadlineExceeded: context.deadlineExceeded,
      attemptTimedOut: context.attemptTimedOut,
    });
    // Failing while reading the body of a refusal (4xx, 503) still means Graph did nothing.
    if (status !== undefined && failure.requestMayHaveBeenSent && isRefusal(status)) {
      throw new AttemptFailure(failure.reason, false, failure.errorCode, { cause: failure.cause });
    }
    throw failure;
  } finally {
    context.endAttempt(timer);
  }
}

/** Statuses that mean the request was turned away without running. */
function isRefusal(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}
