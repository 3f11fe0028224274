// Every cloud's Graph URL, token scope and allowed host, checked on the wire: a custom fetch
// forwards the cloud's URL to a local server (no request leaves the machine) and records it.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { clouds, createSyncClient, isGraphSyncError, type CloudName } from "@graph-sync/sdk";
import { createGeneratedClient } from "../src/call/pipeline.js";
import { AUTH_CODE, SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { startGraphServer, type GraphServer } from "@graph-sync/test-support";
import { systemClock } from "../src/retry/retryDecision.js";
import { ThrottleGate } from "../src/retry/throttleGate.js";

let server: GraphServer;
const forwarded: Array<{ url: string; authorization: string | null }> = [];
beforeAll(async () => {
  server = await startGraphServer();
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  forwarded.length = 0;
  server.reset();
});

/** Records the URL the SDK meant to reach, then sends the request to the local server instead. */
async function forwardToLocal(input: string, init: RequestInit): Promise<Response> {
  forwarded.push({ url: input, authorization: new Headers(init.headers).get("authorization") });
  const url = new URL(input);
  return fetch(`${server.url}${url.pathname}`, init);
}

const expectations: Record<Exclude<CloudName, "china">, { graph: string; scope: string }> = {
  global: { graph: "https://graph.microsoft.com", scope: "https://graph.microsoft.com/.default" },
  usgov: { graph: "https://graph.microsoft.us", scope: "https://graph.microsoft.us/.default" },
  "usgov-dod": { graph: "https://dod-graph.microsoft.us", scope: "https://dod-graph.microsoft.us/.default" },
};

describe.each(Object.entries(expectations))("cloud %s", (cloud, expected) => {
  test.each(["v1.0", "beta"] as const)("sends %s requests to its Graph with a token for its scope", async (apiVersion) => {
    const credential = staticCredential();
    const client = createSyncClient({ credential, cloud: cloud as CloudName, apiVersion, fetch: forwardToLocal });
    expect(client.graphUrl).toBe(`${expected.graph}/${apiVersion}`);

    await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });

    expect(forwarded).toEqual([
      {
        url: `${expected.graph}/${apiVersion}/servicePrincipals/${SP_ID}/synchronization/acquireAccessToken`,
        authorization: `Bearer ${TEST_TOKEN}`,
      },
    ]);
    expect(credential.calls.map((call) => call.scopes)).toEqual([[expected.scope]]);
    expect(server.requests).toHaveLength(1);
  });
});

test("the clouds table matches Graph's national cloud deployments", () => {
  expect(clouds.global.authorityHost).toBe("https://login.microsoftonline.com");
  expect(clouds.usgov.authorityHost).toBe("https://login.microsoftonline.us");
  expect(clouds["usgov-dod"].authorityHost).toBe("https://login.microsoftonline.us");
  expect(clouds.china).toMatchObject({
    graphUrl: "https://microsoftgraph.chinacloudapi.cn",
    authorityHost: "https://login.chinacloudapi.cn",
    scope: "https://microsoftgraph.chinacloudapi.cn/.default",
    supportsAcquireAccessToken: false,
  });
});

test("China: a clear configuration error before any request", () => {
  const credential = staticCredential();
  let caught: unknown;
  try {
    createSyncClient({ credential, cloud: "china", fetch: forwardToLocal });
  } catch (error) {
    caught = error;
  }
  expect(isGraphSyncError(caught)).toBe(true);
  expect(caught).toMatchObject({ kind: "configuration", code: "ActionNotAvailableInCloud" });
  expect((caught as Error).message).toMatch(/not available in Microsoft Graph China operated by 21Vianet/);
  expect(forwarded).toHaveLength(0);
  expect(credential.calls).toHaveLength(0);
});

test("an unknown cloud names the valid ones", () => {
  expect(() => createSyncClient({ credential: staticCredential(), cloud: "mars" as CloudName })).toThrow(
    /Unknown cloud "mars". Use one of: global, usgov, usgov-dod, china/,
  );
});

test("baseUrl: its host is the one allowed to receive the token, the cloud still picks the scope", async () => {
  const credential = staticCredential();
  const client = createSyncClient({ credential, cloud: "usgov", baseUrl: server.url });
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(server.requests[0]?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
  expect(credential.calls[0]?.scopes).toEqual(["https://graph.microsoft.us/.default"]);
});

test("a request to a host that may not receive the token fails clearly instead of going out without one", async () => {
  // Kiota's auth provider silently sends no token to a host outside its allowed hosts.
  const credential = staticCredential();
  const generated = createGeneratedClient({
    credential,
    scope: clouds.global.scope,
    graphUrl: `${server.url}/v1.0`,
    allowedHosts: new Set(["graph.microsoft.com"]),
    throttleGate: new ThrottleGate(systemClock),
  });
  const error = await generated.servicePrincipals
    .byServicePrincipalId(SP_ID)
    .synchronization.acquireAccessToken.post({ credentials: [{ key: "Oauth2AuthorizationCode", value: AUTH_CODE }] })
    .then(() => undefined, (caught: unknown) => caught);
  expect(isGraphSyncError(error)).toBe(true);
  expect(error).toMatchObject({ kind: "configuration", code: "NoAccessToken" });
  expect((error as Error).message).toContain("127.0.0.1");
  expect((error as Error).message).toContain("not among the hosts allowed to receive the token (graph.microsoft.com)");
  expect(server.requests).toHaveLength(0);
  expect(credential.calls).toHaveLength(0);
});

describe("baseUrl checks", () => {
  test.each([
    ["not a url", /not a valid URL/],
    ["ftp://127.0.0.1/", /must use https/],
    ["http://graph.example.com", /plain http on a non-loopback host/],
    ["https://user:pw@graph.example.com", /must not contain credentials/],
  ])("%s is rejected", (baseUrl, message) => {
    expect(() => createSyncClient({ credential: staticCredential(), baseUrl })).toThrow(message);
  });

  test("a version in baseUrl must agree with apiVersion", () => {
    expect(() =>
      createSyncClient({ credential: staticCredential(), baseUrl: "https://proxy.example/v1.0", apiVersion: "beta" }),
    ).toThrow(/ends with \/v1.0 but apiVersion is "beta"/);
  });

  test("https on any host, http on loopback hosts", () => {
    expect(createSyncClient({ credential: staticCredential(), baseUrl: "https://proxy.example/graph" }).graphUrl).toBe(
      "https://proxy.example/graph/v1.0",
    );
    expect(createSyncClient({ credential: staticCredential(), baseUrl: "http://localhost:8080" }).graphUrl).toBe(
      "http://localhost:8080/v1.0",
    );
  });
});
