import type { GraphSyncClient } from "@graph-sync/client";
import { collectSecretsToRedact } from "./auth/credentials.js";
import type { ClientSettings } from "./call/callState.js";
import type { GeneratedClientOptions } from "./call/pipeline.js";
import { assertActionAvailable, getCloud, resolveGraphEndpoint } from "./clouds.js";
import { DEFAULT_ATTEMPT_TIMEOUT_IN_MS, DEFAULT_TIMEOUT_IN_MS } from "./constants.js";
import { GraphSyncError, isGraphSyncError } from "./errors/graphSyncError.js";
import { createSdkLogger } from "./logger.js";
import type { AcquireAccessTokenOptions, AcquireAccessTokenResult, CreateSyncClientOptions, SyncClient } from "./models.js";
import { resolveRetryOptions, systemClock, type Clock } from "./retry/retryDecision.js";
import { ThrottleGate } from "./retry/throttleGate.js";
import { readCallOptions, validateDuration } from "./validation/callerInput.js";
import type { AcquireAccessTokenCredentials, SyncTarget } from "./validation/credentialTypes.js";
import { validateTogether } from "./validation/messages.js";
import { validateCredentials } from "./validation/validateCredentials.js";
import { validateTarget } from "./validation/validateTarget.js";

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

/** Everything a SyncClientImpl is built with: the settings its calls share, and the generated client's. */
export interface SyncClientSettings extends ClientSettings {
  /** What the generated client is built with, on the first call. */
  readonly generatedClientOptions: GeneratedClientOptions;
}

type PipelineModule = typeof import("./call/pipeline.js");

type RequestBuilders = Pick<GraphSyncClient, "servicePrincipals" | "applications">;

/**
 * The Kiota stack (abstractions, fetch adapter, JSON serialization, undici,
 * OpenTelemetry API, the SDK's telemetry) and the generated client take longer to import than all of the SDK's own
 * code: they are loaded once, by the first call of any client, so that importing the SDK stays
 * cheap for code that only needs its types, errors or validation, or never makes a call.
 */
let pipelineModule: Promise<PipelineModule> | undefined;

function loadPipeline(): Promise<PipelineModule> {
  pipelineModule ??= import("./call/pipeline.js").catch((error: unknown) => {
    pipelineModule = undefined;
    throw error;
  });
  return pipelineModule;
}

/** The SyncClient behind {@link createSyncClient}: validate, call the generated client, map failures. */
export class SyncClientImpl implements SyncClient {
  readonly cloud;
  readonly apiVersion;
  readonly graphUrl;
  /** The generated client's two entry points, kept: request builders are immutable. */
  private builders: RequestBuilders | undefined;
  /** The loaded pipeline module (Kiota, the generated client, telemetry), set with `builders`. */
  private pipeline: PipelineModule | undefined;

  constructor(private readonly settings: SyncClientSettings) {
    this.cloud = settings.cloud.name;
    this.apiVersion = settings.apiVersion;
    this.graphUrl = settings.graphUrl;
  }

  async acquireAccessToken(
    target: SyncTarget,
    credentials: AcquireAccessTokenCredentials,
    callerOptions: AcquireAccessTokenOptions = {},
  ): Promise<AcquireAccessTokenResult> {
    const [resolvedTarget, entries] = await validateTogether(() => validateTarget(target), () => validateCredentials(credentials));
    const options = readCallOptions(callerOptions);
    // The Web Crypto global rather than node:crypto, whose import alone costs milliseconds.
    const clientRequestId = options.clientRequestId ?? crypto.randomUUID();
    const timeoutInMs = validateDuration("options.timeoutInMs", options.timeoutInMs) ?? this.settings.timeoutInMs;
    const attemptTimeoutInMs =
      validateDuration("options.attemptTimeoutInMs", options.attemptTimeoutInMs) ?? this.settings.attemptTimeoutInMs;
    const builders = this.builders ?? (await this.createGeneratedClient());
    const secrets = [...this.settings.secrets, ...entries.map(({ value }) => value)];
    // Calls refused by validation above are not traced: nothing was sent, and the pipeline (with
    // OpenTelemetry) may not even be loaded yet.
    const pipeline = this.pipeline as PipelineModule;
    const telemetry = new pipeline.CallTelemetry({
      target: resolvedTarget,
      apiVersion: this.settings.apiVersion,
      cloud: this.settings.cloud.name,
      graphUrl: this.settings.graphUrl,
      clientRequestId,
      secrets,
    });
    if (options.abortSignal?.aborted) {
      const error = (await import("./failures/noAnswer.js")).abortedBeforeSending(clientRequestId, options.abortSignal.reason, secrets);
      telemetry.fail(error);
      throw error;
    }

    const action =
      resolvedTarget.kind === "servicePrincipal"
        ? builders.servicePrincipals.byServicePrincipalId(resolvedTarget.id).synchronization.acquireAccessToken
        : builders.applications.byApplicationId(resolvedTarget.id).synchronization.acquireAccessToken;
    // From here on a timer runs: nothing may throw before the try below disposes of it.
    const state = new pipeline.CallState(
      this.settings,
      { target: resolvedTarget, clientRequestId, secrets, logger: createSdkLogger(this.settings.logger, secrets), telemetry },
      { timeoutInMs, attemptTimeoutInMs, abortSignal: options.abortSignal },
    );
    try {
      // The call's state rides on the request as a Kiota RequestOption: each link of the chain
      // (call/pipeline.ts) reads it there. validateCredentials returns fresh { key, value } objects
      // in the caller's order.
      await telemetry.runKiota(() => action.post({ credentials: entries }, { options: [state] }));
      const { attempts, requestId } = state;
      if (state.call.logger.verboseEnabled) {
        state.call.logger.verbose(
          `acquireAccessToken for ${resolvedTarget.kind} ${resolvedTarget.id} succeeded after ${attempts} attempt(s) (request-id ${requestId ?? "none"})`,
        );
      }
      telemetry.succeed(attempts);
      return { clientRequestId, requestId, attempts };
    } catch (error) {
      const failure = (await import("./failures/noAnswer.js")).toGraphSyncError(error, state);
      telemetry.fail(failure);
      throw failure;
    } finally {
      state.dispose();
    }
  }

  /** The generated client over the SDK's Kiota stack, built (and Kiota loaded) on the first call. */
  private async createGeneratedClient(): Promise<RequestBuilders> {
    let pipeline: PipelineModule;
    try {
      pipeline = await loadPipeline();
    } catch (error) {
      throw new GraphSyncError(
        `The SDK could not load its HTTP stack (@microsoft/kiota-*, @graph-sync/client): ${error instanceof Error ? error.message : String(error)}. Reinstall the package's dependencies.`,
        { kind: "unexpected", code: "Unexpected", cause: error },
      );
    }
    if (!this.builders) {
      const client = pipeline.createGeneratedClient(this.settings.generatedClientOptions);
      this.builders = { servicePrincipals: client.servicePrincipals, applications: client.applications };
      this.pipeline = pipeline;
    }
    return this.builders;
  }
}
