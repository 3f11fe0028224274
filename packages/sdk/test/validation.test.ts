// Input is checked against the generated JSON Schema (plus duplicates and empty values) before any
// request, with messages that say what is wrong and how to fix it, and never show a value.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createSyncClient, type AcquireAccessTokenCredentials, type SyncTarget } from "@graph-sync/sdk";
import { captureError } from "./support/capture.js";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { startGraphServer, type GraphServer } from "@graph-sync/test-support";

let server: GraphServer;
const credential = staticCredential();
beforeAll(async () => {
  server = await startGraphServer();
});
afterAll(async () => {
  // Validation happens before anything is sent: no test in this file may reach Graph or Entra.
  expect(server.requests).toHaveLength(0);
  expect(credential.calls).toHaveLength(0);
  await server.close();
});

async function rejectCredentials(credentials: unknown) {
  const client = createSyncClient({ credential, baseUrl: server.url });
  const error = await captureError(
    client.acquireAccessToken({ servicePrincipalId: SP_ID }, credentials as AcquireAccessTokenCredentials),
  );
  expect(error).toMatchObject({ kind: "validation", code: "InvalidInput", attempts: 0 });
  expect(error.message).toMatch(/^Invalid credentials; nothing was sent to Graph:/);
  return error;
}

async function rejectTarget(target: unknown) {
  const client = createSyncClient({ credential, baseUrl: server.url });
  const error = await captureError(client.acquireAccessToken(target as SyncTarget, { Oauth2AuthorizationCode: AUTH_CODE }));
  expect(error).toMatchObject({ kind: "validation", code: "InvalidInput" });
  return error;
}

describe("credentials", () => {
  test("an unknown key is named with the closest valid key", async () => {
    const error = await rejectCredentials({ Oauth2AuthorisationCode: "x-secret-value" });
    expect(error.issues).toEqual([
      {
        path: "credentials.Oauth2AuthorisationCode",
        message: '"Oauth2AuthorisationCode" is not a synchronization secret key; did you mean "Oauth2AuthorizationCode"?',
      },
    ]);
  });

  test("a key in the wrong case gets the right spelling", async () => {
    const error = await rejectCredentials([{ key: "oauth2redirecturi", value: "https://x" }]);
    expect(error.issues[0]).toEqual({
      path: "credentials[0].key",
      message: '"oauth2redirecturi" is not a synchronization secret key; did you mean "Oauth2RedirectUri"?',
    });
  });

  test("a key nothing like a valid one lists examples", async () => {
    const error = await rejectCredentials({ Favourite: "blue" });
    expect(error.issues[0]?.message).toContain("valid keys include Oauth2AuthorizationCode");
  });

  test.each([
    ["an empty object", {}, "credentials", "no secret given: pass at least one, for example Oauth2AuthorizationCode"],
    ["an empty list", [], "credentials", "the list is empty"],
    ["undefined", undefined, "credentials", "missing: pass an object keyed by secret name"],
    ["null", null, "credentials", "must be an object keyed by secret name or a list of { key, value } pairs, not null"],
    ["a string", "Oauth2AuthorizationCode=abc", "credentials", "not a string"],
    ["a Map", new Map([["Oauth2AuthorizationCode", "abc"]]), "credentials", "not an object"],
  ])("empty or shapeless input: %s", async (_name, input, path, message) => {
    const error = await rejectCredentials(input);
    expect(error.issues[0]?.path).toBe(path);
    expect(error.issues[0]?.message).toContain(message);
  });

  test("non-string values are named by type, never shown", async () => {
    const error = await rejectCredentials({ Oauth2AuthorizationCode: 123456789, Oauth2RedirectUri: { url: "x" }, SyncAll: true });
    expect(error.issues).toEqual([
      { path: "credentials.Oauth2AuthorizationCode", message: "must be a string, not a number" },
      { path: "credentials.Oauth2RedirectUri", message: "must be a string, not an object" },
      { path: "credentials.SyncAll", message: "must be a string, not a boolean" },
    ]);
    expect(error.message).not.toContain("123456789");
  });

  test("list items: missing value, wrong types, extra properties", async () => {
    const error = await rejectCredentials([
      { key: "Oauth2AuthorizationCode" },
      { key: "Oauth2RedirectUri", value: 42 },
      { key: 7, value: "v-secret-123" },
      { key: "SyncAll", value: "true", Value: "x" },
      "Oauth2ClientId",
    ]);
    expect(error.issues).toEqual(
      expect.arrayContaining([
        { path: "credentials[0]", message: 'missing "value": each item is { key, value }' },
        { path: "credentials[1].value", message: "must be a string, not a number" },
        { path: "credentials[2].key", message: "must be a string naming a synchronization secret key, not a number" },
        { path: "credentials[3]", message: 'unexpected property "Value" (did you mean "value"?): each item has only key and value' },
        { path: "credentials[4]", message: "must be an object { key, value }, not a string" },
      ]),
    );
    expect(error.message).not.toContain("v-secret-123");
  });

  test("duplicate keys in the list form", async () => {
    const error = await rejectCredentials([
      { key: "Oauth2AuthorizationCode", value: "first-code-123" },
      { key: "Oauth2RedirectUri", value: "https://x" },
      { key: "Oauth2AuthorizationCode", value: "second-code-456" },
    ]);
    expect(error.issues).toEqual([
      {
        path: "credentials[2].key",
        message: '"Oauth2AuthorizationCode" is given twice (also at credentials[0]); give each key once',
      },
    ]);
    expect(error.message).not.toMatch(/first-code|second-code/);
  });

  test("empty values", async () => {
    const error = await rejectCredentials({ Oauth2AuthorizationCode: "", Oauth2RedirectUri: "   " });
    expect(error.issues.map((issue) => issue.path)).toEqual(["credentials.Oauth2AuthorizationCode", "credentials.Oauth2RedirectUri"]);
    expect(error.issues[0]?.message).toContain("is empty");
  });

  test("every problem is reported at once, one per line", async () => {
    const error = await rejectCredentials({ Oauth2AuthorizationCod: "a-secret-1", Oauth2RedirectUri: 5 });
    expect(error.issues).toHaveLength(2);
    expect(error.message.split("\n")).toHaveLength(3);
  });
});

