import { collectSecretsToRedact } from "./auth/credentialSecrets.js";
import { assertActionAvailable, getCloud, resolveGraphEndpoint } from "./clouds.js";
import { DEFAULT_ATTEMPT_TIMEOUT_IN_MS, DEFAULT_TIMEOUT_IN_MS } from "./constants.js";
import { GraphSyncError, isGraphSyncError } from "./errors/graphSyncError.js";
import type { CreateSyncClientOptions, SyncClient } from "./models.js";
import { systemClock, type Clock } from "./retry/clock.js";
import { resolveRetryOptions } from "./retry/retryPolicy.js";
import { ThrottleGate } from "./retry/throttleGate.js";
import { SyncClientImpl } from "./syncClient.js";
import { validateDuration } from "./validation/validateOptions.js";

/**
 * Creates a client for Microsoft Graph's synchronization: acquireAccessToken.
 *
 * Fails fast, before any request, on options that cannot work: an unknown cloud, the China cloud
 * (the action does not exist there), an invalid or insecure `baseUrl`, bad timeouts or retry
 * settings, or a missing credential.
 *
 * @example
 * ```ts
 * const client = createSyncClient({ credential: new ClientSecretCredential(tenantId, clientId, secret) });
 * await client.acquireAccessToken({ servicePrincipalId }, { Oauth2AuthorizationCode: code, Oauth2RedirectUri: redirectUri });
 * ```
 */
export function createSyncClient(options: CreateSyncClientOptions): SyncClient {
  return createSyncClientWithClock(options, systemClock);
}

/** For tests: the same client with an injected clock, so retry waits are instant and observable. */
export function createSyncClientWithClock(options: CreateSyncClientOptions, clock: Clock): SyncClient {
  try {
    return buildSyncClient(options, clock);
  } catch (error) {
    if (isGraphSyncError(error)) throw error;
    // Building a client only reads and checks options: anything else thrown came from reading them.
    throw new GraphSyncError(
      "createSyncClient could not read its options: reading one of them threw (a getter or a Proxy?); pass plain data.",
      { kind: "configuration", code: "UnreadableOptions", cause: error },
    );
  }
}

function buildSyncClient(options: CreateSyncClientOptions, clock: Clock): SyncClient {
  if (typeof options?.credential?.getToken !== "function") {
    throw new GraphSyncError(
      "createSyncClient needs a credential: any TokenCredential, for example ClientSecretCredential from @azure/identity, or await createCredentialFromEnvironment().",
      { kind: "configuration", code: "MissingCredential" },
    );
  }
  const cloud = getCloud(options.cloud ?? "global");
  assertActionAvailable(cloud);
  const endpoint = resolveGraphEndpoint(cloud, options.apiVersion, options.baseUrl);
  const retry = resolveRetryOptions(options.retry);
  const attemptTimeoutInMs = validateDuration("attemptTimeoutInMs", options.attemptTimeoutInMs, "configuration") ?? DEFAULT_ATTEMPT_TIMEOUT_IN_MS;
  const timeoutInMs = validateDuration("timeoutInMs", options.timeoutInMs, "configuration") ?? DEFAULT_TIMEOUT_IN_MS;
  if (options.fetch !== undefined && typeof options.fetch !== "function") {
    throw new GraphSyncError("fetch must be a function with the signature of the global fetch.", {
      kind: "configuration",
      code: "InvalidFetch",
    });
  }
  const secrets = collectSecretsToRedact(options.credential, options.secretsToRedact);
  return new SyncClientImpl({
    // Built on the first call: importing the SDK, or creating a client, does not load Kiota.
    generatedClientOptions: {
      credential: options.credential,
      scope: cloud.scope,
      graphUrl: endpoint.graphUrl,
      allowedHosts: new Set([endpoint.allowedHost]),
      fetch: options.fetch,
      // One per client, so per app and tenant: Graph throttles the app, not the call.
      throttleGate: new ThrottleGate(clock),
    },
    cloud,
    apiVersion: endpoint.apiVersion,
    graphUrl: endpoint.graphUrl,
    retry,
    attemptTimeoutInMs,
    timeoutInMs,
    logger: options.logger,
    secrets,
    clock,
  });
}
