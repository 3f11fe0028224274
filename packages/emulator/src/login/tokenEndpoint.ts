import type { IncomingMessage } from "node:http";
import type { Clock } from "../clock.js";
import { mediaTypeOf } from "../http/mediaType.js";
import { presentedClientCredentials } from "../http/oauthClientAuthentication.js";
import { readRequestBody, RequestBodyTooLargeError } from "../http/requestBody.js";
import { annotateRequest } from "../log/requestLog.js";
import { secretsMatch } from "../security/secretsMatch.js";
import type { ClientApplicationRecord } from "../state/model.js";
import type { EmulatorStore } from "../state/store.js";
import { issueAccessToken } from "../tokens/accessTokenIssuer.js";
import { resolveGraphScope } from "../tokens/graphResources.js";
import type { SigningKey } from "../tokens/signingKey.js";
import { entraErrors } from "./entraErrors.js";
import { resolveTenant } from "./tenantResolution.js";

const maxTokenRequestInBytes = 64 * 1024;

export interface TokenEndpointDependencies {
  store: EmulatorStore;
  clock: Clock;
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
 * `POST /{tenant}/oauth2/v2.0/token` for the client-credentials grant: the secret in the form body
 * or in HTTP Basic, one `.default` scope of a Graph resource, unknown extra fields (MSAL's
 * telemetry) ignored. Throws {@link EntraError}s with Entra's codes for everything else.
 */
export async function issueTokenForClientCredentials(
  request: IncomingMessage,
  tenantSegment: string,
  dependencies: TokenEndpointDependencies,
): Promise<TokenResponseBody> {
  const { store, clock } = dependencies;
  const tenant = resolveTenant(store, tenantSegment, "invalid_request");
  annotateRequest(request, { tenantId: tenant.id });

  let body: Buffer;
  try {
    body = await readRequestBody(request, maxTokenRequestInBytes);
  } catch (error) {
    if (error instanceof RequestBodyTooLargeError) throw entraErrors.bodyTooLarge(error.limitInBytes);
    throw error;
  }
  // Entra reads only form bodies; anything else reads as a request without parameters.
  const form =
    mediaTypeOf(request.headers["content-type"]) === "application/x-www-form-urlencoded"
      ? new URLSearchParams(body.toString("utf8"))
      : new URLSearchParams();

  const grantType = form.get("grant_type");
  if (!grantType) throw entraErrors.missingParameter("grant_type");
  if (grantType !== "client_credentials") throw entraErrors.unsupportedGrantType(grantType.slice(0, 100));

  const credentials = presentedClientCredentials(form, request.headers);
  if (!credentials.clientId) throw entraErrors.missingParameter("client_id");
  annotateRequest(request, { appId: credentials.clientId.slice(0, 100) });
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

/** A secret matches one of the app's secrets, and that one has not expired. */
function requireValidSecret(application: ClientApplicationRecord, presented: string, now: number): void {
  // Compare against every secret, so timing does not reveal which one matched.
  const matches = application.secrets.filter((secret) => secretsMatch(presented, secret.value));
  if (matches.length === 0) throw entraErrors.invalidClientSecret(application.appId);
  if (matches.every((secret) => Date.parse(secret.endDateTime) <= now)) throw entraErrors.expiredClientSecret(application.appId);
}
