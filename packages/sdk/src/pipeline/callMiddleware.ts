import { ErrorBodyHandler } from "@graph-sync/client";
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames, SDK_NAME, SDK_VERSION } from "../constants.js";
import type { FetchLike } from "../models.js";
import { backoffDelayInMs } from "../retry/backoff.js";
import { parseRetryAfter } from "../retry/retryAfter.js";
import { isRetryableStatus } from "../retry/retryableStatus.js";
import type { GateOutcome, ThrottleGate } from "../retry/throttleGate.js";
import { sendAttempt } from "./attempt.js";
import { AttemptFailure, classifyFetchFailure } from "./attemptFailure.js";
import type { AuthorizationGuard } from "./authorizationGuard.js";
import { getCallContext, type CallContext } from "./callContext.js";
import { getHeader, setHeader } from "./requestHeaders.js";
import { noticeDeprecation } from "./deprecationNotice.js";

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
 *    backs off exponentially with jitter. Bounded by `maxRetries` and by the call's deadline: a
 *    wait that would end after the deadline is not started, and the last answer is returned
 *    instead (so the error carries Graph's `Retry-After`). The wait ends early when the caller
 *    aborts. The same `RequestInit` is sent every time, so `client-request-id` stays the same.
 *    Every attempt passes the client's ThrottleGate first: a 429 with `Retry-After` holds back all
 *    calls of the client until then, and they resume gradually (see ThrottleGate).
 * 3. Each attempt runs under its time limit (see sendAttempt), and each answer is checked for
 *    Graph's deprecation notice.
 * 4. An error answer that Kiota is given goes through the client's ErrorBodyHandler, which turns a
 *    body Kiota cannot parse (empty, HTML, broken JSON) into Graph's error envelope, so Kiota still
 *    throws an ODataError with the status. Only then: a success costs nothing.
 */
export class CallMiddleware implements Middleware {
  next: Middleware | undefined;

  constructor(
    private readonly guard: AuthorizationGuard,
    /** The caller's fetch, or the SDK's undici transport. */
    private readonly fetch: FetchLike,
    /** Shared by every call of the client. */
    private readonly gate: ThrottleGate,
  ) {}

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const context = getCallContext(requestOptions);
    this.guard.check(url, requestInit, context);
    addUserAgent(requestInit);
    if (!context) return normalizeErrorBody(url, requestInit, requestOptions, await this.fetch(url, requestInit));
    // Set here rather than through Kiota's request headers (a case-insensitive Proxy, slow to fill
    // and to read back), on the RequestInit every attempt reuses: the same id on every attempt.
    setHeader(requestInit, HeaderNames.clientRequestId, context.clientRequestId);

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
          context.telemetry.retryAfterWaited(context.clock.now() - retryAfterWaitStartedAt);
          retryAfterWaitStartedAt = undefined;
        }
      }
      let response: Response;
      try {
        response = await sendAttempt(this.fetch, url, requestInit, context);
      } catch (error) {
        this.gate.release(epoch, noAnswer);
        if (!(error instanceof AttemptFailure)) throw error;
        const failure = error;
        if (context.logger.verboseEnabled) {
          context.logger.verbose(`attempt ${context.attempts}: no answer (${failure.reason}${failure.errorCode ? ` ${failure.errorCode}` : ""})`);
        }
        if (!failure.retryable) throw failure;
        const delayInMs = backoffDelayInMs(retry + 1, context.retry, context.clock.random());
        const reason =
          failure.reason === "reset"
            ? `the connection was reset before any answer (${failure.errorCode ?? failure.reason}), as a connection closed as idle is`
            : `could not connect (${failure.errorCode ?? failure.reason})`;
        if (!mayRetry(context, retry, delayInMs, reason)) throw failure;
        if (failure.reason === "reset") context.resetsRetried += 1;
        context.telemetry.retryWait(delayInMs, undefined, failure.reason, context.attempts);
        await wait(context, delayInMs, reason);
        notBefore = 0;
        continue;
      }
      const retryAfterInMs = isRetryableStatus(response.status)
        ? parseRetryAfter(response.headers.get(HeaderNames.retryAfter), context.clock.now())
        : undefined;
      // Only a 429 with a wait closes the gate: 503 and 504 are about Graph's health, not this app's usage.
      const closesGate = response.status === 429 && retryAfterInMs !== undefined && retryAfterInMs > 0;
      this.gate.release(epoch, closesGate ? { kind: "throttled", retryAfterInMs } : answered);

      noticeDeprecation(response, context);
      if (context.logger.verboseEnabled) {
        context.logger.verbose(`attempt ${context.attempts}: ${response.status} ${describeTarget(context)}`);
      }
      if (!isRetryableStatus(response.status)) return normalizeErrorBody(url, requestInit, requestOptions, response);
      const ownDelayInMs = retryAfterInMs ?? backoffDelayInMs(retry + 1, context.retry, context.clock.random());
      // The gate may already be closed for longer (another call's 429): that is the real wait.
      const delayInMs = Math.max(ownDelayInMs, this.gate.closedForInMs());
      const reason = `Graph answered ${response.status}${retryAfterInMs === undefined ? "" : ` with Retry-After ${formatSeconds(retryAfterInMs)}`}`;
      if (!mayRetry(context, retry, delayInMs, reason)) return normalizeErrorBody(url, requestInit, requestOptions, response);
      context.telemetry.retryWait(delayInMs, retryAfterInMs, String(response.status), context.attempts);
      if (closesGate) {
        // Waited at the gate, with the other calls of the client: one wait, one reopening.
        logRetry(context, delayInMs, reason);
        notBefore = context.clock.now() + ownDelayInMs;
        retryAfterWaitStartedAt = context.clock.now();
      } else if (retryAfterInMs === undefined) {
        await wait(context, delayInMs, reason);
        notBefore = 0;
      } else {
        const waitStartedAt = context.clock.now();
        try {
          await wait(context, delayInMs, reason);
        } finally {
          context.telemetry.retryAfterWaited(context.clock.now() - waitStartedAt);
        }
        notBefore = 0;
      }
    }
  }
}

