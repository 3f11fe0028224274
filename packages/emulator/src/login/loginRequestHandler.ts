import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "../clock.js";
import type { FaultErrorRenderer } from "../faults/faultInjection.js";
import { sendJson, serveRequests, type RequestHandler } from "../http/host.js";
import type { EmulatorLogger } from "../logger.js";
import type { EmulatorStore } from "../state/store.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { jsonWebKeySet, openIdConfiguration } from "./discoveryEndpoints.js";
import {
  createEntraRequestContext,
  entraErrors,
  loginFormat,
  renderEntraError,
  type EntraRequestContext,
} from "./loginErrors.js";
import { resolveTenant } from "./loginRequest.js";
import { createDeviceLoginPage } from "./deviceLoginPage.js";
import { startDeviceAuthorization, type DeviceCodeFlowDependencies } from "./deviceCodeFlow.js";
import { issueToken } from "./tokenEndpoint.js";

export interface LoginDependencies extends DeviceCodeFlowDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  logger: EmulatorLogger;
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
 * signing keys, the v2.0 token endpoint (client-credentials and device code grants), the device
 * authorization endpoint and its verification page (`/devicelogin`).
 */
export function createLoginRequestHandler(dependencies: LoginDependencies): RequestHandler {
  const serveDeviceLogin = createDeviceLoginPage(dependencies);
  return serveRequests(
    loginFormat(dependencies.clock, dependencies.loginUrl),
    (request, response, context) =>
      // The device code message's verification page, for people; everything else is for clients.
      pathOf(request) === "/devicelogin" ? serveDeviceLogin(request, response) : serve(request, response, context, dependencies),
    dependencies.logger,
  );
}

function pathOf(request: IncomingMessage): string {
  return (request.url ?? "/").split("?", 1)[0] ?? "/";
}

/** Renders injected faults as Entra's transient errors. */
export function createLoginFaultRenderer(dependencies: { clock: EmulatorClock; loginUrl: () => string }): FaultErrorRenderer {
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
  const path = pathOf(request);
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
      sendJson(response, 200, openIdConfiguration(loginUrl, tenant, dependencies.graphUrl()), {
        ...context.headers,
        "Cache-Control": "max-age=86400, private",
      });
      return;
    }
    case "keys": {
      const tenant = resolveTenant(store, tenantSegment, "invalid_tenant");
      sendJson(response, 200, jsonWebKeySet(loginUrl, tenant, dependencies.signingKey), {
        ...context.headers,
        "Cache-Control": "max-age=86400, private",
      });
      return;
    }
    case "token": {
      const answer = await issueToken(request, tenantSegment, dependencies);
      sendJson(response, 200, answer, context.headers);
      return;
    }
    case "deviceCode": {
      const answer = await startDeviceAuthorization(request, tenantSegment, dependencies);
      sendJson(response, 200, answer, context.headers);
      return;
    }
    case "authorize":
      resolveTenant(store, tenantSegment, "invalid_request");
      throw entraErrors.onlyClientCredentials();
  }
}
