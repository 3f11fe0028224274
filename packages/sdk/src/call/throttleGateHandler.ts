import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { Middleware } from "@microsoft/kiota-http-fetchlibrary";
import { HeaderNames } from "../constants.js";
import { formatSeconds, parseRetryAfter } from "../retry/retryDecision.js";
import type { GateOutcome, ThrottleGate } from "../retry/throttleGate.js";
import { callStateOf, type CallState } from "./callState.js";

const answered: GateOutcome = { kind: "answered" };
const noAnswer: GateOutcome = { kind: "noAnswer" };

/**
 * The throttle gate, as a link of the chain below the retry: every attempt passes the client's
 * ThrottleGate first, and tells it how it ended. A 429 with `Retry-After` closes the gate and holds
 * back all calls of the client until then; they resume gradually (see ThrottleGate). 503 and 504
 * are about Graph's health, not this app's usage: they do not close it.
 *
 * The call whose 429 closed the gate waits here, with the others, for its own Retry-After
 * (`state.notBefore`, set by the retry), rather than sleeping on its own: one wait, one reopening.
 */
export class ThrottleGateHandler implements Middleware {
  /** The next link of the chain. */
  next: Middleware | undefined;

  constructor(
    /** Shared by every call of the client. */
    private readonly gate: ThrottleGate,
  ) {}

  /** Waits to be admitted, sends the attempt, and tells the gate how it ended. */
  async execute(url: string, requestInit: RequestInit, requestOptions?: Record<string, RequestOption>): Promise<Response> {
    const next = this.next as Middleware;
    const state = callStateOf(requestOptions);
    if (!state) return next.execute(url, requestInit, requestOptions);
    state.closedGate = false;
    // The gate open and no wait of its own (every call but a throttled one): admitted at once,
    // without the turn of the microtask queue an awaited async admit() costs.
    const admitted = state.notBefore === 0 ? this.gate.admit(state.signal, 0) : undefined;
    const epoch = typeof admitted === "number" ? admitted : await this.admit(state, admitted);
    let response: Response;
    try {
      response = await next.execute(url, requestInit, requestOptions);
    } catch (error) {
      this.gate.release(epoch, noAnswer);
      throw error;
    }
    const retryAfterInMs = response.status === 429 ? parseRetryAfter(response.headers.get(HeaderNames.retryAfter), state.settings.clock.now()) : undefined;
    state.closedGate = retryAfterInMs !== undefined && retryAfterInMs > 0;
    this.gate.release(epoch, state.closedGate && retryAfterInMs !== undefined ? { kind: "throttled", retryAfterInMs } : answered);
    return response;
  }

  /** How long the gate stays closed anyway (another call's 429): the least wait before the next attempt. */
  closedForInMs(): number {
    return this.gate.closedForInMs();
  }

  /**
   * Waits until the gate admits this attempt; its epoch is handed back on release. `pending` is
   * the gate's answer when execute already asked it (with no wait of the call's own).
   */
  private async admit(state: CallState, pending?: Promise<number>): Promise<number> {
    const notBefore = state.notBefore;
    state.notBefore = 0;
    const { clock } = state.settings;
    const startedAt = clock.now();
    try {
      const admitted = pending ?? this.gate.admit(state.signal, notBefore);
      if (typeof admitted === "number") return admitted;
      if (notBefore === 0) this.logWait(state);
      return await admitted;
    } catch (error) {
      throw (await import("../failures/noAnswer.js")).abortedBetweenAttempts(error, state);
    } finally {
      // Waiting for its own Retry-After: measured as such (a wait for another call's is not).
      if (notBefore > 0) state.call.telemetry.retryAfterWaited(clock.now() - startedAt);
    }
  }

  private logWait(state: CallState): void {
    const { logger, clientRequestId } = state.call;
    const closedForInMs = this.gate.closedForInMs();
    if (closedForInMs <= 0) return;
    if (this.gate.closedByThrottling()) {
      logger.info(
        `the client is throttled (Graph answered 429 with Retry-After to one of its calls): waiting ${formatSeconds(closedForInMs)} before sending (client-request-id ${clientRequestId})`,
      );
    } else if (logger.verboseEnabled) {
      logger.verbose(`keeping to the limit Graph showed: waiting ${formatSeconds(closedForInMs)} for its next window before sending (client-request-id ${clientRequestId})`);
    }
  }
}
