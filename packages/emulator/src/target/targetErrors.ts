import type { HostFormat, RenderedResponse } from "../http/host.js";

/** An RFC 6749 §5.2 error answer of the target: HTTP status, OAuth `error` and its description. */
export class OAuthError extends Error {
  override readonly name = "OAuthError";
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(description);
  }
}

/** An {@link OAuthError} a browser asked about: answered with a page that explains it, not the JSON body. */
export class OAuthErrorPage extends OAuthError {
  constructor(
    error: OAuthError,
    readonly page: RenderedResponse,
  ) {
    super(error.status, error.error, error.description, error.headers);
  }
}

/**
 * The target's side of the host skeleton (http/host.ts): `{ error, error_description }`, never
 * cached, and for anything else `500 server_error`.
 */
export const targetFormat: HostFormat<undefined, OAuthError> = {
  name: "target",
  createContext: () => undefined,
  failureOf: (error) => (error instanceof OAuthError ? error : undefined),
  internalFailure: (error) => new OAuthError(500, "server_error", `The target failed: ${String(error)}`),
  errorCodeOf: (error) => error.error,
  render: (error) =>
    error instanceof OAuthErrorPage ? error.page : {
    status: error.status,
    headers: { ...error.headers, "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store" },
    body: JSON.stringify({ error: error.error, error_description: error.description }),
  },
};
