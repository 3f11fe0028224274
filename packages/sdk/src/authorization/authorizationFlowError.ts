/**
 * Why an authorization request could not be built, or a redirect could not be read:
 *
 * - `invalid-option`: an option of {@link createAuthorizationRequest} is missing or malformed.
 * - `not-a-url`: the redirect address is not an absolute URL (a partial copy, say).
 * - `wrong-redirect-uri`: the address is not at the redirect URI the request named.
 * - `state-mismatch`: its `state` is not the one of this request: it belongs to another sign-in,
 *   or was altered on the way.
 * - `error-response`: the authorization server answered with an error (RFC 6749 §4.1.2.1; see
 *   {@link AuthorizationFlowError.error}), `access_denied` when the person chose Deny.
 * - `missing-code`: the address has neither a code nor an error.
 */
export type AuthorizationFlowFailure = "invalid-option" | "not-a-url" | "wrong-redirect-uri" | "state-mismatch" | "error-response" | "missing-code";

/**
 * An authorization request that cannot be built or a redirect that does not carry a usable code.
 * The message says what to do. It never contains the authorization code or the address it came in
 * (which holds the code): only the server's `error` and a shortened `error_description`.
 */
export class AuthorizationFlowError extends Error {
  /** Always `AuthorizationFlowError`, which {@link isAuthorizationFlowError} also checks. */
  override readonly name = "AuthorizationFlowError";
  /** What went wrong, for code that reacts to it. */
  readonly reason: AuthorizationFlowFailure;
  /** The server's RFC 6749 `error` code, for `error-response` (`access_denied`, `invalid_scope`, …). */
  readonly error: string | undefined;
  /** The server's `error_description`, shortened and without control characters, when it sent one. */
  readonly errorDescription: string | undefined;

  constructor(reason: AuthorizationFlowFailure, message: string, details: { error?: string; errorDescription?: string } = {}) {
    super(message);
    this.reason = reason;
    this.error = details.error;
    this.errorDescription = details.errorDescription;
  }
}

/** True for an {@link AuthorizationFlowError}, also one from another copy of the SDK. */
export function isAuthorizationFlowError(error: unknown): error is AuthorizationFlowError {
  return error instanceof AuthorizationFlowError || (error instanceof Error && error.name === "AuthorizationFlowError" && "reason" in error);
}
