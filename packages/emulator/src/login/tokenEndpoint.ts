import type { IncomingMessage } from "node:http";
import type { EmulatorClock } from "../clock.js";
import { annotateRequest } from "../http/requestLog.js";
import type { TenantRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { issueAccessToken } from "../tokens/accessTokenIssuer.js";
import { resolveGraphScope } from "../tokens/graphResources.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { redeemDeviceCode, type DelegatedTokenResponseBody, type DeviceCodeFlowDependencies } from "./deviceCodeFlow.js";
import { presentedClient, requireValidSecret } from "./clientSecrets.js";
import { redeemRefreshToken } from "./delegatedTokens.js";
import { entraErrors } from "./loginErrors.js";
import { readOAuthForm, resolveTenant } from "./loginRequest.js";

export interface TokenEndpointDependencies {
  store: EmulatorStore;
  clock: EmulatorClock;
  signingKey: SigningKey;
}

/** Entra's successful client-credentials answer. */
export interface TokenResponseBody {
  token_type: "Bearer";
  expires_in: number;
  ext_expires_in: number;
  access_token: string;
}

/**
 * The device code grant's `grant_type`: RFC 8628's URN, and the short `device_code` that MSAL
 * sends and Entra accepts as well.
 */
const deviceCodeGrantTypes = new Set(["urn:ietf:params:oauth:grant-type:device_code", "device_code"]);

/**
 * `POST /{tenant}/oauth2/v2.0/token`: the client-credentials grant (app-only tokens), the device
 * code grant and the refresh-token grant (delegated tokens; see deviceCodeFlow.ts, delegatedTokens.ts). Throws {@link EntraError}s with Entra's codes
 * for everything else.
 */
export async function issueToken(
  request: IncomingMessage,
  tenantSegment: string,
  dependencies: TokenEndpointDependencies & DeviceCodeFlowDependencies,
): Promise<TokenResponseBody | DelegatedTokenResponseBody> {
  const tenant = resolveTenant(dependencies.store, tenantSegment, "invalid_request");
  annotateRequest(request, { tenantId: tenant.id });
  const form = await readOAuthForm(request);
  const grantType = form.get("grant_type");
  if (!grantType) throw entraErrors.missingParameter("grant_type");
  if (deviceCodeGrantTypes.has(grantType)) return redeemDeviceCode(request, form, tenant, dependencies);
  if (grantType === "refresh_token") return redeemRefreshToken(request, form, tenant, dependencies);
  if (grantType !== "client_credentials") throw entraErrors.unsupportedGrantType(grantType.slice(0, 100));
  return issueTokenForClientCredentials(request, form, tenant, dependencies);
}

/**
 * The client-credentials grant: the secret in the form body or in HTTP Basic, one `.default` scope
 * of a Graph resource, unknown extra fields (MSAL's telemetry) ignored.
 */
async function issueTokenForClientCredentials(
  request: IncomingMessage,
  form: URLSearchParams,
  tenant: TenantRecord,
  dependencies: TokenEndpointDependencies,
): Promise<TokenResponseBody> {
  const { store, clock } = dependencies;
  const credentials = presentedClient(request, form);
  const scope = form.get("scope");
  if (!scope) throw entraErrors.missingParameter("scope");

  const application = store.findClientApplication(tenant.id, credentials.clientId);
  if (!application) throw entraErrors.applicationNotFound(credentials.clientId.slice(0, 100), tenant.id);
  const resource = resolveGraphScope(scope);
  if (!resource) throw entraErrors.invalidScope(scope.slice(0, 200));

  if (form.has("client_assertion") && credentials.clientSecret === undefined) throw entraErrors.unregisteredCertificate();
  if (credentials.clientSecret === undefined) throw entraErrors.missingClientSecret();
  requireValidSecret(application, credentials.clientSecret, clock());

  const issued = await issueAccessToken({ signingKey: dependencies.signingKey, clock, application, resource });
  return {
    token_type: "Bearer",
    expires_in: issued.expiresInSeconds,
    ext_expires_in: issued.expiresInSeconds,
    access_token: issued.accessToken,
  };
}
