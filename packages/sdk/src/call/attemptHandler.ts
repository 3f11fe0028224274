import { ErrorBodyHandler, MAX_ERROR_BODY_BYTES, readBoundedBody } from "@graph-sync/client";
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames } from "../constants.js";
import type { GraphAnswer } from "../failures/graphAnswers.js";
import type { FetchLike } from "../models.js";
import { targetCollection } from "../validation/validateTarget.js";
import { callStateOf, type CallState } from "./callState.js";

/** Statuses whose responses cannot carry a body (the Response constructor rejects one). */
const nullBodyStatuses = new Set([101, 103, 204, 205, 304]);

/**
 * What is read of a body nobody needs (this action's success is a 204; a 200 or 3xx body carries
 * nothing the SDK uses): enough that a small one is drained and the connection stays reusable,
 * never more. Such a body is then dropped.
 */
const MAX_DRAINED_BODY_BYTES = 16 * 1024;

/**
 * One HTTP attempt, the last link of the chain: it calls `fetch` itself (the caller's, or the SDK's
 * transport), under the call's limits.
 *
 * - Kiota's adapter builds a `RequestInit` without `signal`; the attempt adds one that fires on the
 *   caller's abort, the call's deadline, or this attempt's own time limit. The fetch is also raced
 *   against it: a custom fetch may ignore the signal, and the time limits must hold.
 * - Redirects are not followed: the body carries secrets, and Graph does not redirect this action.
 * - A body is read here, inside the attempt's time limit: a stalled body then times out like a
 *   stalled connection. It is read with a limit, as a stream, because its length is the server's
 *   choice: an error body up to MAX_ERROR_BODY_BYTES (the rest is cut off and the connection
 *   closed), which the client's ErrorBodyHandler turns into Graph's error envelope whatever it
 *   holds (empty, HTML, broken JSON); a success body is never buffered (at most a small one is
 *   drained). The answer is kept on the call's state (`lastAnswer`) and handed up without a body.
 * - Each answer is checked for Graph's deprecation notice, and each attempt gets its span.
 * - Whatever `fetch` throws becomes an AttemptFailure that says whether the request may have been sent.
 */
export class AttemptHandler implements Middleware {
  /** The last link: there is none after it. */
  next: Middleware | undefined;

  constructor(
    /** The caller's fetch, or the SDK's transport. */
    private readonly fetch: FetchLike,
    /**
     * True for the SDK's own transport, which stops on the attempt's signal (its request and body
     * stream end with the signal's reason): its answer is then awaited as it is, without a race.
     * A caller's fetch may ignore the signal, so it is raced against the call's limits.
     */
    private readonly honoursSignal = false,
  ) {}

  /** Sends one attempt and reads its answer; throws an AttemptFailure when none came. */
  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const state = callStateOf(requestOptions);
    if (!state) return normalizeErrorBody(url, requestInit, requestOptions, await this.fetch(url, requestInit));
    const [answer, bodiless] = await sendAttempt(this.fetch, this.honoursSignal, url, requestInit, state);
    state.lastAnswer = answer;
    // The notice's module loads only for an answer that may carry one (beta, or Graph's headers).
    if (mayBeDeprecated(answer, state)) (await import("./deprecationNotice.js")).noticeDeprecation(answer, state);
    if (state.call.logger.verboseEnabled) {
      state.call.logger.verbose(`attempt ${state.attempts}: ${answer.status} ${targetCollection(state.call.target)}/${state.call.target.id}`);
    }
    // Graph answers 204, which has no body: that Response is handed on as it is (building another
    // one per call would copy its headers for nothing). A body of any other answer was read above
    // (see sendAttempt): the answer goes on without it.
    return bodiless ?? new Response(null, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  }
}

/** The answer to a request made outside a call (the generated client used directly): an error one through the client's ErrorBodyHandler. */
function normalizeErrorBody(
  url: string,
  requestInit: RequestInit,
  requestOptions: Record<string, RequestOption> | undefined,
  response: Response,
): Response | Promise<Response> {
  if (response.status < 400) return response;
  const handler = new ErrorBodyHandler();
  handler.next = { next: undefined, execute: () => Promise.resolve(response) };
  return handler.execute(url, requestInit, requestOptions);
}

