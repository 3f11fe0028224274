// Proof that clients nobody here wrote work against the emulator unchanged: each gets a token from
// the emulated Entra ID, calls the action on the emulated Graph for real, and the admin state then
// shows what the action stored (masked).
import { fileURLToPath } from "node:url";
import { ClientSecretCredential, DeviceCodeCredential, type DeviceCodeInfo } from "@azure/identity";
import { createGraphSyncClient, type ODataError } from "@graph-sync/client";
import {
  AllowedHostsValidator,
  BaseBearerTokenAuthenticationProvider,
  type AccessTokenProvider,
} from "@microsoft/kiota-abstractions";
import { FetchRequestAdapter } from "@microsoft/kiota-http-fetchlibrary";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEmulator, type MaskedSynchronizationObject, type RunningEmulator } from "../src/index.js";
import { runNodeScript } from "./support/childProcess.js";
import { actionUrl } from "./support/emulatorClients.js";

const graphScope = "https://graph.microsoft.com/.default";
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.admin.reset());

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

/** The demo service principal as the admin API shows it. */
async function demoServicePrincipal(): Promise<MaskedSynchronizationObject> {
  const state = await emulator.admin.state();
  const found = state.servicePrincipals.find((object) => object.id === emulator.servicePrincipalId);
  if (!found) throw new Error("demo service principal missing");
  return found;
}

/** Calls the action for the demo service principal with a fresh code, as the bearer of `accessToken`. */
async function authorizeDemoServicePrincipal(accessToken: string): Promise<Response> {
  const code = await emulator.getAuthorizationCode();
  return fetch(actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId), {
    method: "POST",
    headers: { Authorization: `Bearer ${accessToken}`, "Content-Type": "application/json" },
    body: JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] }),
  });
}

/** Asserts the action stored the target's tokens, masked, and the creation time in clear. */
async function expectTokensStored(acquisitions: number): Promise<void> {
  const object = await demoServicePrincipal();
  expect(object.tokenAcquisitions).toBe(acquisitions);
  const byKey = new Map(object.secrets.map((secret) => [secret.key, secret]));
  expect(byKey.get("Oauth2AccessToken")).toEqual({ key: "Oauth2AccessToken", value: "********", valueFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) });
  expect(byKey.get("Oauth2RefreshToken")).toEqual({ key: "Oauth2RefreshToken", value: "********", valueFingerprint: expect.stringMatching(/^sha256:[0-9a-f]{12}$/) });
  const created = byKey.get("Oauth2AccessTokenCreationTime")?.value;
  expect(Number.isNaN(Date.parse(String(created)))).toBe(false);
  expect(byKey.has("Oauth2AuthorizationCode")).toBe(false);
  expect(JSON.stringify(await emulator.admin.state())).not.toContain(emulator.clientSecret);
}

describe("@azure/identity ClientSecretCredential", () => {
  it("gets a token through discovery and the token endpoint, and the token works on Graph", async () => {
    await emulator.admin.clearRequests();
    const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, emulator.clientSecret, {
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      // core-rest-pipeline's TLS settings: trust the emulator's CA for this client only.
      tlsOptions: { ca: emulator.caCertPem },
    });
    const token = await credential.getToken(graphScope);
    expect(token.expiresOnTimestamp - Date.now()).toBeGreaterThan(55 * 60 * 1000);

    // Exactly what the reference says identity does with disableInstanceDiscovery.
    const loginRequests = (await emulator.admin.requests()).filter((entry) => entry.area === "login");
    expect(loginRequests.map((entry) => `${entry.method} ${entry.path} ${entry.status}`)).toEqual([
      `GET /${emulator.tenantId}/v2.0/.well-known/openid-configuration 200`,
      `POST /${emulator.tenantId}/oauth2/v2.0/token 200`,
    ]);

    expect((await authorizeDemoServicePrincipal(token.token)).status).toBe(204);
    await expectTokensStored(1);
  });

  it("surfaces Entra's error for a wrong secret", async () => {
    const credential = new ClientSecretCredential(emulator.tenantId, emulator.clientId, "wrong-secret", {
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertPem },
    });
    await expect(credential.getToken(graphScope)).rejects.toThrow(/AADSTS7000215/);
  });
});

describe("@azure/msal-node ConfidentialClientApplication", () => {
  it("gets (and caches) a token, which works on Graph", async () => {
    const code = await emulator.getAuthorizationCode();
    const result = await runNodeScript(fixture("msalClientCredentials.mjs"), {
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      LOGIN_URL: emulator.loginUrl,
      TENANT_ID: emulator.tenantId,
      CLIENT_ID: emulator.clientId,
      CLIENT_SECRET: emulator.clientSecret,
      ACTION_URL: actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId),
      CODE: code,
    });
    // expires_in well above MSAL's 300 s refresh margin: the second call is served from the cache.
    expect(result).toEqual({ tokenType: "Bearer", fromCache: true, sameToken: true, status: 204 });
    await expectTokensStored(1);
  });
});

