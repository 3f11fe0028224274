import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { EmulatorClock } from "../clock.js";
import type { HostFormat, RenderedResponse } from "../http/host.js";
import { echoableClientRequestId } from "../http/incomingRequest.js";
import { annotateRequest } from "../http/requestLog.js";

/** Correlation facts of one request to the login host. */
export interface EntraRequestContext {
  /** Entra's trace id for this request (also sent as `x-ms-request-id`). */
  traceId: string;
  /** The caller's `client-request-id` when it sent one (MSAL does), else a new id. */
  correlationId: string;
  /** Headers every answer from the login host carries. */
  headers: Record<string, string>;
}

export function createEntraRequestContext(request: IncomingMessage | undefined): EntraRequestContext {
  const traceId = randomUUID();
  const sent = request && echoableClientRequestId(request.headers);
  const correlationId = sent ?? randomUUID();
  if (request) annotateRequest(request, { requestId: traceId, clientRequestId: correlationId });
  const headers: Record<string, string> = {
    "Cache-Control": "no-store, no-cache",
    Pragma: "no-cache",
    Expires: "-1",
    "x-ms-request-id": traceId,
    "x-ms-ests-server": "graph-sync emulator",
  };
  if (sent !== undefined) headers["client-request-id"] = sent;
  return { traceId, correlationId, headers };
}

/**
 * An error the login host answers with, in Entra's format: an OAuth `error`, the AADSTS code (when
 * Entra has one for the case) and the description that follows `AADSTSnnnn: `.
 */
export class EntraError extends Error {
  override readonly name = "EntraError";
  constructor(
    readonly status: number,
    readonly error: string,
    readonly aadsts: number | undefined,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(aadsts === undefined ? description : `AADSTS${aadsts}: ${description}`);
  }
}

/** Entra's error body: `error_description` repeats the correlation facts after CRLFs. */
export interface EntraErrorBody {
  error: string;
  error_description: string;
  error_codes: number[];
  timestamp: string;
  trace_id: string;
  correlation_id: string;
  error_uri?: string;
}

/** Entra's `timestamp` form: `2026-11-23 10:00:00Z`. */
export function entraTimestamp(time: number): string {
  return `${new Date(time).toISOString().slice(0, 19).replace("T", " ")}Z`;
}

export function renderEntraError(
  error: EntraError,
  context: EntraRequestContext,
  time: number,
  loginUrl: string,
): RenderedResponse {
  const timestamp = entraTimestamp(time);
  const body: EntraErrorBody = {
    error: error.error,
    error_description: `${error.message}\r\nTrace ID: ${context.traceId}\r\nCorrelation ID: ${context.correlationId}\r\nTimestamp: ${timestamp}`,
    error_codes: error.aadsts === undefined ? [] : [error.aadsts],
    timestamp,
    trace_id: context.traceId,
    correlation_id: context.correlationId,
  };
  if (error.aadsts !== undefined) body.error_uri = `${loginUrl}/error?code=${error.aadsts}`;
  return {
    status: error.status,
    headers: { ...context.headers, ...error.headers, "Content-Type": "application/json; charset=utf-8" },
    body: JSON.stringify(body),
  };
}

/**
 * The login host's side of the host skeleton (http/host.ts): Entra's correlation headers, its error
 * body, and for anything else `500 server_error` (AADSTS90006).
 */
export function loginFormat(clock: EmulatorClock, loginUrl: () => string): HostFormat<EntraRequestContext, EntraError> {
  return {
    name: "login",
    createContext: createEntraRequestContext,
    failureOf: (error) => (error instanceof EntraError ? error : undefined),
    internalFailure: () => new EntraError(500, "server_error", 90006, "An unexpected error occurred in the emulated login host."),
    requestFailure: (status, message) => new EntraError(status, "invalid_request", undefined, message),
    errorCodeOf: (error) => (error.aadsts === undefined ? error.error : `AADSTS${error.aadsts}`),
    render: (error, context) => renderEntraError(error, context, clock(), loginUrl()),
  };
}

