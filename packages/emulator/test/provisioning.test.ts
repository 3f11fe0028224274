// The provisioning model: acquireAccessToken redeems the authorization code at the target's token
// endpoint and stores the tokens; codes are single-use and expire; every way the exchange can fail
// answers 400 with a message that says which. Also the target's own authorize/token endpoints.
import { createServer } from "node:http";
import { describe, expect, it } from "vitest";
import { fingerprint } from "../src/state/maskedState.js";
import { actionUrl, callAction, credentialsFor, getAccessToken } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { expectGraphError } from "./support/responseShapes.js";
import { shareEmulator } from "./support/sharedEmulator.js";

// These tests read the redirect of a GET: the target consents at once, as scripts ask it to.
const shared = shareEmulator({ autoConsent: true });

const spUrl = () => actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId);
const tokenEndpoint = () => `${shared.emulator.targetUrl}/token`;
const expect400 = async (body: unknown, message: string) =>
  expectGraphError(await callAction(spUrl(), shared.token, body), { status: 400, code: "Request_BadRequest", message });

describe("the exchange", () => {
  it("stores the target's tokens, the given settings and the creation time with the object's secrets", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const response = await callAction(
      spUrl(),
      shared.token,
      credentialsFor(code, [
        { key: "Oauth2ClientId", value: shared.emulator.target.clientId },
        { key: "Oauth2ClientSecret", value: shared.emulator.target.clientSecret },
        { key: "Oauth2RedirectUri", value: shared.emulator.target.redirectUri },
        { key: "Oauth2TokenExchangeUri", value: tokenEndpoint() },
        { key: "BaseAddress", value: "https://scim.example.test/v2" },
      ]),
    );
    expect(response.status).toBe(204);
    const state = await shared.emulator.admin.state();
    const object = state.servicePrincipals.find((candidate) => candidate.id === shared.emulator.servicePrincipalId)!;
    const secrets = Object.fromEntries(object.secrets.map((secret) => [secret.key, secret]));
    expect(secrets["Oauth2ClientId"]).toEqual({ key: "Oauth2ClientId", value: shared.emulator.target.clientId });
    expect(secrets["Oauth2ClientSecret"]).toEqual({ key: "Oauth2ClientSecret", value: "********", valueFingerprint: fingerprint(shared.emulator.target.clientSecret) });
    expect(secrets["Oauth2RedirectUri"]).toEqual({ key: "Oauth2RedirectUri", value: shared.emulator.target.redirectUri });
    expect(secrets["Oauth2TokenExchangeUri"]).toEqual({ key: "Oauth2TokenExchangeUri", value: tokenEndpoint() });
    expect(secrets["BaseAddress"]).toEqual({ key: "BaseAddress", value: "https://scim.example.test/v2" });
    expect(secrets["Oauth2AccessToken"]?.value).toBe("********");
    expect(secrets["Oauth2RefreshToken"]?.value).toBe("********");
    expect(secrets["Oauth2AccessTokenCreationTime"]?.value).toBe(new Date(shared.now).toISOString());
    expect(secrets["Oauth2AuthorizationCode"]).toBeUndefined();
    // The code is recorded as redeemed, by fingerprint only.
    expect(state.authorizationCodes.find((entry) => entry.codeFingerprint === fingerprint(code))?.redeemedAt).toBeDefined();
  });

  it("replaces the stored tokens on a second authorization", async () => {
    await callAction(spUrl(), shared.token, credentialsFor(await shared.emulator.getAuthorizationCode()));
    const first = (await shared.emulator.admin.state()).servicePrincipals[0]!.secrets.find((secret) => secret.key === "Oauth2AccessToken");
    await callAction(spUrl(), shared.token, credentialsFor(await shared.emulator.getAuthorizationCode()));
    const object = (await shared.emulator.admin.state()).servicePrincipals.find((candidate) => candidate.id === shared.emulator.servicePrincipalId)!;
    expect(object.tokenAcquisitions).toBe(2);
    expect(object.secrets.find((secret) => secret.key === "Oauth2AccessToken")?.valueFingerprint).not.toBe(first?.valueFingerprint);
  });
});

