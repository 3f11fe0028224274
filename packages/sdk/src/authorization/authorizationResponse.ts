import { AuthorizationFlowError } from "./authorizationFlowError.js";

/** What the redirect must match: the request's `state`, and where it was told to send the browser. */
export interface ExpectedAuthorizationResponse {
  /** The `state` of the {@link AuthorizationRequest} this redirect answers. */
  state: string;
  /** The request's redirect URI: the address must be at it (same origin and path; any port for a loopback one). */
  redirectUri?: string;
}

/** A successful authorization response: the single-use code to exchange (`Oauth2AuthorizationCode`). */
export interface AuthorizationResponse {
  /** The code from the redirect: a secret until it is spent; pass it on, never log it. */
  readonly code: string;
}

/** What to do about each error of RFC 6749 §4.1.2.1. */
const whatToDo: Readonly<Record<string, string>> = {
  access_denied: "The person (or the target's policy) declined. Start again and choose Allow, or ask the target's administrator to grant access.",
  invalid_request: "The target rejected the request as malformed. Check the authorization URL, client id and redirect URI against the target's documentation.",
  unauthorized_client: "The target does not let this client use the authorization code flow. Ask the target's administrator to enable it for the client id.",
  unsupported_response_type: "The target does not issue authorization codes at this endpoint. Check that the authorization URL is the target's OAuth authorization endpoint.",
  invalid_scope: "The target does not accept the requested scope. Change --scope (or the scope option) to one the target documents, or leave it out.",
  server_error: "The target failed while handling the request. Try again later; if it persists, tell the target's support.",
  temporarily_unavailable: "The target is overloaded or in maintenance. Try again in a few minutes.",
};

/**
 * Reads the address the target redirected the browser to (RFC 6749 §4.1.2): the code, once the
 * `state` is checked against the request's. The second half of the Authorize button, for an
 * application that receives the redirect itself (a loopback listener, a web app's callback).
 * Surrounding whitespace and quotes (from a paste) are ignored.
 *
 * @throws {@link AuthorizationFlowError}: `not-a-url`, `wrong-redirect-uri`, `state-mismatch`,
 * `error-response` (with the server's `error` and `error_description`, `access_denied` when the
 * person chose Deny) or `missing-code`; the message says what to do and never holds the code.
 */
export function readAuthorizationResponse(redirectedTo: string | URL, expected: ExpectedAuthorizationResponse): AuthorizationResponse {
  const text = typeof redirectedTo === "string" ? redirectedTo.trim().replace(/^["'<]+|["'>]+$/g, "") : redirectedTo.toString();
  if (!URL.canParse(text)) {
    throw new AuthorizationFlowError(
      "not-a-url",
      "That is not a whole web address. Copy the complete address from the browser's address bar after the redirect (it starts with https:// or http:// and contains ?code=).",
    );
  }
  const url = new URL(text);
  if (expected.redirectUri !== undefined && !atRedirectUri(url, expected.redirectUri)) {
    throw new AuthorizationFlowError(
      "wrong-redirect-uri",
      `That address is not at the redirect URI of this request (${describe(expected.redirectUri)}). Copy the address of the page the target sent the browser to after Allow.`,
    );
  }
  const parameters = responseParameters(url);
  const state = parameters.get("state");
  if (state !== expected.state) {
    throw new AuthorizationFlowError(
      "state-mismatch",
      state === null
        ? "The redirect has no state, so it cannot be told apart from one made for someone else. Start the authorization again and use the address it ends on."
        : "The redirect's state is not the one of this request: it belongs to another sign-in or was altered. Start the authorization again and use the address that sign-in ends on.",
    );
  }
  const error = parameters.get("error");
  if (error !== null) {
    const shownError = printable(error, 64);
    const description = parameters.get("error_description");
    const shownDescription = description === null ? undefined : printable(description, 300);
    throw new AuthorizationFlowError(
      "error-response",
      `The target answered ${shownError}${shownDescription ? ` ("${shownDescription}")` : ""}. ${whatToDo[error] ?? "See the target's documentation for this error, then start again."}`,
      { error: shownError, ...(shownDescription !== undefined && { errorDescription: shownDescription }) },
    );
  }
  const code = parameters.get("code");
  if (code === null || code === "") {
    throw new AuthorizationFlowError(
      "missing-code",
      "That address has no authorization code (no code= in it). Copy the address the browser shows after choosing Allow at the target, not the one you opened.",
    );
  }
  return { code };
}

/** The query's parameters; a fragment's when the query has none of the response's (some servers answer there). */
function responseParameters(url: URL): URLSearchParams {
  const query = url.searchParams;
  if (query.has("code") || query.has("error") || query.has("state")) return query;
  const fragment = new URLSearchParams(url.hash.slice(1));
  return fragment.has("code") || fragment.has("error") || fragment.has("state") ? fragment : query;
}

function atRedirectUri(url: URL, redirectUri: string): boolean {
  if (!URL.canParse(redirectUri)) return false;
  const expected = new URL(redirectUri);
  const loopback = expected.protocol === "http:" && ["127.0.0.1", "localhost", "[::1]"].includes(expected.hostname);
  const sameOrigin = loopback
    ? url.protocol === expected.protocol && url.hostname === expected.hostname
    : url.origin === expected.origin;
  return sameOrigin && url.pathname === expected.pathname;
}

function describe(redirectUri: string): string {
  return URL.canParse(redirectUri) ? `${new URL(redirectUri).origin}${new URL(redirectUri).pathname}` : "unparseable";
}

function printable(value: string, maxLength: number): string {
  const cleaned = value.replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ").trim();
  return cleaned.length > maxLength ? `${cleaned.slice(0, maxLength)}…` : cleaned;
}
