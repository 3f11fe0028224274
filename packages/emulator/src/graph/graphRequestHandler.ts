import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "../clock.js";
import type { AccessConfig } from "../accessConfig.js";
import type { FaultErrorRenderer } from "../faults/faultInjection.js";
import { parseBoundedJson, UnreadableJsonError } from "../boundedJson.js";
import { serveRequests, type RequestHandler } from "../http/host.js";
import { echoableClientRequestId, mediaTypeOf, readRequestBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import { annotateRequest } from "../http/requestLog.js";
import type { EmulatorLogger } from "../logger.js";
import { acquireProvisioningTokens, ProvisioningError } from "../provisioning/acquireProvisioningTokens.js";
import type { EmulatorStore } from "../state/store.js";
import { retryAfterHeader } from "../throttling/retryAfterHeader.js";
import { throttleHeaders } from "../throttling/throttleHeaders.js";
import type { ResourceUnitLimiter } from "../throttling/resourceUnitLimiter.js";
import type { ThrottlingConfig } from "../throttling/throttlingConfig.js";
import { verifyAccessToken } from "../tokens/accessTokenVerifier.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { bearerTokenOf, requireCaller } from "./bearerAuthentication.js";
import { betaDeprecationHeaders, matchGraphRoute } from "./graphRouting.js";
import { createGraphRequestContext, GraphError, graphFormat, type GraphRequestContext, renderGraphError } from "./graphErrors.js";
import type { OpenApiFragment } from "./openApiFragment.js";
import { decideAccess, decideDelegatedAccess, permissionDenied } from "./permissions.js";
import { badRequestCode, type AcquireAccessTokenRequestValidator } from "./requestValidation.js";

/** Graph's code for requests its HTTP/OData layer cannot read. */
const protocolErrorCode = "BadRequest";

export interface GraphDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  logger: EmulatorLogger;
  signingKey: SigningKey;
  fragment: OpenApiFragment;
  /** Compiled from `fragment`. */
  requestValidator: AcquireAccessTokenRequestValidator;
  limiter: ResourceUnitLimiter;
  throttling: () => ThrottlingConfig;
  access: () => AccessConfig;
  loginUrl: () => string;
  targetUrl: () => string;
  maxRequestBodyInBytes: number;
  codeExchangeTimeoutInMs: number;
}

/**
 * The emulated Microsoft Graph: `POST /{v1.0|beta}/{applications|servicePrincipals}/{id}/
 * synchronization/acquireAccessToken`, checked in the order Graph's layers do: route and method,
 * bearer token, throttling, then the request itself, the object, the caller's permission, and
 * finally the work.
 */
export function createGraphRequestHandler(dependencies: GraphDependencies): RequestHandler {
  return serveRequests(
    graphFormat(dependencies.clock),
    (request, response, context) => serve(request, response, context, dependencies),
    dependencies.logger,
  );
}