/** The errors of the client-credentials and device code flows, as Entra words them. */
export const entraErrors = {
  invalidTenantFormat: (tenant: string) =>
    new EntraError(400, "invalid_request", 900023, `Specified tenant identifier '${tenant}' is neither a valid DirectoryName nor a valid ObjectId.`),
  tenantNotFound: (tenant: string, error: "invalid_request" | "invalid_tenant") =>
    new EntraError(
      400,
      error,
      90002,
      `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    ),
  missingParameter: (name: string) =>
    new EntraError(400, "invalid_request", 900144, `The request body must contain the following parameter: '${name}'.`),
  unsupportedGrantType: (grantType: string) =>
    new EntraError(
      400,
      "unsupported_grant_type",
      70003,
      `The app requested an unsupported grant type '${grantType}'. The emulator supports only client_credentials, urn:ietf:params:oauth:grant-type:device_code and refresh_token.`,
    ),
  applicationNotFound: (appId: string, tenant: string) =>
    new EntraError(
      400,
      "unauthorized_client",
      700016,
      `Application with identifier '${appId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    ),
  invalidScope: (scope: string) =>
    new EntraError(
      400,
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. The client credentials flow takes exactly one '{resource}/.default' scope of a Microsoft Graph resource.`,
    ),
  missingClientSecret: () =>
    new EntraError(401, "invalid_client", 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'."),
  invalidClientSecret: (appId: string) =>
    new EntraError(
      401,
      "invalid_client",
      7000215,
      `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${appId}'.`,
    ),
  expiredClientSecret: (appId: string) =>
    new EntraError(
      401,
      "invalid_client",
      7000222,
      `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds`,
    ),
  unregisteredCertificate: () =>
    new EntraError(
      401,
      "invalid_client",
      700027,
      "The certificate with identifier used to sign the client assertion is not registered on application. The emulator registers client secrets only.",
    ),
  invalidDelegatedScope: (scope: string) =>
    new EntraError(
      400,
      "invalid_scope",
      70011,
      `The provided value for the input parameter 'scope' is not valid. The scope ${scope} is not valid. Ask for Microsoft Graph permissions of one resource ('{resource}/.default' or '{resource}/{Permission}'), optionally with openid, profile and offline_access.`,
    ),
  /** RFC 8628 §3.5; Entra's text as users report it. */
  authorizationPending: () =>
    new EntraError(
      400,
      "authorization_pending",
      70016,
      "The provided request has not yet been authorized by the user. The user must input their code.",
    ),
  /** RFC 8628 §3.5: the client polled before the interval was over. Entra documents no AADSTS code for it. */
  slowDown: (intervalInSeconds: number) =>
    new EntraError(
      400,
      "slow_down",
      undefined,
      `The client is polling too fast. Wait at least the interval given with the device code (${intervalInSeconds} s) between polls.`,
    ),
  expiredDeviceCode: () => new EntraError(400, "expired_token", 70019, "Verification code expired."),
  /** Entra documents `authorization_declined` for the device code flow without an AADSTS code. */
  authorizationDeclined: () => new EntraError(400, "authorization_declined", undefined, "The end user denied the authorization request."),
  unknownDeviceCode: () =>
    new EntraError(400, "bad_verification_code", undefined, "The device_code sent to the /token endpoint wasn't recognized."),
  deviceCodeAlreadyRedeemed: () =>
    new EntraError(400, "invalid_grant", 70000, "The provided value for the 'device_code' is not valid. It has already been redeemed."),
  consentRequired: (appId: string, displayName: string) =>
    new EntraError(
      400,
      "invalid_grant",
      65001,
      `The user or administrator has not consented to use the application with ID '${appId}' named '${displayName}'. Send an interactive authorization request for this user and resource.`,
    ),
  wrongMethod: (allowed: string, received: string) =>
    new EntraError(400, "invalid_request", 900561, `The endpoint only accepts ${allowed} requests. Received a ${received} request.`),
  notServed: (path: string) =>
    new EntraError(404, "not_found", undefined, `The emulated login host has no endpoint at '${path}'.`),
  bodyTooLarge: (limitInBytes: number) =>
    new EntraError(413, "invalid_request", undefined, `The request body exceeds the limit of ${limitInBytes} bytes.`),
  onlyClientCredentials: () =>
    new EntraError(
      400,
      "unsupported_response_type",
      undefined,
      "The emulated login host implements the client credentials and device code grants; interactive (browser) sign-in is not available: use the device code flow.",
    ),
  transient: (status: 500 | 503 | 504, retryAfterSeconds?: number) =>
    new EntraError(
      status,
      "temporarily_unavailable",
      status === 500 ? 90006 : 90024,
      "A transient error has occurred. Please try again.",
      retryAfterSeconds === undefined ? {} : { "Retry-After": String(retryAfterSeconds) },
    ),
};
