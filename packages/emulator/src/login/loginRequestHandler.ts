import type { IncomingMessage, ServerResponse } from "node:http";
import type { Clock } from "../clock.js";
import type { FaultErrorRenderer } from "../faults/faultInjection.js";
import { discardRequestBody } from "../http/requestBody.js";
import type { Logger } from "../log/logger.js";
import type { EmulatorStore } from "../state/store.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { jsonWebKeySet, openIdConfiguration } from "./discoveryEndpoints.js";
import {
  createEntraRequestContext,
  EntraError,
  entraErrors,
  renderEntraError,
  sendEntraError,
  type EntraRequestContext,
} from "./entraErrors.js";
import { resolveTenant } from "./tenantResolution.js";
import { startDeviceAuthorization, type DeviceCodeFlowDependencies } from "./deviceCodeFlow.js";
import { issueToken } from "./tokenEndpoint.js";

export interface LoginDependencies extends DeviceCodeFlowDependencies {
  store: EmulatorStore;
  clock: Clock;
  logger: Logger;
  signingKey: SigningKey;
  loginUrl: () => string;
  graphUrl: () => string;
}

type Endpoint = "openIdConfiguration" | "keys" | "token" | "deviceCode" | "authorize";

const endpoints: ReadonlyArray<{ pattern: RegExp; endpoint: Endpoint; method: "GET" | "POST" }> = [
  { pattern: /^\/([^/]+)\/v2\.0\/\.well-known\/openid-configuration$/, endpoint: "openIdConfiguration", method: "GET" },
  { pattern: /^\/([^/]+)\/discovery\/v2\.0\/keys$/, endpoint: "keys", method: "GET" },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/token$/, endpoint: "token", method: "POST" },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/devicecode$/, endpoint: "deviceCode", method: "POST" },
  { pattern: /^\/([^/]+)\/oauth2\/v2\.0\/authorize$/, endpoint: "authorize", method: "GET" },
];

/**
 * The emulated Microsoft Entra ID login host (`login.microsoftonline.com`): per-tenant discovery,
 * signing keys, the v2.0 token endpoint (client-credentials and device code grants) and the device
 * authorization endpoint.
 */
export function createLoginRequestHandler(dependencies: LoginDependencies) {
  return (request: IncomingMessage, response: ServerResponse): void => {
    const context = createEntraRequestContext(request);
    serve(request, response, context, dependencies).catch((error: unknown) => {
      discardRequestBody(request);
      if (!(error instanceof EntraError)) {
        dependencies.logger(`login internal error: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (response.headersSent) {
        response.destroy();
        return;
      }
      const entraError =
        error instanceof EntraError ? error : new EntraError(500, "server_error", 90006, "An unexpected error occurred in the emulated login host.");
      sendEntraError(request, response, context, entraError, dependencies.clock(), dependencies.loginUrl());
    });
  };
}

/** Renders injected faults as Entra's transient errors. */
export function createLoginFaultRenderer(dependencies: { clock: Clock; loginUrl: () => string }): FaultErrorRenderer {
  return (request, fault) =>
    renderEntraError(
      entraErrors.transient(fault.status, fault.retryAfterSeconds),
      createEntraRequestContext(request),
      dependencies.clock(),
      dependencies.loginUrl(),
    );
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  context: EntraRequestContext,
  dependencies: LoginDependencies,
): Promise<void> {
  const { store } = dependencies;
  const path = (request.url ?? "/").split("?", 1)[0] ?? "/";
  const route = endpoints.map((candidate) => ({ ...candidate, match: candidate.pattern.exec(path) })).find((candidate) => candidate.match);
  if (!route?.match?.[1]) throw entraErrors.notServed(path.slice(0, 200));
  if (request.method !== route.method) throw entraErrors.wrongMethod(route.method, (request.method ?? "").slice(0, 20));
  let tenantSegment: string;
  try {
    tenantSegment = decodeURIComponent(route.match[1]);
  } catch {
    throw entraErrors.invalidTenantFormat(route.match[1].slice(0, 100));
  }

  const loginUrl = dependencies.loginUrl();
  switch (route.endpoint) {
    case "openIdConfiguration": {
      const tenant = resolveTenant(store, tenantSegment, "invalid_tenant");
      sendJson(response, context, 200, openIdConfiguration(loginUrl, tenant, dependencies.graphUrl()), "max-age=86400, private");
      return;
    }
    case "keys": {
      const tenant = resolveTenant(store, tenantSegment, "invalid_tenant");
      sendJson(response, context, 200, jsonWebKeySet(loginUrl, tenant, dependencies.signingKey), "max-age=86400, private");
      return;
    }
    case "token": {
      const answer = await issueToken(request, tenantSegment, dependencies);
      sendJson(response, context, 200, answer);
      return;
    }
    case "deviceCode": {
      const answer = await startDeviceAuthorization(request, tenantSegment, dependencies);
      sendJson(response, context, 200, answer);
      return;
    }
    case "authorize":
      resolveTenant(store, tenantSegment, "invalid_request");
      throw entraErrors.onlyClientCredentials();
  }
}

function sendJson(
  response: ServerResponse,
  context: EntraRequestContext,
  status: number,
  body: unknown,
  cacheControl?: string,
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...context.headers,
    ...(cacheControl ? { "Cache-Control": cacheControl } : {}),
    "Content-Type": "application/json; charset=utf-8",
    "Content-Length": Buffer.byteLength(text),
  });
  response.end(text);
}
