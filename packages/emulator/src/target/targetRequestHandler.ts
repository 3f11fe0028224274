import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmulatorClock } from "../clock.js";
import { sendJson, serveRequests, type RequestHandler } from "../http/host.js";
import { readFormBody, RequestBodyTooLargeError } from "../http/incomingRequest.js";
import { presentedClientCredentials, secretsMatch } from "../http/oauthClientAuthentication.js";
import { AntiForgery } from "../pages/antiForgery.js";
import { newOpaqueValue } from "../state/randomValues.js";
import type { EmulatorLogger } from "../logger.js";
import type { EmulatorStore } from "../state/store.js";
import { codeRejectionDescriptions, redeemAuthorizationCode } from "./authorizationCodes.js";
import { authorize, decideConsent, type AuthorizationEndpointDependencies } from "./authorizationEndpoint.js";
import { OAuthError, targetFormat } from "./targetErrors.js";

const maxFormBodyInBytes = 64 * 1024;
const targetAccessTokenLifetimeInSeconds = 3600;

export interface TargetDependencies extends Omit<AuthorizationEndpointDependencies, "antiForgery"> {
  store: EmulatorStore;
  clock: EmulatorClock;
  logger: EmulatorLogger;
  /** The target's own base URL, for its metadata document. */
  baseUrl: () => string;
}

/**
 * The emulated OAuth-based provisioning target: a small OAuth 2.0 authorization server (RFC 6749)
 * with an authorize endpoint that shows a consent page (or, with auto-consent, consents on its own)
 * and issues single-use codes to registered clients and redirect URIs, and a token endpoint that
 * redeems them. It plays the SaaS app whose tokens `acquireAccessToken` obtains.
 */
export function createTargetRequestHandler(dependencies: TargetDependencies): RequestHandler {
  // The cookie's path covers the consent form only; the key lives as long as the handler.
  const withForms = { ...dependencies, antiForgery: new AntiForgery("graph_sync_consent", "/authorize") };
  return serveRequests(targetFormat, (request, response) => serve(request, response, withForms), dependencies.logger);
}

async function serve(request: IncomingMessage, response: ServerResponse, dependencies: TargetDependencies & AuthorizationEndpointDependencies): Promise<void> {
  const url = new URL(request.url ?? "/", "http://target.invalid");
  const route = routes[url.pathname];
  if (!route) throw new OAuthError(404, "not_found", `The target has no endpoint at '${url.pathname.slice(0, 200)}'.`);
  const handle = route.methods[request.method ?? ""];
  if (!handle) {
    const allowed = Object.keys(route.methods).join(", ");
    throw new OAuthError(405, "invalid_request", `Use ${allowed.replace(", ", " or ")} for ${url.pathname}.`, { Allow: allowed });
  }
  await handle(request, response, url, dependencies);
}

type RouteHandler = (
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  dependencies: TargetDependencies & AuthorizationEndpointDependencies,
) => Promise<void> | void;

const routes: Record<string, { methods: Partial<Record<string, RouteHandler>> } | undefined> = {
  "/authorize": { methods: { GET: authorize, POST: decideConsent } },
  "/token": { methods: { POST: token } },
  "/.well-known/oauth-authorization-server": { methods: { GET: metadata } },
};

/** POST /token: the authorization-code grant. */
async function token(request: IncomingMessage, response: ServerResponse, _url: URL, dependencies: TargetDependencies) {
  const { store, clock } = dependencies;
  let form: URLSearchParams;
  try {
    form = await readFormBody(request, maxFormBodyInBytes);
  } catch (error) {
    if (!(error instanceof RequestBodyTooLargeError)) throw error;
    throw new OAuthError(413, "invalid_request", error.message);
  }
  const grantType = form.get("grant_type");
  if (!grantType) {
    throw new OAuthError(400, "invalid_request", "grant_type is required (application/x-www-form-urlencoded body).");
  }
  if (grantType !== "authorization_code") {
    throw new OAuthError(400, "unsupported_grant_type", `The grant type '${grantType.slice(0, 100)}' is not supported; use authorization_code.`);
  }
  const credentials = presentedClientCredentials(form, request.headers);
  const client = credentials.clientId ? store.findTargetClient(credentials.clientId) : undefined;
  if (!client || credentials.clientSecret === undefined || !secretsMatch(credentials.clientSecret, client.clientSecret)) {
    const description = !credentials.clientId
      ? "client_id is required."
      : !client
        ? `Unknown client_id '${credentials.clientId.slice(0, 100)}'.`
        : credentials.clientSecret === undefined
          ? "client_secret is required."
          : "The client secret is not valid for this client.";
    const challenge: Record<string, string> =
      credentials.method === "client_secret_basic" ? { "WWW-Authenticate": 'Basic realm="target"' } : {};
    throw new OAuthError(401, "invalid_client", description, challenge);
  }
  const code = form.get("code");
  if (!code) {
    throw new OAuthError(400, "invalid_request", "code is required.");
  }
  const redemption = await store.commit(() =>
    redeemAuthorizationCode(store, clock, {
      code,
      clientId: client.clientId,
      redirectUri: form.get("redirect_uri") ?? undefined,
    }),
  );
  if (!redemption.redeemed) {
    throw new OAuthError(400, "invalid_grant", codeRejectionDescriptions[redemption.reason]);
  }
  sendJson(
    response,
    200,
    {
      access_token: newOpaqueValue("tgt_at_"),
      token_type: "Bearer",
      expires_in: targetAccessTokenLifetimeInSeconds,
      refresh_token: newOpaqueValue("tgt_rt_"),
      scope: redemption.record.scope,
    },
    { "Cache-Control": "no-store", Pragma: "no-cache" },
  );
}

/** GET /.well-known/oauth-authorization-server (RFC 8414). */
function metadata(_request: IncomingMessage, response: ServerResponse, _url: URL, dependencies: TargetDependencies) {
  const base = dependencies.baseUrl();
  sendJson(response, 200, {
    issuer: base,
    authorization_endpoint: `${base}/authorize`,
    token_endpoint: `${base}/token`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code"],
    token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
  });
}
