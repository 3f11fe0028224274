// No secret (credential values, client secret, access token) ever shows up in an error's message,
// stack, cause chain, toJSON, util.inspect output, or in a log line — even when a server or a
// library echoes it back.
import { expect, test } from "vitest";
import { AuthenticationError } from "@azure/identity";
import { createCredentialFromEnvironment, createSyncClient, GraphSyncError, type SyncLogger } from "@graph-sync/sdk";
import { captureError, everyRendering } from "./support/capture.js";
import { AUTH_CODE, REDIRECT_URI, SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { useGraphServer } from "@graph-sync/test-support";

const CLIENT_SECRET = "client~secret~VALUE~9f8e7d6c5b4a";
const REFRESH_TOKEN = "refresh-token-value-abcdef123456";

const server = await useGraphServer();

function expectNoSecret(text: string, secrets: readonly string[]) {
  for (const secret of secrets) expect(text).not.toContain(secret);
}

function recordingLogger(): SyncLogger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, verbose: (line) => lines.push(line), info: (line) => lines.push(line), warning: (line) => lines.push(line) };
}

test("a Graph error that echoes the submitted code and a token is redacted everywhere", async () => {
  server.enqueue((request, res) => {
    res.writeHead(400, { "content-type": "application/json", "retry-after": "0" });
    res.end(
      JSON.stringify({
        error: {
          code: "invalid_grant",
          message: `Code ${AUTH_CODE} for ${REDIRECT_URI} was already redeemed; refresh_token=${REFRESH_TOKEN}; auth ${String(request.headers.authorization)}`,
        },
      }),
    );
  });
  const logger = recordingLogger();
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, logger });
  const error = await captureError(
    client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE, Oauth2RedirectUri: REDIRECT_URI }),
  );
  const everything = `${everyRendering(error)}\n${logger.lines.join("\n")}`;
  expectNoSecret(everything, [AUTH_CODE, REDIRECT_URI, TEST_TOKEN, REFRESH_TOKEN]);
  expect(error.message).toContain("[REDACTED]");
  expect(logger.lines.length).toBeGreaterThan(0);
});

test("log lines of a retried call carry no secret", async () => {
  server.enqueue((_request, res) => {
    res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
    res.end(JSON.stringify({ error: { code: "TooManyRequests", message: `slow down ${AUTH_CODE}` } }));
  });
  const logger = recordingLogger();
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, logger });
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(logger.lines.some((line) => line.includes("retrying"))).toBe(true);
  expectNoSecret(logger.lines.join("\n"), [AUTH_CODE, TEST_TOKEN]);
});

test("a token failure that quotes the client secret, from a credential built from the environment", async () => {
  // The env helper registers the secret; the credential is then replaced by one that leaks it.
  await createCredentialFromEnvironment({
    env: { AZURE_TENANT_ID: "tenant", AZURE_CLIENT_ID: "client", AZURE_CLIENT_SECRET: CLIENT_SECRET },
  });
  const leaky = new AuthenticationError(401, {
    error: "invalid_client",
    error_description: `AADSTS7000215: Invalid client secret provided: '${CLIENT_SECRET}'.`,
  });
  const client = createSyncClient({
    credential: { getToken: async () => Promise.reject(Object.assign(new Error(`wrapped: client_secret=${CLIENT_SECRET}`), { cause: leaky })) },
    baseUrl: server.url,
  });
  const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
  expect(error.kind).toBe("authentication");
  expectNoSecret(everyRendering(error), [CLIENT_SECRET, AUTH_CODE]);
});

test("the cause keeps only names, messages and codes, never request or response objects", async () => {
  const withRequest = Object.assign(new Error("request failed"), {
    code: "ECONNRESET",
    request: { headers: { authorization: `Bearer ${TEST_TOKEN}` }, body: `code=${AUTH_CODE}` },
  });
  const error = new GraphSyncError("failed", { kind: "network", cause: withRequest, secrets: [AUTH_CODE] });
  expect(Object.keys(error.cause as object)).toEqual(["code"]);
  expect((error.cause as { code: string }).code).toBe("ECONNRESET");
  expectNoSecret(everyRendering(error), [TEST_TOKEN, AUTH_CODE]);
});

test("bearer tokens, JWTs and OAuth form fields are redacted even when unknown", () => {
  const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJncmFwaCJ9.c2lnbmF0dXJlLXZhbHVl";
  const error = new GraphSyncError(
    `Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123; token ${jwt}; body client_secret=s3cr3tvalue&code=the-code-value`,
    { kind: "unexpected" },
  );
  expectNoSecret(everyRendering(error), ["abcdefghijklmnopqrstuvwxyz0123", jwt, "s3cr3tvalue", "the-code-value"]);
  expect(error.message).toContain("Bearer [REDACTED]");
  expect(error.message).toContain("client_secret=[REDACTED]");
});