describe("delegated sign-in by device code", () => {
  beforeEach(() => emulator.admin.setAccess({ autoApproveDeviceCodes: emulator.adminUserPrincipalName }));
  afterEach(() => emulator.admin.setAccess({}));

  it("@azure/identity DeviceCodeCredential gets a delegated token, which works on Graph", async () => {
    const prompts: DeviceCodeInfo[] = [];
    const credential = new DeviceCodeCredential({
      tenantId: emulator.tenantId,
      clientId: emulator.clientId,
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertPem },
      userPromptCallback: (info) => {
        prompts.push(info);
      },
    });
    const token = await credential.getToken(graphScope);
    expect(prompts).toMatchObject([
      {
        userCode: expect.stringMatching(/^[A-Z2-9]{9}$/),
        verificationUri: `${emulator.loginUrl}/devicelogin`,
        message: expect.stringContaining(`${emulator.loginUrl}/devicelogin`),
      },
    ]);
    expect((await authorizeDemoServicePrincipal(token.token)).status).toBe(204);
    await expectTokensStored(1);
    // The second call is served from MSAL's cache: no second prompt.
    await credential.getToken(graphScope);
    expect(prompts).toHaveLength(1);
  });

  it("@azure/msal-node PublicClientApplication.acquireTokenByDeviceCode signs in, refreshes silently, and the token works on Graph", async () => {
    const code = await emulator.getAuthorizationCode();
    const result = await runNodeScript(fixture("msalDeviceCode.mjs"), {
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      LOGIN_URL: emulator.loginUrl,
      TENANT_ID: emulator.tenantId,
      CLIENT_ID: emulator.clientId,
      ACTION_URL: actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId),
      CODE: code,
    });
    expect(result).toEqual({
      prompt: { userCode: expect.stringMatching(/^[A-Z2-9]{9}$/), verificationUri: `${emulator.loginUrl}/devicelogin`, message: expect.any(String) },
      username: emulator.adminUserPrincipalName,
      tenantId: emulator.tenantId,
      scopes: expect.arrayContaining(["Synchronization.ReadWrite.All"]),
      // The cached token lists the granted permissions, not `.default`, so MSAL's silent call
      // redeems the refresh token (the emulator serves that grant) instead of reading its cache.
      silent: { fromCache: false, username: emulator.adminUserPrincipalName },
      status: 204,
    });
    await expectTokensStored(1);
  });
});

describe("@microsoft/microsoft-graph-client", () => {
  it("calls the action through Client.init with an authProvider, and reports a reused code", async () => {
    const code = await emulator.getAuthorizationCode();
    const result = await runNodeScript(fixture("graphClientAction.mjs"), {
      NODE_EXTRA_CA_CERTS: emulator.caCertPath,
      LOGIN_URL: emulator.loginUrl,
      TENANT_ID: emulator.tenantId,
      CLIENT_ID: emulator.clientId,
      CLIENT_SECRET: emulator.clientSecret,
      GRAPH_HTTPS_URL: emulator.graphHttpsUrl,
      OBJECT_ID: emulator.servicePrincipalId,
      CODE: code,
    });
    expect(result).toMatchObject({
      succeeded: true,
      tokensRequested: 2,
      reusedCodeError: {
        statusCode: 400,
        code: "Request_BadRequest",
        message: expect.stringContaining("rejected the authorization code (invalid_grant): The authorization code has already been used."),
      },
    });
    await expectTokensStored(1);
  });
});

describe("Kiota FetchRequestAdapter with @graph-sync/client", () => {
  const credential = () =>
    new ClientSecretCredential(emulator.tenantId, emulator.clientId, emulator.clientSecret, {
      authorityHost: emulator.loginUrl,
      disableInstanceDiscovery: true,
      tlsOptions: { ca: emulator.caCertPem },
    });

  function createClient() {
    const identity = credential();
    const graphHost = new URL(emulator.graphUrl).host;
    const accessTokenProvider: AccessTokenProvider = {
      getAuthorizationToken: async () => (await identity.getToken(graphScope)).token,
      getAllowedHostsValidator: () => new AllowedHostsValidator(new Set([graphHost])),
    };
    const adapter = new FetchRequestAdapter(new BaseBearerTokenAuthenticationProvider(accessTokenProvider));
    adapter.baseUrl = `${emulator.graphUrl}/v1.0`;
    return createGraphSyncClient(adapter);
  }

  it("calls the action on a service principal and on an application", async () => {
    const client = createClient();
    const spCode = await emulator.getAuthorizationCode();
    await client.servicePrincipals
      .byServicePrincipalId(emulator.servicePrincipalId)
      .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: spCode }] });
    await expectTokensStored(1);

    const appCode = await emulator.getAuthorizationCode(emulator.applicationId);
    await client.applications
      .byApplicationId(emulator.applicationId)
      .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: appCode }] });
    const state = await emulator.admin.state();
    expect(state.applications.find((object) => object.id === emulator.applicationId)?.tokenAcquisitions).toBe(1);
  });

  it("deserializes Graph's error envelope into the generated ODataError", async () => {
    const client = createClient();
    const error = await client.servicePrincipals
      .byServicePrincipalId(emulator.servicePrincipalId)
      .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: "unknown-code" }] })
      .then(
        () => undefined,
        (thrown: unknown) => thrown as ODataError,
      );
    expect(error?.responseStatusCode).toBe(400);
    expect(error?.errorEscaped?.code).toBe("Request_BadRequest");
    expect(error?.errorEscaped?.message).toContain("The authorization code is unknown");
    expect(error?.errorEscaped?.innerError?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    // The stored state did not change.
    expect((await demoServicePrincipal()).tokenAcquisitions).toBe(0);
  });
});