/** The attempt's answer, and the Response itself when it came without a body (then it can be handed on as it is). */
async function sendAttempt(fetch: FetchLike, honoursSignal: boolean, url: string, requestInit: RequestInit, state: CallState): Promise<[GraphAnswer, Response | undefined]> {
  const { telemetry } = state.call;
  const attempt = telemetry.startAttempt(state.attempts, requestInit);
  const timer = state.beginAttempt();
  state.attempts += 1;
  let status: number | undefined;
  let headers: Headers | undefined;
  try {
    const init: RequestInit = { ...requestInit, signal: state.attemptSignal, redirect: "manual" };
    const sent = attempt.run(() => fetch(url, init));
    const response = await (honoursSignal ? sent : state.race(sent));
    status = response.status;
    headers = response.headers;
    let answer: GraphAnswer;
    let bodiless: Response | undefined;
    if (response.body === null) {
      // A caller's fetch may return a look-alike; only a real Response goes on to Kiota unchanged.
      if (response instanceof Response) bodiless = response;
      const envelope = status >= 400 ? await readEnvelope(url, requestInit, response) : undefined;
      answer = { status, statusText: response.statusText, headers, envelope, bodyCutAtBytes: undefined };
    } else {
      const isError = status >= 400;
      const limit = isError ? MAX_ERROR_BODY_BYTES : MAX_DRAINED_BODY_BYTES;
      const { bytes, truncated } = await state.race(readBoundedBody(response.body, limit));
      const hasBody = isError && bytes.byteLength > 0 && !nullBodyStatuses.has(status);
      const kept = new Response(hasBody ? bytes : null, { status, statusText: response.statusText, headers: withoutLength(headers) });
      answer = {
        status,
        statusText: response.statusText,
        headers: kept.headers,
        envelope: isError ? await readEnvelope(url, requestInit, kept) : undefined,
        bodyCutAtBytes: isError && truncated ? limit : undefined,
      };
    }
    state.statuses.push(status);
    state.requestId = headers.get(HeaderNames.requestId) ?? undefined;
    attempt.end(status, headers);
    return [answer, bodiless];
  } catch (error) {
    // Sorting a failure is the failing attempts' cost: its module loads on the first one.
    const { AttemptFailure, classifyFetchFailure } = await import("../failures/noAnswer.js");
    let failure = classifyFetchFailure(error, {
      callerAborted: state.callerSignal?.aborted ?? false,
      deadlineExceeded: state.deadlineExceeded,
      attemptTimedOut: state.attemptTimedOut,
    });
    // A broken connection once the answer has begun: Graph read the request, so it says nothing reassuring.
    if (status !== undefined && (failure.reason === "reset" || failure.reason === "closed" || failure.reason === "not-written")) {
      failure = new AttemptFailure("network", true, failure.errorCode, { cause: failure.cause });
    }
    attempt.end(status, headers, failure.reason);
    // Failing while reading the body of a refusal (4xx, 503) still means Graph did nothing.
    if (status !== undefined && failure.requestMayHaveBeenSent && isRefusal(status)) {
      failure = new AttemptFailure(failure.reason, false, failure.errorCode, { cause: failure.cause });
    }
    if (state.call.logger.verboseEnabled) {
      state.call.logger.verbose(`attempt ${state.attempts}: no answer (${failure.reason}${failure.errorCode ? ` ${failure.errorCode}` : ""})`);
    }
    throw failure;
  } finally {
    state.endAttempt(timer);
  }
}

/** Graph's error envelope for an error answer already read into memory: the client's ErrorBodyHandler makes one of any body. */
async function readEnvelope(url: string, requestInit: RequestInit, response: Response): Promise<string> {
  const handler = new ErrorBodyHandler();
  handler.next = { next: undefined, execute: () => Promise.resolve(response) };
  return (await handler.execute(url, requestInit)).text();
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

/** Whether Graph's deprecation notice may apply: the beta version (its description deprecates the action), or an answer with `Deprecation` or `Sunset`. */
function mayBeDeprecated(answer: GraphAnswer, state: CallState): boolean {
  return state.settings.apiVersion === "beta" || answer.headers.has(HeaderNames.deprecation) || answer.headers.has(HeaderNames.sunset);
}

/** Statuses that mean the request was turned away without running. */
function isRefusal(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}

