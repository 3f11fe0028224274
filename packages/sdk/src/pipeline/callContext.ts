import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { CloudEnvironment } from "../clouds.js";
import type { GraphApiVersion } from "../constants.js";
import type { SdkLogger } from "../logger.js";
import type { Clock } from "../retry/clock.js";
import type { ResolvedRetryOptions } from "../retry/retryOptions.js";
import type { ResolvedTarget } from "../validation/validateTarget.js";
import { AbortScope } from "./abortScope.js";
import type { CallTelemetry } from "./telemetry.js";

/** What the SDK remembers of one HTTP answer: enough to build an error when Kiota loses the status. */
export interface CapturedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  /** When an error body was longer than the SDK reads, the byte limit at which it was cut off. */
  readonly bodyCutAtBytes: number | undefined;
}

export interface CallContextInit {
  readonly target: ResolvedTarget;
  readonly clientRequestId: string;
  readonly secrets: readonly string[];
  readonly cloud: CloudEnvironment;
  readonly apiVersion: GraphApiVersion;
  readonly scope: string;
  readonly graphUrl: string;
  readonly retry: ResolvedRetryOptions;
  readonly attemptTimeoutInMs: number;
  readonly timeoutInMs: number;
  readonly clock: Clock;
  readonly logger: SdkLogger;
  readonly abortSignal: AbortSignal | undefined;
  /** The call's spans and metrics (OpenTelemetry; no-ops when no SDK is registered). */
  readonly telemetry: CallTelemetry;
}

/** Why the call's signal fired when its time ran out; distinguishes it from the caller's abort. */
export class DeadlineExceeded extends Error {
  override readonly name = "TimeoutError";
  constructor(readonly timeoutInMs: number) {
    super(`the call did not finish within ${timeoutInMs} ms`);
  }
}

/**
 * Everything one `acquireAccessToken` call needs below the public API: its signal and deadline,
 * retry settings, logger, the secrets to redact, and what happened so far (attempts, statuses, the
 * last answer).
 *
 * It travels two ways, because Kiota gives no single hook: as a Kiota request option (middlewares
 * receive request options, keyed by `getKey()`), and through an AsyncLocalStorage for the
 * credential, which Kiota's auth provider calls with options fixed at construction.
 *
 * Cancellation costs one AbortController per call, and a timer per call and per attempt: the
 * deadline timer, the attempt's timer and the caller's signal all abort the call's scope, with no
 * composite signals or listeners in between (but for the composite `signal` when the caller
 * passes one).
 */
export class CallContext implements RequestOption {
  static readonly key = "GraphSyncCallContext";

  readonly target: ResolvedTarget;
  readonly clientRequestId: string;
  readonly secrets: readonly string[];
  readonly cloud: CloudEnvironment;
  readonly apiVersion: GraphApiVersion;
  readonly scope: string;
  readonly graphUrl: string;
  readonly retry: ResolvedRetryOptions;
  readonly attemptTimeoutInMs: number;
  readonly timeoutInMs: number;
  readonly clock: Clock;
  readonly logger: SdkLogger;
  readonly telemetry: CallTelemetry;
  /** The caller's signal, if any. */
  readonly callerSignal: AbortSignal | undefined;
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
  lastResponse: CapturedResponse | undefined;
  /** Attempts whose connection was reset before any answer, and that were retried (see AttemptFailure). */
  resetsRetried = 0;

  /** True once the current attempt's time limit fired (which ends the call). */
  attemptTimedOut = false;

  private readonly callScope = new AbortScope();
  private readonly deadlineTimer: ReturnType<typeof setTimeout>;

  constructor(init: CallContextInit) {
    this.target = init.target;
    this.clientRequestId = init.clientRequestId;
    this.secrets = init.secrets;
    this.cloud = init.cloud;
    this.apiVersion = init.apiVersion;
    this.scope = init.scope;
    this.graphUrl = init.graphUrl;
    this.retry = init.retry;
    this.attemptTimeoutInMs = init.attemptTimeoutInMs;
    this.timeoutInMs = init.timeoutInMs;
    this.clock = init.clock;
    this.logger = init.logger;
    this.telemetry = init.telemetry;
    this.callerSignal = init.abortSignal;
    this.deadlineAt = init.clock.now() + init.timeoutInMs;
    this.deadlineTimer = setTimeout(onDeadline, init.timeoutInMs, this);
    if (this.callerSignal) {
      this.signal = AbortSignal.any([this.callerSignal, this.callScope.signal]);
      // For the races and the attempt in flight, which the SDK aborts itself; removed by dispose().
      if (this.callerSignal.aborted) this.abort(this.callerSignal.reason);
      else this.callerSignal.addEventListener("abort", this, { once: true });
    } else {
      this.signal = this.callScope.signal;
    }
  }

  getKey(): string {
    return CallContext.key;
  }

  /** Waits for `promise` (the token, an attempt's answer or body), but no longer than the call or the attempt may last. */
  race<T>(promise: Promise<T>): Promise<T> {
    return this.callScope.race(promise);
  }

  /**
   * Starts an attempt: arms its time limit, and returns the timer to pass to {@link endAttempt}.
   *
   * An attempt that runs out of time ends the call: the request may have reached Graph, so it is
   * never retried (see AttemptFailure). The attempt's limit therefore aborts the call's own scope
   * (and sets `attemptTimedOut`) rather than needing a controller of its own.
   */
  beginAttempt(): ReturnType<typeof setTimeout> {
    this.attemptTimedOut = false;
    return setTimeout(onAttemptTimeout, this.attemptTimeoutInMs, this);
  }

  endAttempt(timer: ReturnType<typeof setTimeout>): void {
    clearTimeout(timer);
  }

  /** The signal an attempt's `fetch` gets: the caller's abort, the deadline or the attempt's limit. */
  get attemptSignal(): AbortSignal {
    return this.callScope.signal;
  }

  /** Time left before the deadline, never negative. */
  remainingInMs(): number {
    return Math.max(0, this.deadlineAt - this.clock.now());
  }

  /** The caller's signal fired (this object is its listener: no closure per call). */
  handleEvent(): void {
    this.abort(this.callerSignal?.reason);
  }

  private abort(reason: unknown): void {
    this.callScope.abort(reason);
  }

  /** @internal the deadline timer fired */
  exceedDeadline(): void {
    if (this.callScope.aborted) return;
    this.deadlineExceeded = true;
    this.abort(new DeadlineExceeded(this.timeoutInMs));
  }

  /** @internal the attempt's timer fired */
  timeOutAttempt(): void {
    if (this.callScope.aborted) return;
    this.attemptTimedOut = true;
    this.abort(new DOMException(`no answer within ${this.attemptTimeoutInMs} ms`, "TimeoutError"));
  }

  /** Stops the deadline timer and the abort listener; call when the call settles so the process can exit promptly. */
  dispose(): void {
    clearTimeout(this.deadlineTimer);
    this.callerSignal?.removeEventListener("abort", this);
  }
}

function onDeadline(context: CallContext): void {
  context.exceedDeadline();
}

function onAttemptTimeout(context: CallContext): void {
  context.timeOutAttempt();
}

/** The call in progress, for code Kiota calls without request options (the credential). */
export const callContextStorage = new AsyncLocalStorage<CallContext>();

/** The call context among a middleware's request options, if the request came from the SDK. */
export function getCallContext(requestOptions: Record<string, RequestOption> | undefined): CallContext | undefined {
  const option = requestOptions?.[CallContext.key];
  return option instanceof CallContext ? option : undefined;
}
