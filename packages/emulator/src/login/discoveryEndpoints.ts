import type { TenantRecord } from "../state/model.js";
import type { SigningKey } from "../tokens/signingKey.js";

/**
 * The tenant's OpenID Connect discovery document, every endpoint pointing back at the emulator.
 * MSAL and @azure/identity read `token_endpoint` (and check `issuer`, `authorization_endpoint`,
 * `jwks_uri` are present); the rest mirrors what Entra publishes.
 */
export function openIdConfiguration(loginUrl: string, tenant: TenantRecord, graphHost: string): Record<string, unknown> {
  const base = `${loginUrl}/${tenant.id}`;
  return {
    token_endpoint: `${base}/oauth2/v2.0/token`,
    token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
    jwks_uri: `${base}/discovery/v2.0/keys`,
    response_modes_supported: ["query", "fragment", "form_post"],
    subject_types_supported: ["pairwise"],
    id_token_signing_alg_values_supported: ["RS256"],
    response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
    scopes_supported: ["openid", "profile", "email", "offline_access"],
    issuer: `${base}/v2.0`,
    request_uri_parameter_supported: false,
    userinfo_endpoint: `${graphHost}/oidc/userinfo`,
    authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
    device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
    http_logout_supported: true,
    frontchannel_logout_supported: true,
    end_session_endpoint: `${base}/oauth2/v2.0/logout`,
    claims_supported: ["sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name", "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"],
    kerberos_endpoint: `${base}/kerberos`,
    tenant_region_scope: "WW",
    cloud_instance_name: "microsoftonline.com",
    cloud_graph_host_name: "graph.windows.net",
    msgraph_host: new URL(graphHost).host,
    rbac_url: "https://pas.windows.net",
  };
}

/** The tenant's JSON Web Key Set: the one key access tokens are signed with. */
export function jsonWebKeySet(loginUrl: string, tenant: TenantRecord, signingKey: SigningKey): Record<string, unknown> {
  return { keys: [{ ...signingKey.publicJwk, issuer: `${loginUrl}/${tenant.id}/v2.0` }] };
}
