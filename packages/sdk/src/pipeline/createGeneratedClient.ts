import type { TokenCredential } from "@azure/core-auth";
import { createGraphSyncClient, ErrorBodyHandler, type GraphSyncClient } from "@graph-sync/client";
import { AzureIdentityAuthenticationProvider } from "@microsoft/kiota-authentication-azure";
import {
  FetchRequestAdapter,
  KiotaClientFactory,
  UserAgentHandler,
  UserAgentHandlerOptions,
  type Middleware,
} from "@microsoft/kiota-http-fetchlibrary";
import { SDK_NAME, SDK_VERSION } from "../constants.js";
import type { FetchLike } from "../models.js";
import { AttemptMiddleware } from "./attemptMiddleware.js";
import { AuthorizationGuardMiddleware } from "./authorizationGuardMiddleware.js";
import { CallScopedCredential } from "./callScopedCredential.js";
import { DeprecationMiddleware } from "./deprecationMiddleware.js";
import { RetryMiddleware } from "./retryMiddleware.js";

export interface GeneratedClientOptions {
  credential: TokenCredential;
  /** The one scope tokens are requested for (`https://graph.microsoft.com/.default`). */
  scope: string;
  /** The versioned Graph URL, for example `https://graph.microsoft.com/v1.0`. */
  graphUrl: string;
  /** The hosts that may receive the token. */
  allowedHosts: ReadonlySet<string>;
  fetch?: FetchLike | undefined;
}

/**
 * The one place the Kiota stack is assembled: the generated client over a FetchRequestAdapter
 * with Kiota's Azure Identity auth provider and the SDK's own middleware chain.
 *
 * Kiota's default chain is replaced on purpose: its RetryHandler cannot be aborted and would retry
 * a request that may have run; its RedirectHandler would resend the secrets elsewhere. The chain,
 * outermost first:
 *
 *   RetryMiddleware → DeprecationMiddleware → ErrorBodyHandler (the client's) → UserAgentHandler
 *     (Kiota's) → AuthorizationGuardMiddleware → AttemptMiddleware → fetch
 *
 * ErrorBodyHandler turns an error answer whose body Kiota cannot parse (empty, HTML, broken JSON)
 * into Graph's error envelope, so Kiota still throws an ODataError with the status.
 */
export function createGeneratedClient(options: GeneratedClientOptions): GraphSyncClient {
  const authenticationProvider = new AzureIdentityAuthenticationProvider(
    new CallScopedCredential(options.credential),
    [options.scope],
    undefined,
    new Set(options.allowedHosts),
  );
  const middlewares: Middleware[] = [
    new RetryMiddleware(),
    new DeprecationMiddleware(),
    new ErrorBodyHandler(),
    new UserAgentHandler(new UserAgentHandlerOptions({ productName: SDK_NAME, productVersion: SDK_VERSION })),
    new AuthorizationGuardMiddleware(options.allowedHosts),
    new AttemptMiddleware(),
  ];
  // The fetch is looked up at call time, so a global fetch replaced later (instrumentation) is used.
  const fetchFunction: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const httpClient = KiotaClientFactory.create(fetchFunction, middlewares);
  const adapter = new FetchRequestAdapter(authenticationProvider, undefined, undefined, httpClient);
  adapter.baseUrl = options.graphUrl;
  return createGraphSyncClient(adapter);
}
