import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  type AccessTokenProvider,
} from "@microsoft/kiota-abstractions";
import { FetchRequestAdapter, KiotaClientFactory, RetryHandler, RetryHandlerOptions } from "@microsoft/kiota-http-fetchlibrary";
import { createDefaultMiddlewares, createGraphSyncClient, type GraphSyncClient } from "../../src/index.js";

export const TEST_ACCESS_TOKEN = "test-access-token-for-the-recording-server";

/** Hands out a fixed token, but only for hosts it is allowed to talk to, like every Kiota provider. */
class StaticTokenProvider implements AccessTokenProvider {
  private readonly allowedHosts = new AllowedHostsValidator(new Set(["127.0.0.1"]));

  async getAuthorizationToken(url?: string): Promise<string> {
    return url && this.allowedHosts.isUrlHostValid(url) ? TEST_ACCESS_TOKEN : "";
  }

  getAllowedHostsValidator(): AllowedHostsValidator {
    return this.allowedHosts;
  }
}

/**
 * The generated client on Kiota's stock adapter and middleware, as a user of @graph-sync/client
 * would wire it. Kiota's retry handler is kept but set to zero retries so error tests see the
 * first answer instead of sleeping through Retry-After.
 */
export function createTestClient(baseUrl: string): GraphSyncClient {
  const middlewares = createDefaultMiddlewares().map((middleware) =>
    middleware instanceof RetryHandler ? new RetryHandler(new RetryHandlerOptions({ maxRetries: 0 })) : middleware,
  );
  const adapter = new FetchRequestAdapter(
    new BaseBearerTokenAuthenticationProvider(new StaticTokenProvider()),
    undefined,
    undefined,
    KiotaClientFactory.create(undefined, middlewares),
  );
  adapter.baseUrl = baseUrl;
  return createGraphSyncClient(adapter);
}
