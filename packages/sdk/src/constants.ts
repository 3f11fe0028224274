/** The SDK's name as sent in the User-Agent header. */
export const SDK_NAME = "graph-sync-sdk";

/** The SDK's version; a test keeps it equal to package.json's. */
export const SDK_VERSION = "0.1.0";

/** Graph API versions the SDK can call. `beta` carries Graph's deprecation notice for this action. */
export type GraphApiVersion = "v1.0" | "beta";

/** The version a client calls when neither `apiVersion` nor its baseUrl names one: Graph's stable `v1.0`. */
export const DEFAULT_API_VERSION: GraphApiVersion = "v1.0";

/** The longest a single attempt (one HTTP exchange with Graph) may take by default. */
export const DEFAULT_ATTEMPT_TIMEOUT_IN_MS = 30_000;

/** The longest one call, retries and waits included, may take by default. */
export const DEFAULT_TIMEOUT_IN_MS = 120_000;

/**
 * Header names the SDK reads or writes. Graph echoes `client-request-id` and adds its own
 * `request-id`; support asks for both.
 */
export const HeaderNames = {
  clientRequestId: "client-request-id",
  requestId: "request-id",
  date: "date",
  retryAfter: "retry-after",
  deprecation: "deprecation",
  sunset: "sunset",
  link: "link",
  wwwAuthenticate: "www-authenticate",
  contentType: "content-type",
  location: "location",
  authorization: "authorization",
  throttleInformation: "x-ms-throttle-information",
  throttleScope: "x-ms-throttle-scope",
} as const;

/**
 * The key under which a transport puts its facts (`TransportFacts`, failures/callFacts.ts) on the error it throws. A
 * `fetch` that does not say leaves them unknown: its error codes decide.
 */
export const TRANSPORT_FACTS = Symbol.for("@graph-sync/sdk.transportFacts");
