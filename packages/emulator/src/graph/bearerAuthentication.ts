import type { IncomingHttpHeaders } from "node:http";
import type { GraphCaller, TokenRejectionReason, TokenVerification } from "../tokens/accessTokenVerifier.js";
import { GraphError } from "./graphErrors.js";

/** Graph's application id, named in its `WWW-Authenticate` challenge. */
const graphApplicationId = "00000003-0000-0000-c000-000000000000";

/** Graph's messages for each way a token fails validation. */
const rejectionMessages: Readonly<Record<TokenRejectionReason, string>> = {
  missing: "Access token is empty.",
  malformed: "CompactToken parsing failed with error code: 80049217",
  signature: "Access token validation failure. Invalid signature.",
  expired: "Lifetime validation failed, the token is expired.",
  notYetValid: "Lifetime validation failed, the token is not yet valid.",
  lifetimeMissing: "Lifetime validation failed, the token has no exp, iat or nbf claim.",
  audience: "Access token validation failure. Invalid audience.",
  issuer: "Access token validation failure. Invalid issuer.",
  claims: "Access token validation failure. The token is neither an app-only token (idtyp app) nor a delegated one (scp).",
};

/** The bearer token of a request, or "" when there is none. */
export function bearerTokenOf(headers: IncomingHttpHeaders): string {
  const match = /^Bearer\s+(\S*)\s*$/i.exec(headers.authorization ?? "");
  return match?.[1] ?? "";
}

/**
 * Returns the caller, or throws Graph's 401 `InvalidAuthenticationToken` with the challenge that
 * tells clients where to get a token.
 */
export function requireCaller(verification: TokenVerification, loginUrl: string): GraphCaller {
  if (verification.valid) return verification.principal;
  throw new GraphError(401, "InvalidAuthenticationToken", rejectionMessages[verification.reason], {
    "WWW-Authenticate": `Bearer realm="", authorization_uri="${loginUrl}/common/oauth2/authorize", client_id="${graphApplicationId}"`,
  });
}
