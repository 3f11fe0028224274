import type { JWTPayload } from "jose";
import * as errors from "jose/errors";
import { jwtVerify } from "jose/jwt/verify";
import type { EmulatorClock } from "../clock.js";
import { accessTokenIssuer, consumersTenantId } from "./accessTokenIssuer.js";
import { isGraphAudience } from "./graphResources.js";
import type { SigningKey } from "./signingKey.js";

/** Graph tolerates this much clock skew, like the identity libraries it is built on. */
const clockSkewInSeconds = 300;
/**
 * The longest an Entra access token lives (a continuous-access-evaluation token: 28 hours). Setting
 * it makes the verifier also refuse an `iat` in the future, which no token Entra issued has.
 */
const maxTokenAgeInSeconds = 28 * 60 * 60;

/** The app a valid app-only token speaks for. */
export interface AppOnlyPrincipal {
  kind: "app";
  tenantId: string;
  appId: string;
  /** `oid`: the object id of the app's service principal. */
  servicePrincipalId: string;
  roles: string[];
}

/** The signed-in user (and the app acting for them) a valid delegated token speaks for. */
export interface DelegatedPrincipal {
  kind: "user";
  /** `tid`: the user's tenant, or the consumers tenant for a personal Microsoft account. */
  tenantId: string;
  /** The app the user signed in to. */
  appId: string;
  /** `oid`: the user's object id. */
  userId: string;
  userPrincipalName: string;
  /** `scp`, split. */
  scopes: string[];
  /** `wids`: the role template ids of the user's directory roles. */
  roleTemplateIds: string[];
  personalAccount: boolean;
}

/** Whoever a valid Graph token speaks for. */
export type GraphCaller = AppOnlyPrincipal | DelegatedPrincipal;

/** Why a bearer token was refused. */
export type TokenRejectionReason =
  | "missing"
  | "malformed"
  | "signature"
  | "expired"
  | "notYetValid"
  | "lifetimeMissing"
  | "audience"
  | "issuer"
  | "claims";

export type TokenVerification =
  | { valid: true; principal: GraphCaller }
  | { valid: false; reason: TokenRejectionReason };

/**
 * Checks a bearer token the way Graph does: signature against the login host's key, lifetime (`exp`,
 * `iat` and `nbf` present, `iat` not in the future), audience (any Graph resource), issuer matching
 * a tenant the emulator knows (or the consumers tenant of personal accounts), and claims of an
 * app-only token (`roles`) or a delegated one (`scp`).
 */
export async function verifyAccessToken(
  token: string,
  options: { signingKey: SigningKey; clock: EmulatorClock; tenantExists: (tenantId: string) => boolean },
): Promise<TokenVerification> {
  if (token === "") return { valid: false, reason: "missing" };
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, options.signingKey.publicKey, {
      algorithms: ["RS256"],
      currentDate: new Date(options.clock()),
      clockTolerance: clockSkewInSeconds,
      maxTokenAge: maxTokenAgeInSeconds,
      // Entra-issued tokens always carry all three; a token without an expiry would be valid forever.
      requiredClaims: ["exp", "iat", "nbf"],
    }));
  } catch (error) {
    return { valid: false, reason: rejectionReasonOf(error) };
  }
  const audiences = typeof payload.aud === "string" ? [payload.aud] : (payload.aud ?? []);
  if (audiences.length !== 1 || !isGraphAudience(audiences[0]!)) return { valid: false, reason: "audience" };
  const tenantId = payload["tid"];
  if (
    typeof tenantId !== "string" ||
    payload.iss !== accessTokenIssuer(tenantId) ||
    !(options.tenantExists(tenantId) || tenantId === consumersTenantId)
  ) {
    return { valid: false, reason: "issuer" };
  }
  const principal = callerOf(payload, tenantId);
  return principal ? { valid: true, principal } : { valid: false, reason: "claims" };
}

/** The caller a verified token names: `scp` makes it delegated, `idtyp: app` app-only. */
function callerOf(payload: JWTPayload, tenantId: string): GraphCaller | undefined {
  const appId = payload["appid"];
  const oid = payload["oid"];
  if (typeof appId !== "string" || typeof oid !== "string") return undefined;
  const scp = payload["scp"];
  if (typeof scp === "string") {
    const wids = payload["wids"] ?? [];
    const upn = payload["upn"] ?? payload["unique_name"] ?? "";
    if (!isStringList(wids) || typeof upn !== "string") return undefined;
    return {
      kind: "user",
      tenantId,
      appId,
      userId: oid,
      userPrincipalName: upn,
      scopes: scp.split(" ").filter((scope) => scope !== ""),
      roleTemplateIds: wids.map((id) => id.toLowerCase()),
      personalAccount: tenantId === consumersTenantId,
    };
  }
  const roles = payload["roles"] ?? [];
  if (payload["idtyp"] !== "app" || !isStringList(roles) || tenantId === consumersTenantId) return undefined;
  return { kind: "app", tenantId, appId, servicePrincipalId: oid, roles };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === "string");
}

function rejectionReasonOf(error: unknown): TokenRejectionReason {
  if (error instanceof errors.JWTClaimValidationFailed && error.reason === "missing" && ["exp", "iat", "nbf"].includes(error.claim)) {
    return "lifetimeMissing";
  }
  if (error instanceof errors.JWTExpired) return "expired";
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "nbf") return "notYetValid";
  if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iat") return "notYetValid";
  if (error instanceof errors.JWSSignatureVerificationFailed) return "signature";
  // An unexpected algorithm or a key the token names but we do not have fails like a bad signature.
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JWKSNoMatchingKey) return "signature";
  return "malformed";
}
