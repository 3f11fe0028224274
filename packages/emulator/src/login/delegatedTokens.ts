import type { IncomingMessage } from "node:http";
import { jwtVerify } from "jose/jwt/verify";
import { SignJWT } from "jose/jwt/sign";
import type { EmulatorClock } from "../clock.js";
import { memberUserRoleTemplateId } from "../state/directoryRoles.js";
import type { ClientApplicationRecord, TenantRecord, UserRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import {
  clientInfoOf,
  consumersTenantId,
  issueDelegatedAccessToken,
  issueIdToken,
  type SignedInUser,
} from "../tokens/accessTokenIssuer.js";
import type { DelegatedScopeRequest } from "../tokens/graphResources.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { authenticatePublicOrConfidentialClient, presentedClient } from "./clientSecrets.js";
import { EntraError, entraErrors } from "./loginErrors.js";

/** Entra's refresh tokens for public clients live 90 days. */
const refreshTokenLifetimeInSeconds = 90 * 24 * 60 * 60;
/** Marks the emulator's refresh tokens, so that no access or ID token can be presented as one. */
const refreshTokenAudience = "urn:graph-sync-emulator:refresh-token";

export interface DelegatedTokenDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  signingKey: SigningKey;
  loginUrl: () => string;
}

/** Entra's successful answer to a delegated token request. */
export interface DelegatedTokenResponseBody {
  token_type: "Bearer";
  scope: string;
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
  refresh_token: string;
  id_token?: string;
  client_info: string;
}

/**
 * The tokens of a delegated sign-in: the access token for Graph (with what the user consented the
 * app to), an ID token when `openid` was asked for, MSAL's `client_info`, and a refresh token.
 */
export async function issueDelegatedTokens(
  application: ClientApplicationRecord,
  user: UserRecord,
  scope: DelegatedScopeRequest,
  dependencies: DelegatedTokenDependencies,
): Promise<DelegatedTokenResponseBody> {
  const { signingKey, clock } = dependencies;
  const permissions = grantedPermissions(application, scope);
  const signedIn = signedInUser(user);
  const issued = await issueDelegatedAccessToken({ signingKey, clock, application, user: signedIn, resource: scope.resource, permissions });
  const answer: DelegatedTokenResponseBody = {
    token_type: "Bearer",
    scope: [...permissions, ...scope.openIdScopes].join(" "),
    expires_in: issued.expiresInSeconds,
    ext_expires_in: issued.expiresInSeconds,
    access_token: issued.accessToken,
    refresh_token: await issueRefreshToken(application, user, scope, dependencies),
    client_info: clientInfoOf(signedIn),
  };
  if (scope.openIdScopes.includes("openid")) {
    answer.id_token = await issueIdToken({ signingKey, clock, loginUrl: dependencies.loginUrl(), clientId: application.appId, user: signedIn });
  }
  return answer;
}

/**
 * The token endpoint's refresh-token grant, which MSAL uses for silent sign-in when no cached access
 * token matches. The emulator's refresh tokens are signed, self-contained records of the sign-in
 * (user, app, tenant, what was asked for), so none has to be stored; clients treat them as opaque.
 * The user and the app are looked up again, so role and consent changes take effect.
 */
export async function redeemRefreshToken(
  request: IncomingMessage,
  form: URLSearchParams,
  tenant: TenantRecord,
  dependencies: DelegatedTokenDependencies,
): Promise<DelegatedTokenResponseBody> {
  const { store, clock } = dependencies;
  const credentials = presentedClient(request, form);
  const presented = form.get("refresh_token");
  if (!presented) throw entraErrors.missingParameter("refresh_token");
  const application = store.findClientApplication(tenant.id, credentials.clientId);
  if (!application) throw entraErrors.applicationNotFound(credentials.clientId.slice(0, 100), tenant.id);
  authenticatePublicOrConfidentialClient(application, credentials.clientSecret, clock());

  let claims: Record<string, unknown>;
  try {
    ({ payload: claims } = await jwtVerify(presented, dependencies.signingKey.publicKey, {
      algorithms: ["RS256"],
      audience: refreshTokenAudience,
      currentDate: new Date(clock()),
    }));
  } catch {
    throw invalidRefreshToken();
  }
  const scope = claims["scope"] as DelegatedScopeRequest | undefined;
  if (claims["tid"] !== tenant.id || typeof claims["appid"] !== "string" || claims["appid"].toLowerCase() !== application.appId.toLowerCase() || !scope) {
    throw invalidRefreshToken();
  }
  const user = typeof claims["sub"] === "string" ? store.findUser(tenant.id, claims["sub"]) : undefined;
  if (!user) throw invalidRefreshToken();
  return issueDelegatedTokens(application, user, scope, dependencies);
}

async function issueRefreshToken(
  application: ClientApplicationRecord,
  user: UserRecord,
  scope: DelegatedScopeRequest,
  dependencies: DelegatedTokenDependencies,
): Promise<string> {
  const issuedAt = Math.floor(dependencies.clock() / 1000);
  return new SignJWT({ tid: user.tenantId, appid: application.appId, scope: { ...scope } })
    .setProtectedHeader({ alg: "RS256", kid: dependencies.signingKey.kid })
    .setAudience(refreshTokenAudience)
    .setSubject(user.id)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + refreshTokenLifetimeInSeconds)
    .sign(dependencies.signingKey.privateKey);
}

function invalidRefreshToken(): EntraError {
  return new EntraError(400, "invalid_grant", 9002313, "Invalid request. Request is malformed or invalid.");
}

/**
 * What the token grants: for `.default`, every delegated permission consented for the app; for
 * explicit permissions, those, each of which must be consented (the emulator has no consent
 * prompt). Nothing consented is AADSTS65001, as Entra answers.
 */
function grantedPermissions(application: ClientApplicationRecord, scope: DelegatedScopeRequest): string[] {
  const consented = application.delegatedPermissions ?? [];
  const consentedLower = new Set(consented.map((permission) => permission.toLowerCase()));
  const granted = scope.allConsented ? consented : scope.permissions;
  if (granted.length === 0 || granted.some((permission) => !consentedLower.has(permission.toLowerCase()))) {
    throw entraErrors.consentRequired(application.appId, application.displayName);
  }
  return [...granted];
}

function signedInUser(user: UserRecord): SignedInUser {
  const personalAccount = user.personalAccount === true;
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: user.displayName,
    tenantId: personalAccount ? consumersTenantId : user.tenantId,
    personalAccount,
    roleTemplateIds: personalAccount ? [] : [...user.directoryRoleTemplateIds, memberUserRoleTemplateId],
  };
}
