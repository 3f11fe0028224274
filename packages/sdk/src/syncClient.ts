import { randomUUID } from "node:crypto";
import type { GraphSyncClient } from "@graph-sync/client";
import type { CloudEnvironment } from "./clouds.js";
import { HeaderNames, type GraphApiVersion } from "./constants.js";
import { GraphSyncError } from "./errors/graphSyncError.js";
import { responseToError } from "./errors/responseError.js";
import { toGraphSyncError } from "./errors/toGraphSyncError.js";
import { createSdkLogger, type SyncLogger } from "./logger.js";
import type { AcquireAccessTokenOptions, AcquireAccessTokenResult, SyncClient } from "./models.js";
import { CallContext, callContextStorage } from "./pipeline/callContext.js";
import type { Clock } from "./retry/clock.js";
import type { ResolvedRetryOptions } from "./retry/retryOptions.js";
import { validateDuration } from "./validation/validateDuration.js";
import type { AcquireAccessTokenCredentials, SyncTarget } from "./validation/credentialTypes.js";
import { validateCredentials } from "./validation/validateCredentials.js";
import { validateTarget } from "./validation/validateTarget.js";

export interface SyncClientSettings {
  readonly generatedClient: GraphSyncClient;
  readonly cloud: CloudEnvironment;
  readonly apiVersion: GraphApiVersion;
  readonly graphUrl: string;
  readonly retry: ResolvedRetryOptions;
  readonly attemptTimeoutInMs: number;
  readonly timeoutInMs: number;
  readonly logger: SyncLogger | undefined;
  readonly clock: Clock;
}

/** Header values must be visible ASCII; Graph echoes the id, so keep it short too. */
const CLIENT_REQUEST_ID_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** The SyncClient behind {@link createSyncClient}: validate, call the generated client, map failures. */
export class SyncClientImpl implements SyncClient {
  readonly cloud;
  readonly apiVersion;
  readonly graphUrl;

  constructor(private readonly settings: SyncClientSettings) {
    this.cloud = settings.cloud.name;
    this.apiVersion = settings.apiVersion;
    this.graphUrl = settings.graphUrl;
  }

  async acquireAccessToken(
    target: SyncTarget,
    credentials: AcquireAccessTokenCredentials,
    options: AcquireAccessTokenOptions = {},
  ): Promise<AcquireAccessTokenResult> {
    const resolvedTarget = validateTarget(target);
    const entries = validateCredentials(credentials);
    const clientRequestId = options.clientRequestId ?? randomUUID();
    if (!CLIENT_REQUEST_ID_PATTERN.test(clientRequestId)) {
      throw new GraphSyncError("clientRequestId must be 1–128 visible ASCII characters (a UUID is best).", {
        kind: "validation",
        code: "InvalidInput",
        issues: [{ path: "options.clientRequestId", message: "must be 1–128 visible ASCII characters" }],
      });
    }
    const timeoutInMs = validateDuration("options.timeoutInMs", options.timeoutInMs) ?? this.settings.timeoutInMs;
    const attemptTimeoutInMs =
      validateDuration("options.attemptTimeoutInMs", options.attemptTimeoutInMs) ?? this.settings.attemptTimeoutInMs;
    const secrets = entries.map(({ value }) => value);
    if (options.abortSignal?.aborted) {
      throw new GraphSyncError("The call was aborted by the caller's abortSignal before a request was sent.", {
        kind: "aborted",
        code: "Aborted",
        clientRequestId,
        cause: options.abortSignal.reason,
        secrets,
      });
    }

    const context = new CallContext({
      target: resolvedTarget,
      clientRequestId,
      secrets,
      cloud: this.settings.cloud,
      apiVersion: this.settings.apiVersion,
      scope: this.settings.cloud.scope,
      graphUrl: this.settings.graphUrl,
      retry: this.settings.retry,
      attemptTimeoutInMs,
      timeoutInMs,
      clock: this.settings.clock,
      logger: createSdkLogger(this.settings.logger, secrets),
      abortSignal: options.abortSignal,
    });
    const client = this.settings.generatedClient;
    const action =
      resolvedTarget.kind === "servicePrincipal"
        ? client.servicePrincipals.byServicePrincipalId(resolvedTarget.id).synchronization.acquireAccessToken
        : client.applications.byApplicationId(resolvedTarget.id).synchronization.acquireAccessToken;
    try {
      await callContextStorage.run(context, () =>
        action.post(
          { credentials: entries.map(({ key, value }) => ({ key, value })) },
          { headers: { [HeaderNames.clientRequestId]: clientRequestId }, options: [context] },
        ),
      );
      // Kiota lets a 3xx without Location through as a success; for this action it is not one.
      const answer = context.lastResponse;
      if (answer && (answer.status < 200 || answer.status >= 300)) throw responseToError(undefined, answer, context);
      const requestId = answer?.headers.get(HeaderNames.requestId) ?? undefined;
      context.logger.verbose(
        `acquireAccessToken for ${resolvedTarget.kind} ${resolvedTarget.id} succeeded after ${context.attempts} attempt(s) (request-id ${requestId ?? "none"})`,
      );
      return { clientRequestId, requestId, attempts: context.attempts };
    } catch (error) {
      throw toGraphSyncError(error, context);
    } finally {
      context.dispose();
    }
  }
}
