import { ErrorBodyHandler, MAX_ERROR_BODY_BYTES, readBoundedBody } from "@graph-sync/client";
import { AllowedHostsValidator, type RequestOption } from "@microsoft/kiota-abstractions";
import { getRequestHeader, setRequestHeader, type FetchRequestInit, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { hostOf } from "../clouds.js";
import { HeaderNames, SDK_NAME, SDK_VERSION } from "../constants.js";
import { GraphSyncError } from "../errors/graphSyncError.js";
import type { FetchLike } from "../models.js";
import { decideRetry, type AttemptOutcome, type RetryDecision } from "../retry/retryDecision.js";
import { formatSeconds, parseRetryAfter } from "../retry/retryPolicy.js";
import type { GateOutcome, ThrottleGate } from "../retry/throttleGate.js";
import { targetCollection } from "../validation/validateTarget.js";
import { currentCall, type CallContext } from "./callContext.js";
import { noticeDeprecation } from "./deprecationNotice.js";
import { responseToError, type GraphAnswer } from "../failures/graphAnswers.js";
import { AttemptFailure, classifyFetchFailure } from "../failures/noAnswer.js";

const USER_AGENT = `${SDK_NAME}/${SDK_VERSION}`;

/**
 * The SDK's HTTP policy, as the last Kiota middleware (it calls `fetch` itself). In place of
 * Kiota's default chain, whose RetryHandler cannot be aborted and would retry a request that may
 * already have run, and whose RedirectHandler would resend the secrets elsewhere. One middleware
 * rather than a chain of them: every call goes through all of it, so there is no point paying for
 * a layer of promises per concern.
 *
 * 1. Refuses to send a request without a token (see AuthorizationGuard), adds the User-Agent and
 *    the call's `client-request-id`.
 * 2. Retries 429, 503 and 504 answers, connection failures that happened before anything was
 *    sent, and connections reset before any answer (usually a keep-alive connection closed as idle
 *    just as the request went out: see AttemptFailure). Waits what `Retry-After` says (seconds, fractional seconds or an HTTP date), otherwise
 *    backs off exponentially with jitter (retryPolicy.ts). Bounded by `maxRetries` and by the call's deadline: a
 *    wait that would end after the deadline is not started, and the last answer is returned
 *    instead (so the error carries Graph's `Retry-After`). The wait ends early when the caller
 *    aborts. The same `RequestInit` is sent every time, so `client-request-id` stays the same.
 *    Every attempt passes the client's ThrottleGate first: a 429 with `Retry-After` holds back all
 *    calls of the client until then, and they resume gradually (see ThrottleGate).
 * 3. Each attempt runs under its time limit (see sendAttempt), and each answer is checked for
 *    Graph's deprecation notice.
 * 4. The final answer, if it is not a success, becomes the call's GraphSyncError here
 *    (failures.ts), from the body the attempt read: Kiota never sees an error answer, so an error
 *    body is read once and Graph's error envelope parsed once. A success goes on to Kiota.
 */
export class Transport implements Middleware {
  next: Middleware | undefined;

  constructor(
    private readonly guard: AuthorizationGuard,
    /** The caller's fetch, or the SDK's undici transport. */
    private readonly fetch: FetchLike,
    /** Shared by every call of the client. */
    private readonly gate: ThrottleGate,
  ) {}

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const context = currentCall();
    this.guard.check(url, requestInit, context);
    addUserAgent(requestInit);
    if (!context) return normalizeErrorBody(url, requestInit, requestOptions, await this.fetch(url, requestInit));
    // Set here rather than through Kiota's request headers (a case-insensitive Proxy, slow to fill
    // and to read back), on the RequestInit every attempt reuses: the same id on every attempt.
    setRequestHeader(requestInit as FetchRequestInit, HeaderNames.clientRequestId, context.call.clientRequestId);
    const answer = await this.sendWithRetries(url, requestInit, context);
    if (answer.status < 200 || answer.status >= 300) throw responseToError(answer, context);
    // Graph answers 204; a body of any other success carries nothing the SDK uses (see sendAttempt).
    return new Response(null, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
  }

  /** Attempts until an answer is final (see the class comment); throws an AttemptFailure when none came. */
  private async sendWithRetries(url: string, requestInit: RequestInit, context: CallContext): Promise<GraphAnswer> {
    const { retry: retryOptions, clock } = context.settings;
    const { logger, telemetry } = context.call;
    // When this call's own 429 closed the gate: the moment its Retry-After ends.
    let notBefore = 0;
    // When this call waits at the gate for its own Retry-After: since when (for the telemetry).
    let retryAfterWaitStartedAt: number | undefined;
    for (let retry = 0; ; retry++) {
      const admitted = this.gate.admit(context.signal, notBefore);
      let epoch: number;
      try {
        epoch = typeof admitted === "number" ? admitted : await waitAtGate(this.gate, admitted, context, notBefore);
      } finally {
        if (retryAfterWaitStartedAt !== undefined) {
          telemetry.retryAfterWaited(clock.now() - retryAfterWaitStartedAt);
          retryAfterWaitStartedAt = undefined;
        }
      }
      let response: GraphAnswer | undefined;
      let failure: AttemptFailure | undefined;
      let outcome: AttemptOutcome;
      let closesGate = false;
      try {
        response = await sendAttempt(this.fetch, url, requestInit, context);
      } catch (error) {
        this.gate.release(epoch, noAnswer);
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error;
        if (logger.verboseEnabled) {
          logger.verbose(`attempt ${context.attempts}: no answer (${failure.reason}${failure.errorCode ? ` ${failure.errorCode}` : ""})`);
        }
      }
      if (response) {
        const retryAfterInMs = parseRetryAfter(response.headers.get(HeaderNames.retryAfter), clock.now());
        // Only a 429 with a wait closes the gate: 503 and 504 are about Graph's health, not this app's usage.
        closesGate = response.status === 429 && retryAfterInMs !== undefined && retryAfterInMs > 0;
        this.gate.release(epoch, closesGate && retryAfterInMs !== undefined ? { kind: "throttled", retryAfterInMs } : answered);
        noticeDeprecation(response, context);
        if (logger.verboseEnabled) {
          logger.verbose(`attempt ${context.attempts}: ${response.status} ${targetCollection(context.call.target)}/${context.call.target.id}`);
        }
        outcome = { answered: true, status: response.status, retryAfterInMs };
      } else {
        const { reason, errorCode } = failure as AttemptFailure;
        outcome = { answered: false, reason, errorCode };
      }
      const decision = decideRetry(outcome, retryOptions, {
        retriesSoFar: retry,
        timeLeftInMs: context.remainingInMs(),
        // A failure without an answer waits its backoff only; an answer waits for the gate too.
        gateClosedForInMs: response ? this.gate.closedForInMs() : 0,
        random: clock.random(),
      });
      if (!decision.retry) {
        logStop(context, decision);
        if (response) return response;
        throw failure;
      }
      const { delayInMs, why } = decision;
      if (decision.mayHaveRun) context.resetsRetried += 1;
      if (!outcome.answered) {
        telemetry.retryWait(delayInMs, undefined, outcome.reason, context.attempts);
        await wait(context, delayInMs, why);
        notBefore = 0;
        continue;
      }
      const { retryAfterInMs } = outcome;
      telemetry.retryWait(delayInMs, retryAfterInMs, String(outcome.status), context.attempts);
      if (closesGate) {
        // Waited at the gate, with the other calls of the client: one wait, one reopening.
        logRetry(context, delayInMs, why);
        notBefore = clock.now() + decision.ownDelayInMs;
        retryAfterWaitStartedAt = clock.now();
      } else if (retryAfterInMs === undefined) {
        await wait(context, delayInMs, why);
        notBefore = 0;
      } else {
        const waitStartedAt = clock.now();
        try {
          await wait(context, delayInMs, why);
        } finally {
          telemetry.retryAfterWaited(clock.now() - waitStartedAt);
        }
        notBefore = 0;
      }
    }
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

/**
 * Appends the SDK to the User-Agent, as Kiota's UserAgentHandler would. Kiota's adapter builds the
 * RequestInit with its headers as a plain object with lower-case names, which Kiota's helpers read and write.
 */
function addUserAgent(requestInit: RequestInit): void {
  const current = getRequestHeader(requestInit as FetchRequestInit, "user-agent");
  if (!current?.includes(USER_AGENT)) setRequestHeader(requestInit as FetchRequestInit, "user-agent", current ? `${current} ${USER_AGENT}` : USER_AGENT);
}

/** Says why the call stops sending, when it stops for its limits rather than for a final outcome. */
function logStop(context: CallContext, decision: RetryDecision & { retry: false }): void {
  const { maxRetries } = context.settings.retry;
  const { stop, why } = decision;
  if (stop === "retries-exhausted" && maxRetries > 0) {
    context.call.logger.info(`${why}; giving up after ${context.attempts} attempts (retry.maxRetries is ${maxRetries})`);
  } else if (stop === "no-time-left") {
    context.call.logger.info(
      `${why}; not waiting ${formatSeconds(decision.delayInMs ?? 0)}: only ${formatSeconds(context.remainingInMs())} remain before the call's timeout`,
    );
  }
}

const answered: GateOutcome = { kind: "answered" };
const noAnswer: GateOutcome = { kind: "noAnswer" };

/** Waits until the client's throttle gate admits this attempt; its epoch is handed back on release. */
async function waitAtGate(gate: ThrottleGate, admitted: Promise<number>, context: CallContext, notBefore: number): Promise<number> {
  const closedForInMs = gate.closedForInMs();
  if (notBefore === 0 && closedForInMs > 0) {
    if (gate.closedByThrottling()) {
      context.call.logger.info(
        `the client is throttled (Graph answered 429 with Retry-After to one of its calls): waiting ${formatSeconds(closedForInMs)} before sending (client-request-id ${context.call.clientRequestId})`,
      );
    } else if (context.call.logger.verboseEnabled) {
      context.call.logger.verbose(
        `keeping to the limit Graph showed: waiting ${formatSeconds(closedForInMs)} for its next window before sending (client-request-id ${context.call.clientRequestId})`,
      );
    }
  }
  try {
    return await admitted;
  } catch (error) {
    throw abortedBetweenAttempts(context, error);
  }
}

function logRetry(context: CallContext, delayInMs: number, reason: string): void {
  context.call.logger.info(
    `${reason}; retrying in ${formatSeconds(delayInMs)} (attempt ${context.attempts + 1} of ${context.settings.retry.maxRetries + 1}, client-request-id ${context.call.clientRequestId})`,
  );
}

async function wait(context: CallContext, delayInMs: number, reason: string): Promise<void> {
  logRetry(context, delayInMs, reason);
  try {
    await context.settings.clock.sleep(delayInMs, context.signal);
  } catch (error) {
    throw abortedBetweenAttempts(context, error);
  }
}

/** Aborted between attempts: the last attempt got a definite answer, so nothing is in flight. */
function abortedBetweenAttempts(context: CallContext, error: unknown): AttemptFailure {
  const failure = classifyFetchFailure(error, {
    callerAborted: context.callerSignal?.aborted ?? false,
    deadlineExceeded: context.deadlineExceeded,
    attemptTimedOut: false,
  });
  return new AttemptFailure(failure.reason, false, undefined, { cause: error });
}

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
 *   closed), which the client's ErrorBodyHandler turns into Graph's error envelope whatever it
 *   holds (empty, HTML, broken JSON); a success body is never buffered (at most a small one is
 *   drained). An answer without a body (Graph's 204) is taken as it is.
 * - Whatever `fetch` throws becomes an AttemptFailure that says whether the request may have been
 *   sent.
 */
async function sendAttempt(fetch: FetchLike, url: string, requestInit: RequestInit, context: CallContext): Promise<GraphAnswer> {
  const { telemetry } = context.call;
  const attempt = telemetry.startAttempt(context.attempts, requestInit);
  const timer = context.beginAttempt();
  context.attempts += 1;
  let status: number | undefined;
  let headers: Headers | undefined;
  try {
    const init: RequestInit = { ...requestInit, signal: context.attemptSignal, redirect: "manual" };
    const response = await context.race(telemetry.runAttempt(attempt, () => fetch(url, init)));
    status = response.status;
    headers = response.headers;
    let answer: GraphAnswer;
    if (response.body === null) {
      const envelope = status >= 400 ? await readEnvelope(url, requestInit, response) : undefined;
      answer = { status, statusText: response.statusText, headers, envelope, bodyCutAtBytes: undefined };
    } else {
      const isError = status >= 400;
      const limit = isError ? MAX_ERROR_BODY_BYTES : MAX_DRAINED_BODY_BYTES;
      const { bytes, truncated } = await context.race(readBoundedBody(response.body, limit));
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
    context.statuses.push(status);
    context.requestId = headers.get(HeaderNames.requestId) ?? undefined;
    telemetry.endAttempt(attempt, status, headers);
    return answer;
  } catch (error) {
    let failure = classifyFetchFailure(error, {
      callerAborted: context.callerSignal?.aborted ?? false,
      deadlineExceeded: context.deadlineExceeded,
      attemptTimedOut: context.attemptTimedOut,
    });
    // A broken connection once the answer has begun: Graph read the request, so it says nothing reassuring.
    if (status !== undefined && (failure.reason === "reset" || failure.reason === "closed" || failure.reason === "not-written")) {
      failure = new AttemptFailure("network", true, failure.errorCode, { cause: failure.cause });
    }
    telemetry.endAttempt(attempt, status, headers, failure.reason);
    // Failing while reading the body of a refusal (4xx, 503) still means Graph did nothing.
    if (status !== undefined && failure.requestMayHaveBeenSent && isRefusal(status)) {
      throw new AttemptFailure(failure.reason, false, failure.errorCode, { cause: failure.cause });
    }
    throw failure;
  } finally {
    context.endAttempt(timer);
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

/** Statuses that mean the request was turned away without running. */
function isRefusal(status: number): boolean {
  return (status >= 400 && status < 500) || status === 503;
}

const BEARER = /^Bearer\s+\S/i;

/**
 * Kiota's Azure auth provider attaches no token, and raises no error, when the request's host is
 * not in its allowed hosts; Graph would then answer a puzzling 401. This guard makes that case a
 * clear configuration error before anything is sent.
 */
export class AuthorizationGuard {
  constructor(private readonly allowedHosts: ReadonlySet<string>) {}

  /** Throws unless `requestInit` carries a bearer token. */
  check(url: string, requestInit: RequestInit, context: CallContext | undefined): void {
    const authorization = getRequestHeader(requestInit as FetchRequestInit, HeaderNames.authorization);
    if (typeof authorization === "string" && BEARER.test(authorization)) return;
    const host = hostOf(url) ?? url;
    const hostProblem = new AllowedHostsValidator(new Set(this.allowedHosts)).isUrlHostValid(url)
      ? "the credential returned no token"
      : `${host} is not among the hosts allowed to receive the token (${[...this.allowedHosts].join(", ")})`;
    throw new GraphSyncError(
      `Refusing to send the request to ${host} without an access token: ${hostProblem}. ` +
        "The allowed host comes from the cloud, or from baseUrl when it is set: point baseUrl at the Graph endpoint (or proxy) you mean to call.",
      { kind: "configuration", code: "NoAccessToken", clientRequestId: context?.call.clientRequestId },
    );
  }
}
