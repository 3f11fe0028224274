import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames } from "../constants.js";
import type { AttemptFailure } from "../failures/noAnswer.js";
import { decideRetry, formatSeconds, parseRetryAfter, type AttemptOutcome, type RetryDecision } from "../retry/retryDecision.js";
import { callStateOf, type CallState } from "./callState.js";
import type { ThrottleGateHandler } from "./throttleGateHandler.js";

/**
 * The retry, in place of Kiota's RetryHandler (which cannot be aborted and would resend a request
 * that may have run): sends the request on down the chain (throttle gate, attempt) and, after each
 * attempt, applies the retry decision (retry/retryDecision.ts) — wait how long, or stop. The wait
 * ends early when the call is aborted or its deadline passes; after a 429 that closed the client's
 * throttle gate, the call waits at the gate instead (`state.notBefore`), with the client's other calls.
 *
 * The final answer, if it is not a success, becomes the call's GraphSyncError here, from the body
 * the attempt read (failures/graphAnswers.ts): Kiota never sees an error answer.
 */
export class RetryHandler implements Middleware {
  /** The next link of the chain. */
  next: Middleware | undefined;

  constructor(
    /** The gate below, asked how long it stays closed anyway. */
    private readonly gate: ThrottleGateHandler,
  ) {}

  /** Sends until the outcome is final; returns a success, throws a GraphSyncError or an AttemptFailure otherwise. */
  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const next = this.next as Middleware;
    const state = callStateOf(requestOptions);
    if (!state) return next.execute(url, requestInit, requestOptions);
    const { retry: policy, clock } = state.settings;
    for (let retriesSoFar = 0; ; retriesSoFar++) {
      let response: Response | undefined;
      let failure: AttemptFailure | undefined;
      try {
        response = await next.execute(url, requestInit, requestOptions);
      } catch (error) {
        // The failures' module loads with the first failure (the attempt threw one of its AttemptFailures).
        const { AttemptFailure } = await import("../failures/noAnswer.js");
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error;
      }
      const outcome: AttemptOutcome = response
        ? { answered: true, status: response.status, retryAfterInMs: parseRetryAfter(response.headers.get(HeaderNames.retryAfter), clock.now()) }
        : { answered: false, reason: (failure as AttemptFailure).reason, errorCode: (failure as AttemptFailure).errorCode };
      const decision = decideRetry(outcome, policy, {
        retriesSoFar,
        timeLeftInMs: state.remainingInMs(),
        // A failure without an answer waits its backoff only; an answer waits for the gate too.
        gateClosedForInMs: response ? this.gate.closedForInMs() : 0,
        random: clock.random(),
      });
      if (!decision.retry) {
        logStop(state, decision);
        if (failure) throw failure;
        const answer = state.lastAnswer;
        if (answer && (answer.status < 200 || answer.status >= 300)) {
          // Loaded by the calls that fail with Graph's answer, not by every call.
          const { responseToError } = await import("../failures/graphAnswers.js");
          throw responseToError(answer, state);
        }
        return response as Response;
      }
      if (decision.mayHaveRun) state.resetsRetried += 1;
      const retryAfterInMs = outcome.answered ? outcome.retryAfterInMs : undefined;
      state.call.telemetry.retryWait(decision.delayInMs, retryAfterInMs, outcome.answered ? String(outcome.status) : outcome.reason, state.attempts);
      logRetry(state, decision.delayInMs, decision.why);
      if (outcome.answered && state.closedGate) {
        // Waited at the gate, with the other calls of the client: one wait, one reopening.
        state.notBefore = clock.now() + decision.ownDelayInMs;
        continue;
      }
      const waitStartedAt = clock.now();
      try {
        await clock.sleep(decision.delayInMs, state.signal);
      } catch (error) {
        throw (await import("../failures/noAnswer.js")).abortedBetweenAttempts(error, state);
      } finally {
        if (retryAfterInMs !== undefined) state.call.telemetry.retryAfterWaited(clock.now() - waitStartedAt);
      }
    }
  }
}

function logRetry(state: CallState, delayInMs: number, why: string): void {
  state.call.logger.info(
    `${why}; retrying in ${formatSeconds(delayInMs)} (attempt ${state.attempts + 1} of ${state.settings.retry.maxRetries + 1}, client-request-id ${state.call.clientRequestId})`,
  );
}

/** Says why the call stops sending, when it stops for its limits rather than for a final outcome. */
function logStop(state: CallState, decision: RetryDecision & { retry: false }): void {
  const { maxRetries } = state.settings.retry;
  if (decision.stop === "retries-exhausted" && maxRetries > 0) {
    state.call.logger.info(`${decision.why}; giving up after ${state.attempts} attempts (retry.maxRetries is ${maxRetries})`);
  } else if (decision.stop === "no-time-left") {
    state.call.logger.info(
      `${decision.why}; not waiting ${formatSeconds(decision.delayInMs ?? 0)}: only ${formatSeconds(state.remainingInMs())} remain before the call's timeout`,
    );
  }
}
