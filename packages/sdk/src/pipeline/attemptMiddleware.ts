import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { getCallContext, type CapturedResponse } from "./callContext.js";
import { AttemptFailure, classifyFetchFailure } from "./attemptFailure.js";
import { untilAborted } from "./untilAborted.js";

/** Statuses whose responses cannot carry a body (the Response constructor rejects one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * Runs one HTTP attempt under the call's signals.
 *
 * - Kiota's adapter builds a `RequestInit` without `signal`; this middleware adds one that fires on
 *   the caller's abort, the call's deadline, or this attempt's own timeout.
 * - Redirects are not followed: the body carries secrets, and Graph does not redirect this action.
 * - The body is read here, inside the attempt's time limit, and kept: a stalled body then times
 *   out like a stalled connection, and the SDK still knows the status, headers and body when
 *   Kiota's error parsing fails on an empty, HTML or non-JSON answer.
 * - Whatever `fetch` throws becomes an AttemptFailure that says whether the request may have been
 *   sent.
 */
export class AttemptMiddleware implements Middleware {
  next: Middleware | undefined;

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    if (!this.next) throw new Error("AttemptMiddleware must be followed by the fetch handler");
    const context = getCallContext(requestOptions);
    if (!context) return this.next.execute(url, requestInit, requestOptions);

    const attemptTimeout = new AbortController();
    const timer = setTimeout(
      () => attemptTimeout.abort(new DOMException(`no answer within ${context.attemptTimeoutInMs} ms`, "TimeoutError")),
      context.attemptTimeoutInMs,
    );
    const signal = AbortSignal.any([context.signal, attemptTimeout.signal]);
    context.attempts += 1;
    let status: number | undefined;
    try {
      // Raced against the signal too: a custom fetch may ignore it, and the time limits must hold.
      const response = await untilAborted(this.next.execute(url, { ...requestInit, signal, redirect: "manual" }, requestOptions), signal);
      status = response.status;
      const body = await untilAborted(response.arrayBuffer(), signal);
      const captured: CapturedResponse = {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
        body: new TextDecoder().decode(body),
      };
      context.lastResponse = captured;
      context.statuses.push(response.status);
      const hasBody = body.byteLength > 0 && !nullBodyStatuses.has(response.status);
      return new Response(hasBody ? body : null, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      const failure = classifyFetchFailure(error, {
        callerAborted: context.callerSignal?.aborted ?? false,
        deadlineExceeded: context.deadlineSignal.aborted,
        attemptTimedOut: attemptTimeout.signal.aborted,
      });
      // Failing while reading the body of a refusal (4xx, 503) still means Graph did nothing.
      if (status !== undefined && failure.requestMayHaveBeenSent && isRefusal(status)) {
        throw new AttemptFailure(failure.reason, false, failure.errorCode, { cause: failure.cause });
      }
      throw failure;
    } finally {
      clearTimeout(timer);
    }
  }
}

/** Statuses that mean the request was turned away without running. */
function isRefusal(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}
