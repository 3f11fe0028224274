import type { TokenCredential } from "@azure/core-auth";
import { createGraphSyncClient, type GraphSyncClient } from "@graph-sync/client";
import { AnonymousAuthenticationProvider } from "@microsoft/kiota-abstractions";
import { FetchRequestAdapter, HttpClient, type Middleware } from "@microsoft/kiota-http-fetchlibrary";
import type { FetchLike } from "../models.js";
import type { ThrottleGate } from "../retry/throttleGate.js";
import { AttemptHandler } from "./attemptHandler.js";
import { CallCredential } from "./tokenGuard.js";
import { RequestHeadersHandler } from "./requestHeaders.js";
import { RetryHandler } from "./retryHandler.js";
import { ThrottleGateHandler } from "./throttleGateHandler.js";
import { TokenGuardHandler } from "./tokenGuard.js";

// What a call needs besides the generated client, loaded with it on a client's first call: see syncClient.ts.
export { CallState } from "./callState.js";
export { CallTelemetry } from "./telemetry.js";

/** What the generated client and its chain are built with, once per client. */
export interface GeneratedClientOptions {
  /** The caller's credential. */
  credential: TokenCredential;
  /** The one scope tokens are requested for (`https://graph.microsoft.com/.default`). */
  scope: string;
  /** The versioned Graph URL, for example `https://graph.microsoft.com/v1.0`. */
  graphUrl: string;
  /** The hosts that may receive the token. */
  allowedHosts: ReadonlySet<string>;
  /** The caller's fetch; the SDK's keep-alive transport when absent. */
  fetch?: FetchLike | undefined;
  /** The client's one throttle gate, which all its calls pass. */
  throttleGate: ThrottleGate;
}

/**
 * The one place the SDK's HTTP stack is assembled: the generated client over Kiota's
 * FetchRequestAdapter, with this chain of Kiota middlewares in place of Kiota's default one. Each
 * link reads the call's state from the request (`requestOptions[CALL_STATE_KEY]`, a Kiota
 * RequestOption the SDK passes through the request builder: see callState.ts).
 *
 * 1. RequestHeadersHandler — User-Agent and the call's `client-request-id`.
 * 2. TokenGuardHandler — the caller's token, only for an allowed host; no request without one.
 * 3. RetryHandler — the retry decision after each attempt (retry/retryDecision.ts), the waits, and
 *    the final answer turned into the call's GraphSyncError.
 * 4. ThrottleGateHandler — every attempt passes the client's throttle gate.
 * 5. AttemptHandler — one attempt: its time limit, the bounded body, Graph's error envelope, its
 *    span (the call's span is opened by syncClient.ts, around the whole chain); then `fetch`.
 *
 * Kiota's own handlers are left out on purpose: its RetryHandler cannot be aborted and would
 * resend a request that may have run; its RedirectHandler would resend the secrets elsewhere; and
 * its auth provider gives no error for a host outside the allowed ones. This module loads Kiota;
 * the SDK imports it only when a client makes its first call.
 */
export function createGeneratedClient(options: GeneratedClientOptions): GraphSyncClient {
  const gate = new ThrottleGateHandler(options.throttleGate);
  const chain: Middleware[] = [
    new RequestHeadersHandler(),
    new TokenGuardHandler(new CallCredential(options.credential), options.scope, options.allowedHosts),
    new RetryHandler(gate),
    gate,
    new AttemptHandler(options.fetch ?? defaultTransport(), options.fetch === undefined),
  ];
  // No custom fetch for the HttpClient: the AttemptHandler is the last link and calls it itself.
  const adapter = new FetchRequestAdapter(new AnonymousAuthenticationProvider(), undefined, undefined, new HttpClient(undefined, ...chain));
  adapter.baseUrl = options.graphUrl;
  expandUrlOnce(adapter);
  return createGraphSyncClient(adapter);
}

/**
 * The SDK's own transport (undiciTransport.ts), loaded on the first request that needs it: a client
 * given a `fetch` never loads undici.
 */
function defaultTransport(): FetchLike {
  let transport: Promise<FetchLike> | undefined;
  // Once loaded, called directly: no extra async step per request.
  let loaded: FetchLike | undefined;
  return (url, init) => {
    if (loaded) return loaded(url, init);
    transport ??= import("./undiciTransport.js").then((module) => (loaded = module.sharedUndiciFetch()));
    return transport.then((fetch) => fetch(url, init));
  };
}

/**
 * Kiota's RequestInformation expands its URI template on every read of `URL`, and the adapter reads
 * it more than once per request. The action is sent with `sendNoResponseContent`: expand the URL
 * once there, through the public setter, which keeps the result. The adapter would set the same
 * base URL (the generated client copied it from the adapter), so the URL is the one Kiota would have built.
 */
function expandUrlOnce(adapter: FetchRequestAdapter): void {
  const send = adapter.sendNoResponseContent;
  adapter.sendNoResponseContent = (requestInfo, errorMappings) => {
    requestInfo.URL = requestInfo.URL;
    return send(requestInfo, errorMappings);
  };
}
