import type { TokenCredential } from "@azure/core-auth";
import { createGraphSyncClient, type GraphSyncClient } from "@graph-sync/client";
import { AzureIdentityAuthenticationProvider } from "@microsoft/kiota-authentication-azure";
import { FetchRequestAdapter, HttpClient } from "@microsoft/kiota-http-fetchlibrary";
import type { FetchLike } from "../models.js";
import type { ThrottleGate } from "../retry/throttleGate.js";
import { CallCredential } from "./callCredential.js";
import { AuthorizationGuard, Transport } from "./transport.js";
import { sharedUndiciFetch } from "./undiciTransport.js";

// What a call needs besides the generated client, loaded with it on a client's first call: see syncClient.ts.
export { CallContext, runCall } from "./callContext.js";
export { abortedBeforeSending, toGraphSyncError } from "../failures/noAnswer.js";
export { CallTelemetry } from "./telemetry.js";

export interface GeneratedClientOptions {
  credential: TokenCredential;
  /** The one scope tokens are requested for (`https://graph.microsoft.com/.default`). */
  scope: string;
  /** The versioned Graph URL, for example `https://graph.microsoft.com/v1.0`. */
  graphUrl: string;
  /** The hosts that may receive the token. */
  allowedHosts: ReadonlySet<string>;
  fetch?: FetchLike | undefined;
  /** The client's one throttle gate, which all its calls pass. */
  throttleGate: ThrottleGate;
}

/**
 * The one place the Kiota stack is assembled: the generated client over a FetchRequestAdapter
 * with Kiota's Azure Identity auth provider and the SDK's own middleware.
 *
 * Kiota's default chain is replaced on purpose: its RetryHandler cannot be aborted and would retry
 * a request that may have run; its RedirectHandler would resend the secrets elsewhere. In its place
 * one middleware, the Transport: token guard, User-Agent, retries, attempts under their time
 * limits, deprecation notice, and error answers turned into GraphSyncErrors; then fetch.
 *
 * This module loads Kiota; the SDK imports it only when a client makes its first call.
 */
export function createGeneratedClient(options: GeneratedClientOptions): GraphSyncClient {
  const authenticationProvider = new AzureIdentityAuthenticationProvider(
    new CallCredential(options.credential),
    [options.scope],
    undefined,
    new Set(options.allowedHosts),
  );
  // The caller's fetch when given; otherwise the SDK's keep-alive transport over undici.
  const fetchFunction: FetchLike = options.fetch ?? sharedUndiciFetch();
  // No custom fetch for the HttpClient: the Transport is the last middleware and calls it itself.
  const httpClient = new HttpClient(undefined, new Transport(new AuthorizationGuard(options.allowedHosts), fetchFunction, options.throttleGate));
  const adapter = new FetchRequestAdapter(authenticationProvider, undefined, undefined, httpClient);
  adapter.baseUrl = options.graphUrl;
  expandUrlOnce(adapter);
  return createGraphSyncClient(adapter);
}

/**
 * Kiota's RequestInformation expands its URI template on every read of `URL`, and the adapter reads
 * it three times per request (the auth provider's host check, the request, the fetch). The action
 * is sent with `sendNoResponseContent`: expand the URL once there, through the public setter, which
 * keeps the result. The adapter would set the same base URL (the generated client copied it from
 * the adapter), so the URL is the one Kiota would have built.
 */
function expandUrlOnce(adapter: FetchRequestAdapter): void {
  const send = adapter.sendNoResponseContent;
  adapter.sendNoResponseContent = (requestInfo, errorMappings) => {
    requestInfo.URL = requestInfo.URL;
    return send(requestInfo, errorMappings);
  };
}
