// Failures of the caller's credential become GraphSyncError (kind authentication) with the AADSTS
// code and advice; nothing is sent to Graph.
import { expect, test } from "vitest";
import { AuthenticationError, CredentialUnavailableError } from "@azure/identity";
import type { TokenCredential } from "@azure/core-auth";
import { createCredentialFromEnvironment, createSyncClient } from "@graph-sync/sdk";
import { captureError } from "./support/capture.js";
import { AUTH_CODE, failingCredential, SP_ID } from "./support/credentials.js";
import { emulatorEnv, startTestEmulator, useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();

async function failWithCredential(credential: TokenCredential) {
  const client = createSyncClient({ credential, baseUrl: server.url });
  const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
  expect(server.requests).toHaveLength(0);
  return error;
}

/** What @azure/identity throws for Entra ID's answer to a wrong client secret. */
function entraError(status: number, error: string, description: string): AuthenticationError {
  return new AuthenticationError(status, {
    error,
    error_description: `${description}\r\nTrace ID: 0000\r\nCorrelation ID: 1111\r\nTimestamp: 2026-11-23 10:00:00Z`,
    error_codes: [Number(/AADSTS(\d+)/.exec(description)?.[1] ?? 0)],
  });
}

test.each([
  ["7000215", 401, "invalid_client", "AADSTS7000215: Invalid client secret provided.", "not its Secret ID"],
  ["7000222", 401, "invalid_client", "AADSTS7000222: The provided client secret keys are expired.", "has expired"],
  ["700016", 400, "unauthorized_client", "AADSTS700016: Application with identifier 'x' was not found in the directory 'y'.", "check AZURE_CLIENT_ID and AZURE_TENANT_ID"],
  ["90002", 400, "invalid_request", "AADSTS90002: Tenant 'nope' not found.", "check AZURE_TENANT_ID"],
  ["70011", 400, "invalid_scope", "AADSTS70011: The provided value for the input parameter 'scope' is not valid.", "<graph URL>/.default"],
])("AADSTS%s: code, status and advice", async (code, status, oauthError, description, advice) => {
  const error = await failWithCredential(failingCredential(entraError(status, oauthError, description)));
  expect(error).toMatchObject({ kind: "authentication", code: `AADSTS${code}`, status, attempts: 0 });
  expect(error.message).toMatch(new RegExp(`^Could not get an access token for https://graph.microsoft.com/.default \\(AADSTS${code}\\): `));
  expect(error.message).toContain(advice);
  expect(error.message).not.toContain("Trace ID");
  expect(error.cause).toBeInstanceOf(Error);
  expect((error.cause as Error).name).toBe("AuthenticationError");
});

test("an unknown AADSTS code still gets its code and general advice", async () => {
  const error = await failWithCredential(failingCredential(entraError(400, "invalid_request", "AADSTS123456: Something new.")));
  expect(error).toMatchObject({ code: "AADSTS123456" });
  expect(error.message).toContain("Something new.");
});

test("CredentialUnavailableError says how to configure the credential", async () => {
  const error = await failWithCredential(failingCredential(new CredentialUnavailableError("EnvironmentCredential is unavailable.")));
  expect(error).toMatchObject({ kind: "authentication", code: "CredentialUnavailableError" });
  expect(error.message).toContain("set AZURE_TENANT_ID, AZURE_CLIENT_ID and AZURE_CLIENT_SECRET");
});

test("an untrusted TLS certificate on the authority says how to trust a local CA", async () => {
  const tlsFailure = Object.assign(new Error("request to https://localhost/ failed"), {
    cause: Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }),
  });
  const error = await failWithCredential(failingCredential(tlsFailure));
  expect(error.message).toContain("NODE_EXTRA_CA_CERTS");
});

test("the TLS failure carries the reason tls, so a CLI can word its own remedy; the SDK's names what code can do", async () => {
  const tlsFailure = Object.assign(new Error("request to https://login.example/ failed"), {
    cause: Object.assign(new Error("self-signed certificate in certificate chain"), { code: "SELF_SIGNED_CERT_IN_CHAIN" }),
  });
  const error = await failWithCredential(failingCredential(tlsFailure));
  expect(error).toMatchObject({ kind: "authentication", reason: "tls" });
  expect(error.toJSON()).toMatchObject({ reason: "tls" });
  expect(error.message).toContain("tlsOptions: { ca");
});