/** Renders injected faults as Graph errors. */
export function createGraphFaultRenderer(dependencies: { fragment: OpenApiFragment; clock: EmulatorClock }): FaultErrorRenderer {
  const faultErrors = {
    500: new GraphError(500, "generalException", "An internal server error occurred."),
    503: new GraphError(503, "serviceNotAvailable", "The service is temporarily unavailable. Please retry later."),
    504: new GraphError(504, "gatewayTimeout", "The gateway did not receive a timely response from the service."),
  } as const;
  return (request, fault) => {
    const context = createGraphRequestContext(request);
    addBetaDeprecationHeaders(context, request, dependencies.fragment);
    annotateRequest(request, { errorCode: faultErrors[fault.status].code });
    const headers: Record<string, string> =
      fault.retryAfterSeconds === undefined ? {} : { "Retry-After": String(fault.retryAfterSeconds) };
    const error = faultErrors[fault.status];
    return renderGraphError(new GraphError(error.status, error.code, error.message, headers), context, dependencies.clock());
  };
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  context: GraphRequestContext,
  dependencies: GraphDependencies,
): Promise<void> {
  const { store, clock } = dependencies;
  const match = matchGraphRoute(dependencies.fragment.routes, request.url);
  if (!match.matched) {
    const path = (request.url ?? "").split("?", 1)[0]?.slice(0, 200) ?? "";
    throw new GraphError(
      400,
      protocolErrorCode,
      match.reason === "version"
        ? `Invalid version in '${path}': use /v1.0 or /beta.`
        : match.reason === "encoding"
          ? `The object id in '${path}' is not valid percent-encoding.`
          : `Resource not found for the segment in '${path}': the emulator serves only POST {applications|servicePrincipals}/{id}/synchronization/acquireAccessToken.`,
    );
  }
  if (match.version === "beta") addBetaDeprecationHeaders(context, request, dependencies.fragment);
  if (request.method !== "POST") {
    throw new GraphError(405, "Request_BadRequest", `The HTTP method '${request.method ?? ""}' is not allowed on acquireAccessToken; use POST.`, {
      Allow: "POST",
    });
  }

  const verification = await verifyAccessToken(bearerTokenOf(request.headers), {
    signingKey: dependencies.signingKey,
    clock,
    tenantExists: (tenantId) => store.findTenant(tenantId) !== undefined,
  });
  const principal = requireCaller(verification, dependencies.loginUrl());
  annotateRequest(request, { tenantId: principal.tenantId, appId: principal.appId });

  // Limits apply per app and tenant, to app-only and delegated calls alike.
  const decision = dependencies.limiter.charge(`${principal.tenantId}/${principal.appId}`, echoableClientRequestId(request.headers));
  Object.assign(context.headers, throttleHeaders(principal, decision));
  if (!decision.allowed) {
    annotateRequest(request, { throttled: true });
    throw new GraphError(
      429,
      "TooManyRequests",
      "Too many requests for this application in this tenant. Wait for the time in the Retry-After header (or back off when there is none) before retrying.",
      retryAfterHeader(decision.waitInMs, dependencies.throttling().retryAfterFormat, clock()),
    );
  }

  const body = await readJsonBody(request, dependencies.maxRequestBodyInBytes);
  const credentials = dependencies.requestValidator.validate(match.route, body);

  const denied = (reason: string) => {
    dependencies.logger(`graph: app ${principal.appId} in tenant ${principal.tenantId} refused: ${reason}`);
    return permissionDenied(dependencies.access().permissionDenial);
  };
  // A personal account is refused before its (consumers) tenant is searched for the object.
  if (principal.kind === "user") {
    const delegated = decideDelegatedAccess(principal);
    if (!delegated.allowed) throw denied(delegated.reason);
  }
  const object = store.findSynchronizationObject(match.route.objectKind, principal.tenantId, match.objectId);
  if (!object) {
    throw new GraphError(
      404,
      "Request_ResourceNotFound",
      `Resource '${match.objectId.slice(0, 100)}' does not exist or one of its queried reference-property objects are not present.`,
    );
  }
  const access = decideAccess(principal, object);
  if (!access.allowed) throw denied(access.reason);

  try {
    await acquireProvisioningTokens(object, credentials, {
      store,
      clock,
      targetBaseUrl: dependencies.targetUrl,
      codeExchangeTimeoutInMs: dependencies.codeExchangeTimeoutInMs,
    });
  } catch (error) {
    if (error instanceof ProvisioningError) throw new GraphError(400, badRequestCode, error.message);
    throw error;
  }
  response.writeHead(204, { ...context.headers, "x-ms-resource-unit": "1" });
  response.end();
}

/** Reads and parses a JSON body, with Graph's 413/400 answers for what cannot be read. */
async function readJsonBody(request: IncomingMessage, limitInBytes: number): Promise<unknown> {
  const contentType = request.headers["content-type"];
  let raw: Buffer;
  try {
    raw = await readRequestBody(request, limitInBytes);
  } catch (error) {
    if (!(error instanceof RequestBodyTooLargeError)) throw error;
    throw new GraphError(413, "RequestEntityTooLarge", `The request body exceeds the maximum size of ${limitInBytes} bytes.`);
  }
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === undefined) {
    throw new GraphError(400, protocolErrorCode, "The Content-Type header is missing: send the body as application/json.");
  }
  if (mediaType !== "application/json") {
    throw new GraphError(
      400,
      protocolErrorCode,
      `The Content-Type '${mediaType.slice(0, 100)}' is not supported: send the body as application/json.`,
    );
  }
  const text = raw.toString("utf8");
  if (text.trim() === "") {
    throw new GraphError(400, protocolErrorCode, "Unable to read JSON request payload: the body is empty.");
  }
  try {
    return parseBoundedJson(text);
  } catch (error) {
    if (!(error instanceof UnreadableJsonError)) throw error;
    throw new GraphError(
      400,
      protocolErrorCode,
      `Unable to read JSON request payload: the body is ${error.message}. Please ensure Content-Type header is set and payload is of valid JSON format.`,
    );
  }
}

function addBetaDeprecationHeaders(context: GraphRequestContext, request: IncomingMessage, fragment: OpenApiFragment): void {
  const match = matchGraphRoute(fragment.routes, request.url);
  if (match.matched && match.version === "beta") Object.assign(context.headers, betaDeprecationHeaders);
}
