// Black-box scenarios for the emulated Entra ID login host: discovery, keys, the token and its
// claims, and every client-credentials error of the reference table, exactly as Entra words them.
import { randomUUID } from "node:crypto";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { graphScope, requestToken } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { expectEntraError, guidPattern } from "./support/responseShapes.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

const demoForm = () => ({
  grant_type: "client_credentials",
  client_id: emulator.clientId,
  client_secret: emulator.clientSecret,
  scope: graphScope,
});
const token = (form: Record<string, string>, tenant = emulator.tenantId, headers: Record<string, string> = {}) =>
  requestToken(emulator, form, { tenant, headers });

describe("discovery", () => {
  it("publishes an OpenID configuration whose endpoints point back at the emulator", async () => {
    const response = await send(`${emulator.loginUrl}/${emulator.tenantId}/v2.0/.well-known/openid-configuration`, { ca: emulator.caCertPem });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    const document = JSON.parse(response.body) as Record<string, unknown>;
    const base = `${emulator.loginUrl}/${emulator.tenantId}`;
    expect(document).toMatchObject({
      issuer: `${base}/v2.0`,
      token_endpoint: `${base}/oauth2/v2.0/token`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      token_endpoint_auth_methods_supported: ["client_secret_post", "private_key_jwt", "client_secret_basic"],
      id_token_signing_alg_values_supported: ["RS256"],
    });
  });

  it("resolves a tenant by its domain name", async () => {
    const response = await send(`${emulator.loginUrl}/graphsyncdemo.onmicrosoft.com/v2.0/.well-known/openid-configuration`, { ca: emulator.caCertPem });
    expect(response.status).toBe(200);
    expect((JSON.parse(response.body) as { issuer: string }).issuer).toBe(`${emulator.loginUrl}/${emulator.tenantId}/v2.0`);
  });

  it("answers invalid_tenant (AADSTS90002) for an unknown tenant", async () => {
    const tenant = randomUUID();
    expectEntraError(await send(`${emulator.loginUrl}/${tenant}/v2.0/.well-known/openid-configuration`, { ca: emulator.caCertPem }), {
      status: 400,
      error: "invalid_tenant",
      aadsts: 90002,
      description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    });
  });

  it("publishes the signing key, and tokens verify against it", async () => {
    const keys = await send(`${emulator.loginUrl}/${emulator.tenantId}/discovery/v2.0/keys`, { ca: emulator.caCertPem });
    expect(keys.status).toBe(200);
    const jwks = JSON.parse(keys.body) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: "RSA", use: "sig", e: "AQAB" });
    expect(jwks.keys[0]!["kid"]).toBe(jwks.keys[0]!["x5t"]);
    expect(jwks.keys[0]!["x5c"]).toHaveLength(1);

    const response = await token(demoForm());
    const accessToken = (JSON.parse(response.body) as { access_token: string }).access_token;
    expect(decodeProtectedHeader(accessToken)).toEqual({ typ: "JWT", alg: "RS256", x5t: jwks.keys[0]!["kid"], kid: jwks.keys[0]!["kid"] });
    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(jwks as never), { audience: "https://graph.microsoft.com" });
    expect(payload).toMatchObject({
      iss: `https://sts.windows.net/${emulator.tenantId}/`,
      idp: `https://sts.windows.net/${emulator.tenantId}/`,
      tid: emulator.tenantId,
      appid: emulator.clientId,
      appidacr: "1",
      idtyp: "app",
      roles: ["Application.ReadWrite.OwnedBy"],
      ver: "1.0",
    });
    expect(payload.oid).toMatch(guidPattern);
    expect(payload.sub).toBe(payload.oid);
    expect(payload.iat).toBe(payload.nbf);
    const lifetime = payload.exp! - payload.iat!;
    expect(lifetime).toBeGreaterThanOrEqual(3600);
    expect(lifetime).toBeLessThan(5400);
  });
});

describe("client credentials: success", () => {
  it("answers Entra's token response with a lifetime of 60 to 90 minutes", async () => {
    const response = await token(demoForm(), emulator.tenantId, { "client-request-id": "corr-1" });
    expect(response.status).toBe(200);
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(response.headers["cache-control"]).toBe("no-store, no-cache");
    expect(response.headers["client-request-id"]).toBe("corr-1");
    const body = JSON.parse(response.body) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(["access_token", "expires_in", "ext_expires_in", "token_type"]);
    expect(body["token_type"]).toBe("Bearer");
    expect(body["expires_in"]).toBe(body["ext_expires_in"]);
    expect(body["expires_in"]).toBeGreaterThanOrEqual(3600);
    expect(body["expires_in"]).toBeLessThan(5400);
  });

  it("accepts the secret in HTTP Basic and ignores unknown fields", async () => {
    const basic = Buffer.from(`${encodeURIComponent(emulator.clientId)}:${encodeURIComponent(emulator.clientSecret)}`).toString("base64");
    const response = await token(
      { grant_type: "client_credentials", scope: graphScope, "x-client-SKU": "msal.js.node", "x-client-VER": "7.2.3", claims: "{}" },
      emulator.tenantId,
      { Authorization: `Basic ${basic}` },
    );
    expect(response.status).toBe(200);
  });

  it.each([
    ["https://graph.microsoft.us/.default", "https://graph.microsoft.us"],
    ["https://dod-graph.microsoft.us/.default", "https://dod-graph.microsoft.us"],
    ["https://microsoftgraph.chinacloudapi.cn/.default", "https://microsoftgraph.chinacloudapi.cn"],
    ["00000003-0000-0000-c000-000000000000/.default", "00000003-0000-0000-c000-000000000000"],
  ])("issues a token for %s with aud %s", async (scope, audience) => {
    const response = await token({ ...demoForm(), scope });
    expect(response.status).toBe(200);
    const accessToken = (JSON.parse(response.body) as { access_token: string }).access_token;
    const payload = JSON.parse(Buffer.from(accessToken.split(".")[1]!, "base64url").toString()) as { aud: string };
    expect(payload.aud).toBe(audience);
  });
});

