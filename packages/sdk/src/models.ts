// The SDK's public types (besides the errors', the clouds', the logger's and the credentials',
// which live with their code): what createSyncClient and acquireAccessToken take and return.
import type { TokenCredential } from "@azure/core-auth";
import type { CloudName } from "./clouds.js";
import type { GraphApiVersion } from "./constants.js";
import type { SyncLogger } from "./logger.js";
import type { AcquireAccessTokenCredentials, SyncTarget } from "./validation/credentialTypes.js";

/** How the SDK retries throttled (429) and unavailable (503, 504) answers. */
export interface RetryOptions {
  /** Retries after the first attempt. Default 3, at most 10; 0 turns retries off. */
  maxRetries?: number;
  /** The first backoff wait when Graph gives no `Retry-After`. Default 800 ms; doubles each time. */
  initialDelayInMs?: number;
  /** The longest backoff wait. Default 60 000 ms. A `Retry-After` is honoured as sent (see README). */
  maxDelayInMs?: number;
}

/** A `fetch` implementation, for proxies, instrumentation or tests. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

/** Options of {@link createSyncClient}. */
export interface CreateSyncClientOptions {
  /**
   * Gets app-only (or delegated) tokens for Microsoft Graph: any `TokenCredential`, for example
   * `ClientSecretCredential` from `@azure/identity` or the one `createCredentialFromEnvironment`
   * builds.
   */
  credential: TokenCredential;
  /** The Microsoft cloud of your tenant. Default `global`. The action is not available in `china`. */
  cloud?: CloudName;
  /** Graph API version. Default `v1.0`. On `beta` Graph marks the action deprecated (see the README, "Beta and the deprecation"). */
  apiVersion?: GraphApiVersion;
  /**
   * Sends requests to this Graph root instead of the cloud's (an emulator or a proxy), for example
   * `http://127.0.0.1:8080`; the version is appended unless the URL already ends with `/v1.0` or
   * `/beta`. Only this URL's host receives the token. Plain `http` is accepted for loopback hosts only.
   */
  baseUrl?: string;
  /** Retry of throttled (429) and unavailable (503, 504) answers. */
  retry?: RetryOptions;
  /** Time limit of one HTTP attempt. Default 30 000 ms. */
  attemptTimeoutInMs?: number;
  /** Time limit of a whole call, retries and waits included. Default 120 000 ms. */
  timeoutInMs?: number;
  /** The `fetch` to send requests with. Default: the SDK's keep-alive transport over undici (see README). */
  fetch?: FetchLike;
  /** Where to report retries, attempts and Graph's deprecation notices. Default: warnings to stderr. */
  logger?: SyncLogger;
  /**
   * Values that must never appear in errors or log lines, besides each call's credential values
   * (which are always redacted): typically your credential's client secret, which a token
   * endpoint may echo back in its error. `@azure/identity`'s ClientSecretCredential and
   * `createCredentialFromEnvironment` need nothing here: the SDK captures their secret itself.
   * At most 64 strings.
   */
  secretsToRedact?: readonly string[];
}

/** Options of one {@link SyncClient.acquireAccessToken} call. */
export interface AcquireAccessTokenOptions {
  /** Cancels the call: the token request, an attempt in flight, or a wait between retries. */
  abortSignal?: AbortSignal;
  /** Time limit of this call, retries and waits included; overrides the client's `timeoutInMs`. */
  timeoutInMs?: number;
  /** Time limit of each HTTP attempt; overrides the client's `attemptTimeoutInMs`. */
  attemptTimeoutInMs?: number;
  /**
   * Sent as `client-request-id` (the same on every attempt) and echoed by Graph: correlate it
   * with your logs. Default: a new random UUID.
   */
  clientRequestId?: string;
}

/** What a successful call returns. Graph answers 204 No Content, so there is no payload. */
export interface AcquireAccessTokenResult {
  /** The `client-request-id` sent. */
  clientRequestId: string;
  /** Graph's `request-id` for the successful attempt. */
  requestId: string | undefined;
  /** HTTP attempts made (more than 1 after retries). */
  attempts: number;
}

/** A client for Microsoft Graph's synchronization: acquireAccessToken. Create it with {@link createSyncClient}. */
export interface SyncClient {
  /** The cloud the client was created for (`cloud` option, default `global`); its Graph is called unless a baseUrl was given. */
  readonly cloud: CloudName;
  /** The Graph API version every call uses: the one ending the baseUrl, else the `apiVersion` option, else `v1.0`. */
  readonly apiVersion: GraphApiVersion;
  /** The versioned Graph URL requests go to, for example `https://graph.microsoft.com/v1.0`. */
  readonly graphUrl: string;
  /**
   * Hands OAuth credentials (typically an authorization code from the target application, plus its
   * redirect URI) to the Microsoft Entra provisioning service, which exchanges them for tokens and
   * stores them with the synchronization secrets of `target`. Resolves when Graph answers 204.
   *
   * Input is validated before anything is sent. Throttled and unavailable answers are retried;
   * a request that may already have run is not (see the README). Every failure is a GraphSyncError.
   */
  acquireAccessToken(
    target: SyncTarget,
    credentials: AcquireAccessTokenCredentials,
    options?: AcquireAccessTokenOptions,
  ): Promise<AcquireAccessTokenResult>;
}
