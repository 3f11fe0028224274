import { AsyncLocalStorage } from "node:async_hooks";
import type { RequestOption } from "@microsoft/kiota-abstractions";
import type { CloudEnvironment } from "../clouds.js";
import type { GraphApiVersion } from "../constants.js";
import type { SdkLogger } from "../logger.js";
import type { Clock } from "../retry/clock.js";
import type { ResolvedRetryOptions } from "../retry/retryOptions.js";
import type { ResolvedTarget } from "../validation/validateTarget.js";

/** What the SDK remembers of one HTTP answer: enough to build an error when Kiota loses the status. */
export interface CapturedResponse {
  readonly status: number;
  readonly statusText: string;
  readonly headers: Headers;
  readonly body: string;
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
}

/** Why the deadline signal fired; distinguishes it from the caller's abort. */
export class DeadlineExceeded extends Error {
  override readonly name = "TimeoutError";
  constructor(readonly timeoutInMs: number) {
    super(`the call did not finish within ${timeoutInMs} ms`);
  }
}

/**
 * Everything one `acquireAccessToken` call needs below the public API: its signals and deadline,
 * retry settings, logger, the secrets to redact, and what happened so far (attempts, statuses, the
 * last answer).
 *
 * It travels two ways, because Kiota gives no single hook: as a Kiota request option (middlewares
 * receive request options, keyed by `getKey()`), and through an AsyncLocalStorage for the
 * credential, which Kiota's auth provider calls with options fixed at construction.
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
  /** The caller's signal, if any. */
  readonly callerSignal: AbortSignal | undefined;
  /** Fires when the call's overall time is up. */
  readonly deadlineSignal: AbortSignal;
  /** Fires on either of the above: everything the call waits for listens to it. */
  readonly signal: AbortSignal;
  readonly deadlineAt: number;

  /** HTTP attempts sent so far. */
  attempts = 0;
  /** The status of every answer, in order. */
  readonly statuses: number[] = [];
  lastResponse: CapturedResponse | undefined;

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
    this.callerSignal = init.abortSignal;
    this.deadlineAt = init.clock.now() + init.timeoutInMs;
    const deadline = new AbortController();
    this.deadlineTimer = setTimeout(() => deadline.abort(new DeadlineExceeded(init.timeoutInMs)), init.timeoutInMs);
    this.deadlineSignal = deadline.signal;
    this.signal = init.abortSignal ? AbortSignal.any([init.abortSignal, deadline.signal]) : deadline.signal;
  }

  getKey(): string {
    return CallContext.key;
  }

  /** Time left before the deadline, never negative. */
  remainingInMs(): number {
    return Math.max(0, this.deadlineAt - this.clock.now());
  }

  /** Stops the deadline timer; call when the call settles so the process can exit promptly. */
  dispose(): void {
    clearTimeout(this.deadlineTimer);
  }
}

/** The call in progress, for code Kiota calls without request options (the credential). */
export const callContextStorage = new AsyncLocalStorage<CallContext>();

/** The call context among a middleware's request options, if the request came from the SDK. */
export function getCallContext(requestOptions: Record<string, RequestOption> | undefined): CallContext | undefined {
  const option = requestOptions?.[CallContext.key];
  return option instanceof CallContext ? option : undefined;
}
