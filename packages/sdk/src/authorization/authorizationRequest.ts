import { randomBytes } from "node:crypto";
import { AuthorizationFlowError } from "./authorizationFlowError.js";

/** What {@link createAuthorizationRequest} needs: the target's authorization endpoint and its OAuth client. */
export interface AuthorizationRequestOptions {
  /** The target application's authorization endpoint (`Oauth2AuthorizationUri`), https or a loopback http URL. */
  authorizationUrl: string;
  /** The OAuth client id the target issued for provisioning (`Oauth2ClientId`). */
  clientId: string;
  /** Where the target sends the browser back (`Oauth2RedirectUri`), exactly as registered at the target. */
  redirectUri: string;
  /** Space-separated scopes, when the target wants some. */
  scope?: string;
}

/** An authorization request: the URL to open in a browser, and the `state` to check the redirect against. */
export interface AuthorizationRequest {
  /** The authorization endpoint with `response_type=code`, `client_id`, `redirect_uri`, `scope` and `state`. */
  readonly url: string;
  /** A fresh random value (256 bits) that the redirect must bring back unchanged; keep it until then. */
  readonly state: string;
  /** The redirect URI the request names (needed again for the code exchange). */
  readonly redirectUri: string;
}

/**
 * Builds an OAuth 2.0 authorization request (RFC 6749 §4.1.1) for the target application: the
 * first half of what the Entra admin center's Authorize button does. Open `url` in the person's
 * browser; when the target redirects back, read the address with {@link readAuthorizationResponse}
 * and the same `state`. Parameters already in `authorizationUrl` (a tenant, say) are kept.
 *
 * @throws {@link AuthorizationFlowError} (`invalid-option`) for a missing or malformed option.
 */
export function createAuthorizationRequest(options: AuthorizationRequestOptions): AuthorizationRequest {
  const authorizationUrl = requireUrl("authorizationUrl", options.authorizationUrl, "the target's authorization endpoint, for example https://app.example.com/oauth/authorize");
  if (authorizationUrl.protocol !== "https:" && !isLoopbackHttp(authorizationUrl)) {
    throw new AuthorizationFlowError(
      "invalid-option",
      "authorizationUrl must be https (or http on 127.0.0.1, [::1] or localhost, for a local server such as the emulator): the person signs in there.",
    );
  }
  if (typeof options.clientId !== "string" || options.clientId.trim() === "") {
    throw new AuthorizationFlowError("invalid-option", "clientId is required: the OAuth client id the target application issued for provisioning.");
  }
  const redirectUri = requireUrl("redirectUri", options.redirectUri, "the redirect URI registered at the target, for example https://portal.azure.com/TokenAuthorize");
  if (redirectUri.hash !== "" || options.redirectUri.includes("#")) {
    throw new AuthorizationFlowError("invalid-option", "redirectUri must not have a fragment (#…) (RFC 6749 §3.1.2): use the URI exactly as registered at the target.");
  }
  const state = randomBytes(32).toString("base64url");
  authorizationUrl.searchParams.set("response_type", "code");
  authorizationUrl.searchParams.set("client_id", options.clientId);
  authorizationUrl.searchParams.set("redirect_uri", options.redirectUri);
  if (options.scope !== undefined && options.scope.trim() !== "") authorizationUrl.searchParams.set("scope", options.scope.trim());
  authorizationUrl.searchParams.set("state", state);
  return { url: authorizationUrl.toString(), state, redirectUri: options.redirectUri };
}

/** True for `http://127.0.0.1…`, `http://[::1]…` and `http://localhost…`. */
export function isLoopbackHttp(url: URL): boolean {
  const host = url.hostname.toLowerCase();
  return url.protocol === "http:" && (host === "localhost" || host === "[::1]" || /^127(\.\d{1,3}){3}$/.test(host));
}

function requireUrl(name: string, value: unknown, what: string): URL {
  if (typeof value !== "string" || value.trim() === "") throw new AuthorizationFlowError("invalid-option", `${name} is required: ${what}.`);
  if (!URL.canParse(value)) throw new AuthorizationFlowError("invalid-option", `${name} must be an absolute URL: ${what}.`);
  return new URL(value);
}