// Issue 21: no connection to the authority is the network's problem (the CLI's exit 7), not the credential's.
test.each([
  ["ECONNREFUSED", "connect ECONNREFUSED 127.0.0.1:8443"],
  ["ENOTFOUND", "getaddrinfo ENOTFOUND login.example"],
])("%s at the authority is kind network, with advice to check the network and the authority host", async (code, message) => {
  const failure = Object.assign(new Error("request to https://login.example/ failed"), { cause: Object.assign(new Error(message), { code }) });
  const error = await failWithCredential(failingCredential(failure));
  expect(error).toMatchObject({ kind: "network", code: "Error", attempts: 0 });
  expect(error.reason).toBeUndefined();
  expect(error.message).toContain(`could not be reached (${code}): check the network, any proxy, and the authority host`);
});

test("a credential that returns no token", async () => {
  const error = await failWithCredential({ getToken: async () => null });
  expect(error).toMatchObject({ kind: "authentication", code: "NoAccessToken" });
});

test("a credential that throws something that is not an Error", async () => {
  const error = await failWithCredential(failingCredential("boom"));
  expect(error).toMatchObject({ kind: "authentication" });
  expect(error.message).toContain("boom");
});

test("an emulator whose CA this process does not trust: the real TLS reason and advice to trust its CA", async () => {
  // Real @azure/identity against the real emulator's HTTPS login host. MSAL alone would only say
  // endpoints_resolution_error; the credential from createCredentialFromEnvironment finds out why.
  const emulator = await startTestEmulator();
  try {
    const { NODE_EXTRA_CA_CERTS: _trust, ...env } = emulatorEnv(emulator);
    const error = await failWithCredential(await createCredentialFromEnvironment({ env }));
    expect(error).toMatchObject({ kind: "authentication", code: "UnreachableAuthorityError" });
    expect(error.message).toContain(`The TLS certificate of ${emulator.loginUrl} is not trusted (`);
    expect(error.message).toContain("trust the emulator's CA");
    expect(error.message).not.toContain("set AZURE_TENANT_ID");
    expect(JSON.stringify(error.toJSON().cause)).toMatch(/"code":"(UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN)"/);
  } finally {
    await emulator.close();
  }
});

test("endpoints_resolution_error from a credential of one's own also mentions the CA", async () => {
  const error = await failWithCredential(
    failingCredential(new CredentialUnavailableError("endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details")),
  );
  expect(error.message).toContain("did not serve its OpenID configuration");
  expect(error.message).toContain("NODE_EXTRA_CA_CERTS=<the emulator's caCertPath>");
  expect(error.message).not.toContain("set AZURE_TENANT_ID");
});

/**
 * What @azure/identity's DeviceCodeCredential throws when MSAL's polling ends in an OAuth error
 * other than authorization_pending: MSAL keeps only the error's name (`post_request_failed: …`).
 * The emulator produces expired_token, authorization_declined and invalid_client through the real
 * credential (access.test.ts); these two a well-behaved MSAL never provokes.
 */
test.each([
  ["slow_down", "faster than the interval Entra ID gave with the device code"],
  ["bad_verification_code", "Entra ID does not know this device code"],
])("a device code sign-in ending in %s says what to do", async (oauthError, advice) => {
  const msalError = Object.assign(new Error(`post_request_failed: ${oauthError}`), { name: "AuthError", errorCode: "post_request_failed", errorMessage: oauthError });
  const identityError = Object.assign(new Error(`post_request_failed: ${oauthError}`), { name: "AuthenticationRequiredError", cause: msalError });
  const error = await failWithCredential(failingCredential(identityError));
  expect(error).toMatchObject({ kind: "authentication", code: oauthError, attempts: 0 });
  expect(error.message).toContain(advice);
});