describe("400 for codes and targets", () => {
  const rejected = (description: string) =>
    `The OAuth token exchange endpoint '${tokenEndpoint()}' rejected the authorization code (invalid_grant): ${description}`;

  it("names a reused code", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), shared.token, credentialsFor(code))).status).toBe(204);
    await expect400(credentialsFor(code), rejected("The authorization code has already been used."));
  });

  it("names an expired code", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    shared.now += 11 * 60 * 1000;
    shared.token = await getAccessToken(shared.emulator);
    await expect400(credentialsFor(code), rejected("The authorization code has expired."));
  });

  it("names an unknown code", () =>
    expect400(credentialsFor("tgc_never-issued"), rejected("The authorization code is unknown: it was never issued by this authorization server.")));

  it("names a redirect URI that differs from the one the code was issued for", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    await expect400(
      credentialsFor(code, [{ key: "Oauth2RedirectUri", value: "https://elsewhere.example.test/callback" }]),
      rejected("The redirect_uri does not match the redirect URI the authorization code was issued for."),
    );
  });

  it("names client credentials the target refuses, without echoing the secret", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const response = await callAction(spUrl(), shared.token, credentialsFor(code, [{ key: "Oauth2ClientSecret", value: "wrong-target-secret" }]));
    expectGraphError(response, {
      status: 400,
      code: "Request_BadRequest",
      message: `The OAuth token exchange endpoint '${tokenEndpoint()}' rejected the client credentials Oauth2ClientId/Oauth2ClientSecret (invalid_client): The client secret is not valid for this client.`,
    });
    expect(response.body).not.toContain("wrong-target-secret");
  });

  it("names an unreachable target", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as { port: number }).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const code = await shared.emulator.getAuthorizationCode();
    await expect400(
      credentialsFor(code, [{ key: "Oauth2TokenExchangeUri", value: `http://127.0.0.1:${port}/token` }]),
      `The OAuth token exchange endpoint 'http://127.0.0.1:${port}/token' is unreachable (ECONNREFUSED).`,
    );
  });

  it("names a target that answers something other than OAuth", async () => {
    const server = createServer((_request, response) => response.writeHead(500, { "Content-Type": "text/html" }).end("<h1>oops</h1>"));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const code = await shared.emulator.getAuthorizationCode();
      await expect400(
        credentialsFor(code, [{ key: "Oauth2TokenExchangeUri", value: `http://127.0.0.1:${port}/token` }]),
        `The OAuth token exchange endpoint 'http://127.0.0.1:${port}/token' answered HTTP 500 and the answer is not an OAuth error response.`,
      );
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("refuses an exchange endpoint off this machine", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    await expect400(
      credentialsFor(code, [{ key: "Oauth2TokenExchangeUri", value: "https://login.example.test/token" }]),
      "Oauth2TokenExchangeUri 'https://login.example.test' is not a loopback address: the emulator only exchanges codes with targets on this machine (localhost, 127.0.0.0/8, ::1).",
    );
  });

  it("refuses an exchange endpoint that is not a URL", () =>
    expect400(
      credentialsFor("x", [{ key: "Oauth2TokenExchangeUri", value: "token-endpoint" }]),
      "Oauth2TokenExchangeUri 'token-endpoint' is not an absolute http or https URL.",
    ));

  it("names what is missing when the object has no target registered", async () => {
    const seeded = await shared.emulator.admin.seed({
      servicePrincipals: [{ tenantId: shared.emulator.tenantId, owners: [shared.emulator.clientId] }],
    });
    const id = seeded.servicePrincipals[0]!.id;
    expectGraphError(await callAction(actionUrl(shared.emulator, "servicePrincipals", id), shared.token, credentialsFor("x")), {
      status: 400,
      code: "Request_BadRequest",
      message: `No OAuth client id: send Oauth2ClientId (Service principal '${id}' has no provisioning target registered).`,
    });
  });

  it("does not change state when the exchange fails", async () => {
    await callAction(spUrl(), shared.token, credentialsFor("tgc_unknown"));
    const object = (await shared.emulator.admin.state()).servicePrincipals.find((candidate) => candidate.id === shared.emulator.servicePrincipalId)!;
    expect(object.tokenAcquisitions).toBe(0);
    expect(object.secrets).toEqual([]);
  });
});

describe("the target's authorization server", () => {
  it("redirects with a code and the state for a registered client and redirect URI", async () => {
    const response = await send(shared.emulator.target.authorizationRequestUrl);
    expect(response.status).toBe(302);
    const location = new URL(String(response.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(shared.emulator.target.redirectUri);
    expect(location.searchParams.get("state")).toBe("demo");
    expect(location.searchParams.get("code")).toMatch(/^tgc_/);
  });

  it("answers 400 for an unregistered redirect URI instead of redirecting", async () => {
    const url = new URL(shared.emulator.target.authorizationRequestUrl);
    url.searchParams.set("redirect_uri", "https://attacker.example.test/");
    const response = await send(url.toString());
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({
      error: "invalid_request",
      error_description: `The redirect_uri 'https://attacker.example.test/' is not registered for client '${shared.emulator.target.clientId}'.`,
    });
  });

  it("answers 400 for an unknown client", async () => {
    const url = new URL(shared.emulator.target.authorizationRequestUrl);
    url.searchParams.set("client_id", "nobody");
    const response = await send(url.toString());
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: "invalid_request", error_description: "Unknown client_id 'nobody'." });
  });

  it("redirects with unsupported_response_type for anything but code", async () => {
    const url = new URL(shared.emulator.target.authorizationRequestUrl);
    url.searchParams.set("response_type", "token");
    const response = await send(url.toString());
    expect(response.status).toBe(302);
    expect(new URL(String(response.headers.location)).searchParams.get("error")).toBe("unsupported_response_type");
  });

  it("redeems a code with HTTP Basic client authentication, once", async () => {
    const code = await shared.emulator.getAuthorizationCode();
    const redeem = () =>
      send(tokenEndpoint(), {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${Buffer.from(`${shared.emulator.target.clientId}:${encodeURIComponent(shared.emulator.target.clientSecret)}`).toString("base64")}`,
        },
        body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: shared.emulator.target.redirectUri }).toString(),
      });
    const first = await redeem();
    expect(first.status).toBe(200);
    expect(first.headers["cache-control"]).toBe("no-store");
    expect(JSON.parse(first.body)).toEqual({
      access_token: expect.stringMatching(/^tgt_at_/),
      token_type: "Bearer",
      expires_in: 3600,
      refresh_token: expect.stringMatching(/^tgt_rt_/),
      scope: "",
    });
    const second = await redeem();
    expect(second.status).toBe(400);
    expect(JSON.parse(second.body)).toEqual({ error: "invalid_grant", error_description: "The authorization code has already been used." });
  });

  it("publishes its metadata", async () => {
    const response = await send(`${shared.emulator.targetUrl}/.well-known/oauth-authorization-server`);
    expect(JSON.parse(response.body)).toMatchObject({
      issuer: shared.emulator.targetUrl,
      authorization_endpoint: shared.emulator.target.authorizeUrl,
      token_endpoint: shared.emulator.target.tokenUrl,
    });
  });
});
