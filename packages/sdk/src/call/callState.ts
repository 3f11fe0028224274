import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { GraphAnswer } from "../failures/graphAnswers.js";
import type { CallIdentity, CallLimits, ClientSettings } from "./callInputs.js";

export type { CallIdentity, CallLimits, ClientSettings } from "./callInputs.js";

/** Why the call's signal fired when its time ran out; distinguishes it from the caller's abort. */
export class DeadlineExceeded extends Error {
  /** `TimeoutError`, the name `AbortSignal.timeout` gives its reason, so code that checks names treats it alike. */
  override readonly name = "TimeoutError";
  constructor(readonly timeoutInMs: number) {
    super(`the call did not finish within ${timeoutInMs} ms`);
  }
}

/** The key under which a call's state rides on its request (`requestOptions[CALL_STATE_KEY]`). */
export const CALL_STATE_KEY = "GraphSyncCallState";

/**
 * One `acquireAccessToken` call below the public API: its identity, its deadline (the one race
 * every wait goes through), and its outcome so far (attempts, statuses, Graph's request-id). The
 * client's settings come by reference.
 *
 * It rides on the request as a Kiota `RequestOption`, as Kiota's own handlers take their options:
 * the SDK passes it through the generated request builder (`post(body, { options: [state] })`) and
 * each middleware of the chain (call/pipeline.ts) reads it with {@link callStateOf}. Nothing
 * reaches back into the SDK through Kiota, and no ambient storage carries the call.
 *
 * Cancellation costs one AbortController and, mostly, one timer per call (see beginAttempt): the
 * deadline, the attempt's limit and the caller's signal all abort the call's controller, and
 * aborting calls the pending races' rejections directly, with no composite signals or listeners
 * in between (but for the composite `signal` when the caller passes one).
 */
export class CallState implements RequestOption {
  /** The call's time limits and the caller's signal. */
  readonly limits: CallLimits;
  /** When the call's time is up, on the settings' clock (epoch milliseconds for the system clock). */
  readonly deadlineAt: number;
  /** True once the call's overall time is up. */
  deadlineExceeded = false;
  /**
   * Fires on the caller's abort, the deadline, or an attempt's time limit (which ends the call):
   * everything the call waits for listens to it. Its reason is the caller's, a
   * {@link DeadlineExceeded} or a TimeoutError. With a caller's signal it is a composite that keeps
   * following that signal, as a signal handed to a credential should.
   */
  readonly signal: AbortSignal;

  /** HTTP attempts sent so far. */
  attempts = 0;
  /** The status of every answer, in order. */
  readonly statuses: number[] = [];
  /** Graph's `request-id` of the last answer. */
  requestId: string | undefined;
  /** Attempts whose connection was reset before any answer, and that were retried (see retryDecision.ts). */
  resetsRetried = 0;
  /** The last answer, as the attempt read it (status, headers, Graph's error envelope). */
  lastAnswer: GraphAnswer | undefined;
  /** When this call's own 429 closed the client's throttle gate: the moment its Retry-After ends. */
  notBefore = 0;
  /** True when the last answer closed the client's throttle gate (a 429 with a wait): the call then waits there. */
  closedGate = false;

  /** True once the current attempt's time limit fired (which ends the call). */
  attemptTimedOut = false;

  /** Aborted by the caller's signal, the deadline or an attempt's limit; the signal of every attempt's fetch. */
  private readonly controller = new AbortController();
  /** Rejections of the races in progress; calling one of a settled race does nothing. */
  private rejections: Array<(reason: unknown) => void> | undefined;
  /** The call's one timer, when it is due, the deadline and the attempt in flight's limit (Infinity between attempts), on performance.now's scale: timers run on real time. */
  private timer: ReturnType<typeof setTimeout>;
  private timerAt: number;
  private readonly deadlineRealAt: number;
  private attemptEndsAt = Number.POSITIVE_INFINITY;

  constructor(
    readonly settings: ClientSettings,
    readonly call: CallIdentity,
    limits: CallLimits,
  ) {
    this.limits = limits;
    this.deadlineAt = settings.clock.now() + limits.timeoutInMs;
    const now = performance.now();
    this.deadlineRealAt = now + limits.timeoutInMs;
    // No attempt can reach its limit before attemptTimeoutInMs from now (see beginAttempt).
    this.timerAt = Math.min(this.deadlineRealAt, now + limits.attemptTimeoutInMs);
    this.timer = setTimeout(onTimer, Math.ceil(this.timerAt - now), this);
    const callerSignal = limits.abortSignal;
    if (callerSignal) {
      this.signal = AbortSignal.any([callerSignal, this.controller.signal]);
      // For the races and the attempt in flight, which the SDK aborts itself; removed by dispose().
      if (callerSignal.aborted) this.abort(callerSignal.reason);
      else callerSignal.addEventListener("abort", this, { once: true });
    } else {
      this.signal = this.controller.signal;
    }
  }

  /** The key of this option on a request. */
  getKey(): string {
    return CALL_STATE_KEY;
  }

