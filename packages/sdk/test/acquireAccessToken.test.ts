// The request the SDK sends for each target, over a real socket, and what a success returns.
import { describe, expect, test } from "vitest";
import { createSyncClient, synchronizationSecretKeys, type SynchronizationSecrets } from "@graph-sync/sdk";
import { APP_ID, AUTH_CODE, REDIRECT_URI, SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();

describe.each([
  { name: "service principal", target: { servicePrincipalId: SP_ID }, path: `/v1.0/servicePrincipals/${SP_ID}` },
  { name: "application", target: { applicationId: APP_ID }, path: `/v1.0/applications/${APP_ID}` },
])("acquireAccessToken for a $name", ({ target, path }) => {
  test("POSTs the credentials as Graph's key/value list with the token and a client-request-id", async () => {
    const credential = staticCredential();
    const client = createSyncClient({ credential, baseUrl: server.url });

    const result = await client.acquireAccessToken(target, {
      Oauth2AuthorizationCode: AUTH_CODE,
      Oauth2RedirectUri: REDIRECT_URI,
    });

    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe(`${path}/synchronization/acquireAccessToken`);
    expect(request?.headers["content-type"]).toBe("application/json");
    expect(request?.headers.authorization).toBe(`Bearer ${TEST_TOKEN}`);
    expect(request?.headers["user-agent"]).toMatch(/^graph-sync-sdk\/\d+\.\d+\.\d+/);
    expect(request?.body).toBe(
      JSON.stringify({
        credentials: [
          { key: "Oauth2AuthorizationCode", value: AUTH_CODE },
          { key: "Oauth2RedirectUri", value: REDIRECT_URI },
        ],
      }),
    );
    const clientRequestId = request?.headers["client-request-id"];
    expect(clientRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result).toEqual({ clientRequestId, requestId: "req-204", attempts: 1 });
    expect(credential.calls[0]?.scopes).toEqual(["https://graph.microsoft.com/.default"]);
  });

  test("accepts the list form, keeps its order, and sends a caller-chosen client-request-id", async () => {
    const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url });
    const result = await client.acquireAccessToken(
      target,
      [
        { key: "Oauth2RedirectUri", value: REDIRECT_URI },
        { key: "Oauth2AuthorizationCode", value: AUTH_CODE },
      ],
      { clientRequestId: "my-correlation-id-42" },
    );
    expect(server.requests[0]?.headers["client-request-id"]).toBe("my-correlation-id-42");
    // Exactly these keys: no '@odata.type', although the generated model has odataType (Graph's
    // description lists it; Graph does not need it in a request).
    expect(JSON.parse(server.requests[0]?.body ?? "{}")).toEqual({
      credentials: [
        { key: "Oauth2RedirectUri", value: REDIRECT_URI },
        { key: "Oauth2AuthorizationCode", value: AUTH_CODE },
      ],
    });
    expect(result.clientRequestId).toBe("my-correlation-id-42");
  });
});

test("every one of the 45 secret keys goes through to Graph unchanged", async () => {
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url });
  const all = Object.fromEntries(synchronizationSecretKeys.map((key, index) => [key, `value-${index}`])) as SynchronizationSecrets;
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, all);
  const sent = JSON.parse(server.requests[0]?.body ?? "{}") as { credentials: Array<{ key: string; value: string }> };
  expect(sent.credentials.map(({ key }) => key)).toEqual([...synchronizationSecretKeys]);
  expect(sent.credentials.map(({ value }) => value)).toEqual(synchronizationSecretKeys.map((_, index) => `value-${index}`));
});

test("the id goes into the path as given, and a trailing slash on baseUrl does no harm", async () => {
  const upper = SP_ID.toUpperCase();
  const client = createSyncClient({ credential: staticCredential(), baseUrl: `${server.url}/` });
  await client.acquireAccessToken({ servicePrincipalId: upper }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(server.requests[0]?.url).toBe(`/v1.0/servicePrincipals/${upper}/synchronization/acquireAccessToken`);
});

test("a baseUrl that already names the version is used as it is", async () => {
  const client = createSyncClient({ credential: staticCredential(), baseUrl: `${server.url}/beta` });
  expect(client.apiVersion).toBe("beta");
  expect(client.graphUrl).toBe(`${server.url}/beta`);
  await client.acquireAccessToken({ applicationId: APP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(server.requests[0]?.url).toBe(`/beta/applications/${APP_ID}/synchronization/acquireAccessToken`);
});

test("a custom fetch carries every request", async () => {
  const seen: string[] = [];
  const client = createSyncClient({
    credential: staticCredential(),
    baseUrl: server.url,
    fetch: async (input, init) => {
      seen.push(input);
      return fetch(input, init);
    },
  });
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(seen).toEqual([`${server.url}/v1.0/servicePrincipals/${SP_ID}/synchronization/acquireAccessToken`]);
});
