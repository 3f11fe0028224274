import { ErrorBodyHandler } from "@graph-sync/client";
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames, SDK_NAME, SDK_VERSION } from "../constants.js";
import type { FetchLike } from "../models.js";
import { backoffDelayInMs } from "../retry/backoff.js";
import { parseRetryAfter } from "../retry/retryAfter.js";
import { isRetryableStatus } from "../retry/retryableStatus.js";
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
    /** Looked up at call time, so a global fetch replaced later (instrumentation) is used. */
    private readonly fetch: FetchLike,
  ) {}

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const context = getCallContext(requestOptions);
    this.guard.check(url, requestInit, context);
    addUserAgent(requestInit);
    if (!context) return normalizeErrorBody(url, requestInit, requestOptions, await this.fetch(url, requestInit));
    // Set here rather than through Kiota's request headers (a case-insensitive Proxy, slow to fill
    // and to read back), on the RequestInit every attempt reuses: the same id on every attempt.
    setHeader(requestInit, HeaderNames.clientRequestId, context.clientRequestId);

    for (let retry = 0; ; retry++) {
      let response: Response;
      try {
        response = await sendAttempt(this.fetch, url, requestInit, context);
      } catch (error) {
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
        continue;
      }

      noticeDeprecation(response, context);
      if (context.logger.verboseEnabled) {
        context.logger.verbose(`attempt ${context.attempts}: ${response.status} ${describeTarget(context)}`);
      }
      if (!isRetryableStatus(response.status)) return normalizeErrorBody(url, requestInit, requestOptions, response);
      const retryAfterInMs = parseRetryAfter(response.headers.get(HeaderNames.retryAfter), context.clock.now());
      const delayInMs = retryAfterInMs ?? backoffDelayInMs(retry + 1, context.retry, context.clock.random());
      const reason = `Graph answered ${response.status}${retryAfterInMs === undefined ? "" : ` with Retry-After ${formatSeconds(retryAfterInMs)}`}`;
      if (!mayRetry(context, retry, delayInMs, reason)) return normalizeErrorBody(url, requestInit, requestOptions, response);
      context.telemetry.retryWait(delayInMs, retryAfterInMs, String(response.status), context.attempts);
      if (retryAfterInMs === undefined) {
        await wait(context, delayInMs, reason);
      } else {
        const waitStartedAt = context.clock.now();
        try {
          await wait(context, delayInMs, reason);
        } finally {
          context.telemetry.retryAfterWaited(context.clock.now() - waitStartedAt);
        }
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

async function wait(context: CallContext, delayInMs: number, reason: string): Promise<void> {
  context.logger.info(
    `${reason}; retrying in ${formatSeconds(delayInMs)} (attempt ${context.attempts + 1} of ${context.retry.maxRetries + 1}, client-request-id ${context.clientRequestId})`,
  );
  try {
    await context.clock.sleep(delayInMs, context.signal);
  } catch (error) {
    // Aborted between attempts: the last attempt got a definite answer, so nothing is in flight.
    const failure = classifyFetchFailure(error, {
      callerAborted: context.callerSignal?.aborted ?? false,
      deadlineExceeded: context.deadlineExceeded,
      attemptTimedOut: false,
    });
    throw new AttemptFailure(failure.reason, false, undefined, { cause: error });
  }
}

function describeTarget(context: CallContext): string {
  return `${context.target.kind === "servicePrincipal" ? "servicePrincipals" : "applications"}/${context.target.id}`;
}

function formatSeconds(delayInMs: number): string {
  return `${Number((delayInMs / 1000).toFixed(3))} s`;
}