/** The answer Kiota gets: an error one through the client's ErrorBodyHandler, anything else as it is. */
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

/** Appends the SDK to the User-Agent, as Kiota's UserAgentHandler would. */
function addUserAgent(requestInit: RequestInit): void {
  const current = getHeader(requestInit, "user-agent");
  if (!current?.includes(USER_AGENT)) setHeader(requestInit, "user-agent", current ? `${current} ${USER_AGENT}` : USER_AGENT);
}

function mayRetry(context: CallContext, retriesSoFar: number, delayInMs: number, reason: string): boolean {
  if (retriesSoFar >= context.retry.maxRetries) {
    if (context.retry.maxRetries > 0) {
      context.logger.info(`${reason}; giving up after ${context.attempts} attempts (retry.maxRetries is ${context.retry.maxRetries})`);
    }
    return false;
  }
  if (delayInMs >= context.remainingInMs()) {
    context.logger.info(
      `${reason}; not waiting ${formatSeconds(delayInMs)}: only ${formatSeconds(context.remainingInMs())} remain before the call's timeout`,
    );
    return false;
  }
  return true;
}

const answered: GateOutcome = { kind: "answered" };
const noAnswer: GateOutcome = { kind: "noAnswer" };

/** Waits until the client's throttle gate admits this attempt; its epoch is handed back on release. */
async function waitAtGate(gate: ThrottleGate, admitted: Promise<number>, context: CallContext, notBefore: number): Promise<number> {
  const closedForInMs = gate.closedForInMs();
  if (notBefore === 0 && closedForInMs > 0) {
    if (gate.closedByThrottling()) {
      context.logger.info(
        `the client is throttled (Graph answered 429 with Retry-After to one of its calls): waiting ${formatSeconds(closedForInMs)} before sending (client-request-id ${context.clientRequestId})`,
      );
    } else if (context.logger.verboseEnabled) {
      context.logger.verbose(
        `keeping to the limit Graph showed: waiting ${formatSeconds(closedForInMs)} for its next window before sending (client-request-id ${context.clientRequestId})`,
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
  context.logger.info(
    `${reason}; retrying in ${formatSeconds(delayInMs)} (attempt ${context.attempts + 1} of ${context.retry.maxRetries + 1}, client-request-id ${context.clientRequestId})`,
  );
}

async function wait(context: CallContext, delayInMs: number, reason: string): Promise<void> {
  logRetry(context, delayInMs, reason);
  try {
    await context.clock.sleep(delayInMs, context.signal);
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

function describeTarget(context: CallContext): string {
  return `${context.target.kind === "servicePrincipal" ? "servicePrincipals" : "applications"}/${context.target.id}`;
}

function formatSeconds(delayInMs: number): string {
  return `${Number((delayInMs / 1000).toFixed(3))} s`;
}
