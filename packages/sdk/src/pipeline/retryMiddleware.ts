import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames } from "../constants.js";
import { backoffDelayInMs } from "../retry/backoff.js";
import { parseRetryAfter } from "../retry/retryAfter.js";
import { isRetryableStatus } from "../retry/retryableStatus.js";
import { AttemptFailure, classifyFetchFailure } from "./attemptFailure.js";
import { getCallContext, type CallContext } from "./callContext.js";

/**
 * The SDK's retry policy, in place of Kiota's RetryHandler (whose sleep cannot be aborted and which
 * would retry a request that may already have run).
 *
 * Retries 429, 503 and 504 answers, and connection failures that happened before anything was
 * sent. Waits what `Retry-After` says (seconds, fractional seconds or an HTTP date), otherwise
 * backs off exponentially with jitter. Bounded by `maxRetries` and by the call's deadline: a wait
 * that would end after the deadline is not started, and the last answer is returned instead (so the
 * error carries Graph's `Retry-After`). The wait ends early when the caller aborts.
 *
 * The same `RequestInit` is sent every time, so `client-request-id` stays the same across attempts.
 */
export class RetryMiddleware implements Middleware {
  next: Middleware | undefined;

  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    if (!this.next) throw new Error("RetryMiddleware must not be the last middleware");
    const context = getCallContext(requestOptions);
    if (!context) return this.next.execute(url, requestInit, requestOptions);

    for (let retry = 0; ; retry++) {
      let outcome: { response: Response } | { failure: AttemptFailure };
      try {
        outcome = { response: await this.next.execute(url, requestInit, requestOptions) };
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        outcome = { failure: error };
      }

      const attempt = context.attempts;
      if ("response" in outcome) {
        const { response } = outcome;
        context.logger.verbose(`attempt ${attempt}: ${response.status} ${describeTarget(context)}`);
        if (!isRetryableStatus(response.status)) return response;
        const retryAfterInMs = parseRetryAfter(response.headers.get(HeaderNames.retryAfter), context.clock.now());
        const delayInMs = retryAfterInMs ?? backoffDelayInMs(retry + 1, context.retry, context.clock.random());
        const reason = `Graph answered ${response.status}${retryAfterInMs === undefined ? "" : ` with Retry-After ${formatSeconds(retryAfterInMs)}`}`;
        if (!this.mayRetry(context, retry, delayInMs, reason)) return response;
        await this.wait(context, delayInMs, reason, attempt);
      } else {
        const { failure } = outcome;
        context.logger.verbose(`attempt ${attempt}: no answer (${failure.reason}${failure.errorCode ? ` ${failure.errorCode}` : ""})`);
        if (!failure.retryable) throw failure;
        const delayInMs = backoffDelayInMs(retry + 1, context.retry, context.clock.random());
        const reason = `could not connect (${failure.errorCode ?? failure.reason})`;
        if (!this.mayRetry(context, retry, delayInMs, reason)) throw failure;
        await this.wait(context, delayInMs, reason, attempt);
      }
    }
  }

  private mayRetry(context: CallContext, retriesSoFar: number, delayInMs: number, reason: string): boolean {
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

  private async wait(context: CallContext, delayInMs: number, reason: string, attempt: number): Promise<void> {
    context.logger.info(
      `${reason}; retrying in ${formatSeconds(delayInMs)} (attempt ${attempt + 1} of ${context.retry.maxRetries + 1}, client-request-id ${context.clientRequestId})`,
    );
    try {
      await context.clock.sleep(delayInMs, context.signal);
    } catch (error) {
      // Aborted between attempts: the last attempt got a definite answer, so nothing is in flight.
      const failure = classifyFetchFailure(error, {
        callerAborted: context.callerSignal?.aborted ?? false,
        deadlineExceeded: context.deadlineSignal.aborted,
        attemptTimedOut: false,
      });
      throw new AttemptFailure(failure.reason, false, undefined, { cause: error });
    }
  }
}

function describeTarget(context: CallContext): string {
  return `${context.target.kind === "servicePrincipal" ? "servicePrincipals" : "applications"}/${context.target.id}`;
}

function formatSeconds(delayInMs: number): string {
  return `${Number((delayInMs / 1000).toFixed(3))} s`;
}
