import { createHash, randomBytes, randomInt } from "node:crypto";
import { SignJWT } from "jose/jwt/sign";
import type { EmulatorClock } from "../clock.js";
import type { ClientApplicationRecord } from "../state/model.js";
import type { GraphResource } from "./graphResources.js";
import type { SigningKey } from "./signingKey.js";

/** Entra gives app-only tokens a random lifetime between 60 and 90 minutes. */
const minimumLifetimeInSeconds = 60 * 60;
const maximumLifetimeInSeconds = 90 * 60;

export interface IssuedAccessToken {
  accessToken: string;
  expiresInSeconds: number;
}

/** The `iss` of Graph's v1.0 app-only tokens, which the emulated Graph checks. */
export function accessTokenIssuer(tenantId: string): string {
  return `https://sts.windows.net/${tenantId}/`;
}

/**
 * Signs an app-only access token shaped like the ones Entra issues for Microsoft Graph (v1.0
 * format, RS256, `kid`/`x5t` naming the published key). Clients must treat it as opaque; only the
 * emulated Graph reads it.
 */
export async function issueAccessToken(options: {
  signingKey: SigningKey;
  clock: EmulatorClock;
  application: ClientApplicationRecord;
  resource: GraphResource;
}): Promise<IssuedAccessToken> {
  const { signingKey, clock, application, resource } = options;
  const issuedAt = Math.floor(clock() / 1000);
  const expiresInSeconds = randomInt(minimumLifetimeInSeconds, maximumLifetimeInSeconds);
  const issuer = accessTokenIssuer(application.tenantId);
  const claims: Record<string, unknown> = {
    aio: randomBytes(48).toString("base64"),
    app_displayname: application.displayName,
    appid: application.appId,
    appidacr: "1", // authenticated with a client secret
    idp: issuer,
    idtyp: "app",
    oid: application.servicePrincipalId,
    rh: `0.${randomBytes(24).toString("base64url")}.`,
    tid: application.tenantId,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
  };
  // Entra leaves `roles` out entirely when the app has been granted none.
  if (application.roles.length > 0) claims["roles"] = [...application.roles];
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: signingKey.kid, kid: signingKey.kid })
    .setAudience(resource)
    .setIssuer(issuer)
    .setSubject(application.servicePrincipalId)
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + expiresInSeconds)
    .sign(signingKey.privateKey);
  return { accessToken, expiresInSeconds };
}

/** The tenant Entra issues personal Microsoft accounts' tokens in (the "consumers" tenant). */
export const consumersTenantId = "9188040d-6c67-4c5b-b112-36a304b66dad";

/** The user a delegated token is issued to, as the token describes them. */
export interface SignedInUser {
  id: string;
  userPrincipalName: string;
  displayName: string;
  /** The user's tenant, or {@link consumersTenantId} for a personal Microsoft account. */
  tenantId: string;
  personalAccount: boolean;
  /** Role template ids (`wids`); Entra adds the member user role to every work account. */
  roleTemplateIds: string[];
}

/**
 * Signs a delegated access token for Microsoft Graph, shaped like Entra's v1.0 user tokens: `scp`
 * (space-separated permissions) instead of `roles`, the user's `oid`, `upn`, `name` and directory
 * roles as `wids`, `idtyp: user`, `appidacr: 0` (a public client).
 */
export async function issueDelegatedAccessToken(options: {
  signingKey: SigningKey;
  clock: EmulatorClock;
  application: ClientApplicationRecord;
  user: SignedInUser;
  resource: GraphResource;
  permissions: readonly string[];
}): Promise<IssuedAccessToken> {
  const { signingKey, clock, application, user, resource, permissions } = options;
  const issuedAt = Math.floor(clock() / 1000);
  const expiresInSeconds = randomInt(minimumLifetimeInSeconds, maximumLifetimeInSeconds);
  const issuer = accessTokenIssuer(user.tenantId);
  const claims: Record<string, unknown> = {
    acct: 0,
    acr: "1",
    aio: randomBytes(48).toString("base64"),
    amr: ["pwd"],
    app_displayname: application.displayName,
    appid: application.appId,
    appidacr: "0", // a public client: no client authentication
    idtyp: "user",
    name: user.displayName,
    oid: user.id,
    rh: `0.${randomBytes(24).toString("base64url")}.`,
    scp: permissions.join(" "),
    tid: user.tenantId,
    unique_name: user.userPrincipalName,
    upn: user.userPrincipalName,
    uti: randomBytes(16).toString("base64url"),
    ver: "1.0",
  };
  if (user.personalAccount) claims["idp"] = "live.com";
  // Entra leaves `wids` out when the user has no role at all (personal accounts).
  if (user.roleTemplateIds.length > 0) claims["wids"] = [...user.roleTemplateIds];
  const accessToken = await new SignJWT(claims)
    .setProtectedHeader({ typ: "JWT", alg: "RS256", x5t: signingKey.kid, kid: signingKey.kid })
    .setAudience(resource)
    .setIssuer(issuer)
    // Entra's `sub` is pairwise (per app); the emulator derives it from the user and the app.
    .setSubject(pairwiseSubject(user.id, application.appId))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + expiresInSeconds)
    .sign(signingKey.privateKey);
  return { accessToken, expiresInSeconds };
}

/**
 * The v2.0 ID token that comes with a delegated sign-in asking for `openid`: MSAL reads the account
 * from it (and from `client_info`). Its audience is the app, not Graph.
 */
export async function issueIdToken(options: {
  signingKey: SigningKey;
  clock: EmulatorClock;
  loginUrl: string;
  clientId: string;
  user: SignedInUser;
}): Promise<string> {
  const { signingKey, clock, loginUrl, clientId, user } = options;
  const issuedAt = Math.floor(clock() / 1000);
  return new SignJWT({
    name: user.displayName,
    oid: user.id,
    preferred_username: user.userPrincipalName,
    tid: user.tenantId,
    ver: "2.0",
  })
    .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: signingKey.kid })
    .setAudience(clientId)
    .setIssuer(`${loginUrl}/${user.tenantId}/v2.0`)
    .setSubject(pairwiseSubject(user.id, clientId))
    .setIssuedAt(issuedAt)
    .setNotBefore(issuedAt)
    .setExpirationTime(issuedAt + 60 * 60)
    .sign(signingKey.privateKey);
}

/** MSAL's `client_info`: base64url JSON naming the account (`uid`) and its home tenant (`utid`). */
export function clientInfoOf(user: SignedInUser): string {
  return Buffer.from(JSON.stringify({ uid: user.id, utid: user.tenantId }), "utf8").toString("base64url");
}

/** A stable pairwise subject: the same user and app always get the same `sub`. */
function pairwiseSubject(userId: string, appId: string): string {
  return createHash("sha256").update(`${userId}/${appId}`).digest("base64url").slice(0, 43);
}
