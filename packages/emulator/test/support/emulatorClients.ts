import type { RunningEmulator } from "../../src/index.js";
import { send, type RawResponse } from "./httpClient.js";

/** The Graph scope of the global cloud. */
export const graphScope = "https://graph.microsoft.com/.default";

/** A client-credentials token request to the emulated login host, raw. */
export function requestToken(
  emulator: Pick<RunningEmulator, "loginUrl" | "caCertPem">,
  form: Record<string, string>,
  options: { tenant: string; headers?: Record<string, string> },
): Promise<RawResponse> {
  return send(`${emulator.loginUrl}/${options.tenant}/oauth2/v2.0/token`, {
    method: "POST",
    ca: emulator.caCertPem,
    headers: { "Content-Type": "application/x-www-form-urlencoded", ...options.headers },
    body: new URLSearchParams(form).toString(),
  });
}

/** Gets an access token for an app (default: the demo app) or fails the test. */
export async function getAccessToken(
  emulator: RunningEmulator,
  app: { tenantId?: string; clientId?: string; clientSecret?: string; scope?: string } = {},
): Promise<string> {
  const response = await requestToken(
    emulator,
    {
      grant_type: "client_credentials",
      client_id: app.clientId ?? emulator.clientId,
      client_secret: app.clientSecret ?? emulator.clientSecret,
      scope: app.scope ?? graphScope,
    },
    { tenant: app.tenantId ?? emulator.tenantId },
  );
  if (response.status !== 200) throw new Error(`token request failed: ${response.status} ${response.body}`);
  return (JSON.parse(response.body) as { access_token: string }).access_token;
}

/** The action URL for an object. */
export function actionUrl(
  emulator: Pick<RunningEmulator, "graphUrl">,
  kind: "applications" | "servicePrincipals",
  id: string,
  version: "v1.0" | "beta" = "v1.0",
): string {
  return `${emulator.graphUrl}/${version}/${kind}/${encodeURIComponent(id)}/synchronization/acquireAccessToken`;
}

/** The credentials body for a code, with the demo target's redirect URI. */
export function credentialsFor(code: string, extra: Array<{ key: string; value: string | null }> = []) {
  return { credentials: [{ key: "Oauth2AuthorizationCode", value: code }, ...extra] };
}

/** Calls the action with a bearer token and a JSON body. */
export function callAction(url: string, token: string, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(url, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** A device authorization request to the emulated login host, raw. */
export function requestDeviceCode(
  emulator: Pick<RunningEmulator, "loginUrl" | "caCertPem">,
  form: Record<string, string>,
  tenant: string,
): Promise<RawResponse> {
  return send(`${emulator.loginUrl}/${tenant}/oauth2/v2.0/devicecode`, {
    method: "POST",
    ca: emulator.caCertPem,
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form).toString(),
  });
}

/** Polls the token endpoint once with a device code. */
export function pollDeviceCode(emulator: RunningEmulator, deviceCode: string, app: { tenantId?: string; clientId?: string } = {}): Promise<RawResponse> {
  return requestToken(
    emulator,
    { grant_type: "urn:ietf:params:oauth:grant-type:device_code", client_id: app.clientId ?? emulator.clientId, device_code: deviceCode },
    { tenant: app.tenantId ?? emulator.tenantId },
  );
}

/**
 * A delegated token by the device code flow over raw HTTP: asks for a code, has `user` approve it
 * through the admin API, and polls once. Default: the demo app and its administrator.
 */
export async function getDelegatedToken(
  emulator: RunningEmulator,
  options: { user?: string; tenantId?: string; clientId?: string; scope?: string } = {},
): Promise<string> {
  const tenant = options.tenantId ?? emulator.tenantId;
  const clientId = options.clientId ?? emulator.clientId;
  const started = await requestDeviceCode(emulator, { client_id: clientId, scope: options.scope ?? `${graphScope} openid profile offline_access` }, tenant);
  if (started.status !== 200) throw new Error(`device code request failed: ${started.status} ${started.body}`);
  const { user_code: userCode, device_code: deviceCode } = JSON.parse(started.body) as { user_code: string; device_code: string };
  await emulator.admin.approveDeviceCode(userCode, options.user ?? emulator.adminUserPrincipalName);
  const response = await pollDeviceCode(emulator, deviceCode, { tenantId: tenant, clientId });
  if (response.status !== 200) throw new Error(`device code redemption failed: ${response.status} ${response.body}`);
  return (JSON.parse(response.body) as { access_token: string }).access_token;
}
