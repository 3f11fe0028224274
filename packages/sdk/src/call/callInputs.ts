// What a call's state (callState.ts) is made from: the client's settings, shared by reference by
// all its calls; who the call is; and its limits. Types only: no code of this file runs.
import type { CloudEnvironment } from "../clouds.js";
import type { GraphApiVersion } from "../constants.js";
import type { SdkLogger, SyncLogger } from "../logger.js";
import type { Clock, ResolvedRetryOptions } from "../retry/retryDecision.js";
import type { ResolvedTarget } from "../validation/validateTarget.js";
import type { CallTelemetry } from "./telemetry.js";

/**
 * What every call of one client shares, resolved once by createSyncClient. A call holds it by
 * reference: nothing of it is copied per call.
 */
export interface ClientSettings {
  /** The client's cloud: its Graph (unless a baseUrl was given) and its name in messages. */
  readonly cloud: CloudEnvironment;
  /** The version in `graphUrl`. */
  readonly apiVersion: GraphApiVersion;
  /** The versioned Graph URL, for example `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string;
  /** When throttled and unavailable answers are retried, defaults filled in. */
  readonly retry: ResolvedRetryOptions;
  /** The client's limit on one HTTP attempt, in milliseconds; a call's options may override it. */
  readonly attemptTimeoutInMs: number;
  /** The client's limit on a whole call, retries and waits included, in milliseconds; a call's options may override it. */
  readonly timeoutInMs: number;
  /** The caller's logger; undefined for the default (warnings to stderr). */
  readonly logger: SyncLogger | undefined;
  /** Redacted from every error and log line of this client (see CreateSyncClientOptions.secretsToRedact). */
  readonly secrets: readonly string[];
  /** Time, randomness and waits: the system's, or a test's fake. */
  readonly clock: Clock;
}

/** Who one call is: what it addresses, how it is known to Graph, what it must never print, where it reports. */
export interface CallIdentity {
  /** The service principal or application the credentials are stored with. */
  readonly target: ResolvedTarget;
  /** Sent as `client-request-id` on every attempt. */
  readonly clientRequestId: string;
  /** The client's secrets and this call's credential values: redacted from its errors and log lines. */
  readonly secrets: readonly string[];
  /** This call's logger: prefixes and redacts its lines. */
  readonly logger: SdkLogger;
  /** The call's spans and metrics (OpenTelemetry; no-ops when no SDK is registered). */
  readonly telemetry: CallTelemetry;
}

/** One call's time limits and the caller's signal, after the call's options override the client's. */
export interface CallLimits {
  /** The whole call's limit, retries and waits included, in milliseconds. */
  readonly timeoutInMs: number;
  /** One HTTP attempt's limit, in milliseconds. */
  readonly attemptTimeoutInMs: number;
  /** The caller's signal; undefined when the caller gave none. */
  readonly abortSignal: AbortSignal | undefined;
}