describe("client credentials: errors", () => {
  it("AADSTS7000215 for a wrong secret", async () => {
    expectEntraError(await token({ ...demoForm(), client_secret: "wrong" }, emulator.tenantId, { "client-request-id": "corr-2" }), {
      status: 401,
      error: "invalid_client",
      aadsts: 7000215,
      description: `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${emulator.clientId}'.`,
      correlationId: "corr-2",
    });
  });

  it("AADSTS7000222 for an expired secret", async () => {
    const seeded = await emulator.admin.seed({
      clientApplications: [{ tenantId: emulator.tenantId, secrets: [{ value: "expired-secret-value", endDateTime: "2020-01-01T00:00:00Z" }] }],
    });
    const appId = seeded.clientApplications[0]!.appId;
    expectEntraError(await token({ ...demoForm(), client_id: appId, client_secret: "expired-secret-value" }), {
      status: 401,
      error: "invalid_client",
      aadsts: 7000222,
      description: `The provided client secret keys for app '${appId}' are expired. Visit the Azure portal to create new keys for your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: https://aka.ms/certCreds`,
    });
  });

  it("AADSTS7000218 without a secret or assertion", async () => {
    const { client_secret: _secret, ...form } = demoForm();
    expectEntraError(await token(form), {
      status: 401,
      error: "invalid_client",
      aadsts: 7000218,
      description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    });
  });

  it("AADSTS700016 for an app that is not in the tenant", async () => {
    const appId = randomUUID();
    expectEntraError(await token({ ...demoForm(), client_id: appId }), {
      status: 400,
      error: "unauthorized_client",
      aadsts: 700016,
      description: `Application with identifier '${appId}' was not found in the directory '${emulator.tenantId}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
    });
  });

  it("AADSTS90002 for an unknown tenant", async () => {
    const tenant = randomUUID();
    expectEntraError(await token(demoForm(), tenant), {
      status: 400,
      error: "invalid_request",
      aadsts: 90002,
      description: `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.`,
    });
  });

  it("AADSTS900023 for a tenant that is neither an id nor a domain", async () => {
    expectEntraError(await token(demoForm(), "not_a_tenant"), {
      status: 400,
      error: "invalid_request",
      aadsts: 900023,
      description: "Specified tenant identifier 'not_a_tenant' is neither a valid DirectoryName nor a valid ObjectId.",
    });
  });

  it("AADSTS70011 for a scope that is not a Graph .default scope", async () => {
    expectEntraError(await token({ ...demoForm(), scope: "https://graph.microsoft.com/User.Read" }), {
      status: 400,
      error: "invalid_scope",
      aadsts: 70011,
      description:
        "The provided value for the input parameter 'scope' is not valid. The scope https://graph.microsoft.com/User.Read is not valid. The client credentials flow takes exactly one '{resource}/.default' scope of a Microsoft Graph resource.",
    });
  });

  it.each(["grant_type", "client_id", "scope"])("AADSTS900144 when %s is missing", async (parameter) => {
    const form: Record<string, string> = demoForm();
    delete form[parameter];
    expectEntraError(await token(form), {
      status: 400,
      error: "invalid_request",
      aadsts: 900144,
      description: `The request body must contain the following parameter: '${parameter}'.`,
    });
  });

  it("AADSTS70003 for another grant type", async () => {
    expectEntraError(await token({ ...demoForm(), grant_type: "password" }), {
      status: 400,
      error: "unsupported_grant_type",
      aadsts: 70003,
      description: "The app requested an unsupported grant type 'password'. The emulator supports only client_credentials, urn:ietf:params:oauth:grant-type:device_code and refresh_token.",
    });
  });

  it("AADSTS700027 for a client assertion (no certificates are registered)", async () => {
    const { client_secret: _secret, ...form } = demoForm();
    const response = await token({
      ...form,
      client_assertion_type: "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
      client_assertion: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
    });
    expectEntraError(response, {
      status: 401,
      error: "invalid_client",
      aadsts: 700027,
      description:
        "The certificate with identifier used to sign the client assertion is not registered on application. The emulator registers client secrets only.",
    });
  });

  it("reads a JSON body as a request without parameters", async () => {
    const response = await send(`${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/token`, {
      method: "POST",
      ca: emulator.caCertPem,
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(demoForm()),
    });
    expectEntraError(response, { status: 400, error: "invalid_request", aadsts: 900144, description: "The request body must contain the following parameter: 'grant_type'." });
  });

  it("AADSTS900561 for a GET on the token endpoint", async () => {
    expectEntraError(await send(`${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/token`, { ca: emulator.caCertPem }), {
      status: 400,
      error: "invalid_request",
      aadsts: 900561,
      description: "The endpoint only accepts POST requests. Received a GET request.",
    });
  });

  it("answers 404 in Entra's format for a path it does not serve", async () => {
    expectEntraError(await send(`${emulator.loginUrl}/common/oauth2/token`, { ca: emulator.caCertPem }), {
      status: 404,
      error: "not_found",
      aadsts: undefined,
      description: "The emulated login host has no endpoint at '/common/oauth2/token'.",
    });
  });

  it("never echoes the presented secret", async () => {
    const response = await token({ ...demoForm(), client_secret: "my-very-secret-value" });
    expect(response.status).toBe(401);
    expect(response.body).not.toContain("my-very-secret-value");
  });
});