describe("target and credentials together", () => {
  test("a wrong target and a wrong key are reported in one error, target first", async () => {
    const client = createSyncClient({ credential, baseUrl: server.url });
    const error = await captureError(
      client.acquireAccessToken({ servicePrincipalId: "my-enterprise-app" }, { Oauth2AuthorisationCode: "x-secret-value" } as never),
    );
    expect(error).toMatchObject({ kind: "validation", code: "InvalidInput", attempts: 0 });
    expect(error.issues.map((issue) => issue.path)).toEqual(["target.servicePrincipalId", "credentials.Oauth2AuthorisationCode"]);
    expect(error.message.split("\n")[0]).toBe("Invalid target and credentials; nothing was sent to Graph:");
    expect(error.message).toContain('did you mean "Oauth2AuthorizationCode"?');
    expect(error.message).not.toContain("x-secret-value");
  });

  test("each list stays bounded on its own", async () => {
    const client = createSyncClient({ credential, baseUrl: server.url });
    const manyWrongKeys = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`Oauth2AuthorizationCod${index}`, "v"]));
    const error = await captureError(client.acquireAccessToken({ applicationId: "nope" }, manyWrongKeys as never));
    // 1 target issue, then 20 credential issues and the line that counts the other 10.
    expect(error.issues).toHaveLength(22);
    expect(error.issues.at(-1)).toEqual({ path: "credentials", message: "10 more problems not listed; fix these first" });
  });
});

describe("target", () => {
  test("a malformed service principal id says what an object id looks like and where to find it", async () => {
    const error = await rejectTarget({ servicePrincipalId: "my-enterprise-app" });
    expect(error.issues).toEqual([
      {
        path: "target.servicePrincipalId",
        message:
          'is not an object id (the 17 characters given are not shown, in case they are a secret put in the wrong place): Graph ids are GUIDs such as 8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b (Enterprise applications → your app → Object ID)',
      },
    ]);
  });

  test("a malformed application id points at the app registration's object id", async () => {
    const error = await rejectTarget({ applicationId: "{66666666-7777-4888-9999-aaaaaaaaaaaa}" });
    expect(error.issues[0]?.message).toContain("App registrations → your app → Object ID, not the Application (client) ID");
  });

  test("both ids", async () => {
    const error = await rejectTarget({ servicePrincipalId: SP_ID, applicationId: SP_ID });
    expect(error.issues).toEqual([{ path: "target", message: "pass exactly one of servicePrincipalId or applicationId, not both" }]);
  });

  test("neither id", async () => {
    const error = await rejectTarget({});
    expect(error.issues).toEqual([{ path: "target", message: "pass servicePrincipalId or applicationId" }]);
  });

  test("appId is not applicationId", async () => {
    const error = await rejectTarget({ appId: SP_ID });
    expect(error.issues[0]).toEqual({
      path: "target.appId",
      message:
        'unknown property; did you mean "applicationId"? Note: applicationId is the app registration\'s object id, not its appId (client id).',
    });
  });

  test("a typo in the property name", async () => {
    const error = await rejectTarget({ servicePrincipalID: SP_ID });
    expect(error.issues[0]).toEqual({ path: "target.servicePrincipalID", message: 'unknown property; did you mean "servicePrincipalId"?' });
  });

  test("a bare id string is shown how to wrap it", async () => {
    const error = await rejectTarget(SP_ID);
    expect(error.issues[0]?.message).toContain(`wrap the id: { servicePrincipalId: "${SP_ID}" }`);
  });

  test("a non-string id", async () => {
    const error = await rejectTarget({ applicationId: 12 });
    expect(error.issues[0]).toEqual({ path: "target.applicationId", message: "must be a string, not a number" });
  });
});

test("clientRequestId must be a usable header value", async () => {
  const client = createSyncClient({ credential, baseUrl: server.url });
  const error = await captureError(
    client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }, { clientRequestId: "bad\nid" }),
  );
  expect(error).toMatchObject({ kind: "validation", issues: [{ path: "options.clientRequestId" }] });
});

test("a missing credential is a configuration error", () => {
  expect(() => createSyncClient({} as never)).toThrow(/createSyncClient needs a credential/);
});
