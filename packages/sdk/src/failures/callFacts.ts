import type { CloudEnvironment } from "../clouds.js";
import type { Clock } from "../retry/retryDecision.js";
import type { ResolvedTarget } from "../validation/validateTarget.js";

// Facts the failure builders (this folder) word their errors from, and the retry decision rests
// on: what is known of a call, and what a transport knows of a connection that failed (put on its
// error under TRANSPORT_FACTS, in constants.ts). Types only, so the call path can carry them
// without loading the builders, which load when something fails.

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

/** What a transport knows of a connection that failed, as a fact rather than a guess from an error's text. */
export interface TransportFacts {
  /** The request had been written to the connection (undici's `onRequestSent`). */
  written: boolean;
  /** The peer closed the connection in order (a FIN: undici's "other side closed") rather than resetting it. */
  peerClosed: boolean;
}
