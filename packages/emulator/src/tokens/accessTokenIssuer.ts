import { randomBytes, randomInt } from "node:crypto";
import { SignJWT } from "jose/jwt/sign";
import type { Clock } from "../clock.js";
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
  clock: Clock;
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