  /** The caller's signal, if any. */
  get callerSignal(): AbortSignal | undefined {
    return this.limits.abortSignal;
  }

  /**
   * Waits for `promise` (the token, an attempt's answer or body), but no longer than the call or
   * the attempt may last: it rejects with the abort reason as soon as either ends, even if the work
   * (a caller's credential or `fetch`, which may ignore its signal) goes on in the background.
   */
  race<T>(promise: Promise<T>): Promise<T> {
    if (this.controller.signal.aborted) {
      promise.catch(ignore);
      return Promise.reject(this.controller.signal.reason);
    }
    return new Promise<T>((resolve, reject) => {
      (this.rejections ??= []).push(reject);
      promise.then(resolve, reject);
    });
  }

  /**
   * Starts an attempt: arms its time limit, and returns it, to pass to {@link endAttempt}.
   *
   * An attempt that runs out of time ends the call: the request may have reached Graph, so it is
   * never retried (see AttemptFailure). The attempt's limit therefore aborts the call's own
   * controller (and sets `attemptTimedOut`) rather than needing a controller of its own.
   *
   * The call's one timer is never due later than the attempt's limit: set at the call's start for
   * the earlier of the deadline and `attemptTimeoutInMs`, it is set again here only if moved to the
   * deadline between attempts, and when it fires before what is due, it is set again for that.
   */
  beginAttempt(): number {
    this.attemptTimedOut = false;
    const now = performance.now();
    this.attemptEndsAt = now + this.limits.attemptTimeoutInMs;
    if (this.timerAt > this.attemptEndsAt) this.setTimer(now, this.attemptEndsAt);
    return this.attemptEndsAt;
  }

  /** Ends the attempt that {@link CallState.beginAttempt} started, once it has its answer or failure. */
  endAttempt(attemptEndsAt: number): void {
    if (this.attemptEndsAt === attemptEndsAt) this.attemptEndsAt = Number.POSITIVE_INFINITY;
  }

  /** @internal the call's timer fired: the deadline or the attempt's limit, if due, else set again for the next. */
  onTimerFired(): void {
    if (this.controller.signal.aborted) return;
    // What the timer was set for is due now (a timer never fires early on the loop's clock).
    if (this.deadlineRealAt <= this.timerAt) return this.exceedDeadline();
    if (this.attemptEndsAt <= this.timerAt) return this.timeOutAttempt();
    this.setTimer(performance.now(), Math.min(this.deadlineRealAt, this.attemptEndsAt));
  }

  private setTimer(now: number, at: number): void {
    clearTimeout(this.timer);
    this.timerAt = at;
    this.timer = setTimeout(onTimer, Math.max(1, Math.ceil(at - now)), this);
  }

  /** The signal an attempt's `fetch` gets: the caller's abort, the deadline or the attempt's limit. */
  get attemptSignal(): AbortSignal {
    return this.controller.signal;
  }

  /** Time left before the deadline, never negative. */
  remainingInMs(): number {
    return Math.max(0, this.deadlineAt - this.settings.clock.now());
  }

  /** The caller's signal fired (this object is its listener: no closure per call). */
  handleEvent(): void {
    this.abort(this.callerSignal?.reason);
  }

  /** Aborts the signal and every race in progress with `reason`. Later calls do nothing. */
  private abort(reason: unknown): void {
    if (this.controller.signal.aborted) return;
    this.controller.abort(reason);
    const rejections = this.rejections;
    this.rejections = undefined;
    if (rejections) for (const reject of rejections) reject(reason);
  }

  /** @internal the deadline timer fired */
  exceedDeadline(): void {
    if (this.controller.signal.aborted) return;
    this.deadlineExceeded = true;
    this.abort(new DeadlineExceeded(this.limits.timeoutInMs));
  }

  /** @internal the attempt's timer fired */
  timeOutAttempt(): void {
    if (this.controller.signal.aborted) return;
    this.attemptTimedOut = true;
    this.abort(new DOMException(`no answer within ${this.limits.attemptTimeoutInMs} ms`, "TimeoutError"));
  }

  /** Stops the deadline timer and the abort listener; call when the call settles so the process can exit promptly. */
  dispose(): void {
    clearTimeout(this.timer);
    this.callerSignal?.removeEventListener("abort", this);
  }
}

function onTimer(context: CallState): void {
  context.onTimerFired();
}

function ignore(): void {
  /* the work's own outcome no longer matters once the call is aborted */
}

/** The state by request options: read once through Kiota's case-insensitive Proxy (slow), weakly held. */
const statesByOptions = new WeakMap<object, CallState>();

/** The call's state on a request, as a middleware gets the request's options; undefined for a request made outside a call. */
export function callStateOf(requestOptions: Record<string, RequestOption> | undefined): CallState | undefined {
  if (!requestOptions) return undefined;
  const known = statesByOptions.get(requestOptions);
  if (known) return known;
  const option = requestOptions[CALL_STATE_KEY];
  if (!(option instanceof CallState)) return undefined;
  statesByOptions.set(requestOptions, option);
  return option;
}
