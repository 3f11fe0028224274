import type { CloudEnvironment } from "../clouds.js";
import type { Clock } from "../retry/clock.js";
import type { ResolvedTarget } from "../validation/validateTarget.js";

/**
 * What the failure builders read of a call: who it is, what it must never print, what happened so
 * far. The call's state (call/callState.ts) has this shape; a type only, so the builders sit below
 * the call path and import nothing of it.
 */
export interface CallFacts {
  /** The client's settings a message needs. */
  readonly settings: {
    readonly cloud: CloudEnvironment;
    /** The versioned Graph URL, for example `https://graph.microsoft.com/v1.0`. */
    readonly graphUrl: string;
    /** Reads Retry-After dates against its `now`. */
    readonly clock: Clock;
  };
  /** Who the call is. */
  readonly call: {
    /** What the call addresses, named in messages. */
    readonly target: ResolvedTarget;
    /** Put on every error of the call. */
    readonly clientRequestId: string;
    /** Redacted from every error built for the call. */
    readonly secrets: readonly string[];
  };
  /** The call's time limits in milliseconds, named in timeout messages. */
  readonly limits: { readonly timeoutInMs: number; readonly attemptTimeoutInMs: number };
  /** HTTP attempts sent so far. */
  readonly attempts: number;
  /** The status of every answer, in order. */
  readonly statuses: readonly number[];
  /** Attempts whose connection was reset before any answer, and that were retried. */
  readonly resetsRetried: number;
  /** The caller's abort signal, if any: once it has fired, a failure is reported as `aborted`. */
  readonly callerSignal: AbortSignal | undefined;
  /** True once the call's overall time is up. */
  readonly deadlineExceeded: boolean;
}
