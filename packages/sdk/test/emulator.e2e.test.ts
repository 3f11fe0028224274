// The SDK against the emulator over real sockets, with a real @azure/identity ClientSecretCredential
// talking HTTPS to the emulated Entra ID: both targets, what gets stored, Graph's errors, throttling
// with every Retry-After form, injected faults, and beta's deprecation notice.
import tls from "node:tls";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import {
  createCredentialFromEnvironment,
  createSyncClient,
  type CreateSyncClientOptions,
  type SyncClient,
  type SyncTarget,
} from "@graph-sync/sdk";
import { captureError } from "./support/capture.js";
import { startTestEmulator, type RunningEmulator } from "@graph-sync/test-support";

let emulator: RunningEmulator;
let credential: CreateSyncClientOptions["credential"];
beforeAll(async () => {
  emulator = await startTestEmulator();
  // Trust the emulator's CA in this test process only (Node 24), as the demo does.
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), emulator.caCertPem]);
  credential = await createCredentialFromEnvironment({
    env: { AZURE_TENANT_ID: emulator.tenantId, AZURE_CLIENT_ID: emulator.clientId, AZURE_CLIENT_SECRET: emulator.clientSecret },
    authorityHost: emulator.loginUrl,
  });
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  await emulator.admin.setThrottling({ enabled: false });
  await emulator.admin.setFaults({ rate: 0 });
});

function client(options: Partial<CreateSyncClientOptions> = {}): SyncClient & { logs: string[] } {
  const logs: string[] = [];
  const logger = { info: (line: string) => logs.push(line), warning: (line: string) => logs.push(line) };
  return Object.assign(createSyncClient({ credential, baseUrl: emulator.graphUrl, logger, ...options }), { logs });
}

async function freshCredentials(objectId: string) {
  return { Oauth2AuthorizationCode: await emulator.getAuthorizationCode(objectId), Oauth2RedirectUri: emulator.target.redirectUri };
}

describe.each([
  { name: "service principal", id: () => emulator.servicePrincipalId, target: (): SyncTarget => ({ servicePrincipalId: emulator.servicePrincipalId }), collection: "servicePrincipals" as const },
  { name: "application", id: () => emulator.applicationId, target: (): SyncTarget => ({ applicationId: emulator.applicationId }), collection: "applications" as const },
])("$name", ({ id, target, collection }) => {
  test("acquireAccessToken succeeds and the provisioning service stores the tokens", async () => {
    const result = await client().acquireAccessToken(target(), await freshCredentials(id()));
    expect(result.attempts).toBe(1);
    expect(result.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const state = await emulator.admin.state();
    const stored = state[collection].find((object) => object.id === id())?.secrets.map((secret) => secret.key);
    expect(stored).toEqual(expect.arrayContaining(["Oauth2AccessToken", "Oauth2RefreshToken", "Oauth2AccessTokenCreationTime"]));
  });

  test("the same code twice: the second call is a bad-request with Graph's reason", async () => {
    const credentials = await freshCredentials(id());
    await client().acquireAccessToken(target(), credentials);
    const error = await captureError(client().acquireAccessToken(target(), credentials));
    expect(error).toMatchObject({ kind: "bad-request", status: 400, attempts: 1 });
    expect(error.message).toContain("The authorization code has already been used.");
    expect(error.message).not.toContain(credentials.Oauth2AuthorizationCode);
  });
});

test("an id that does not exist: not-found, naming the id and its kind", async () => {
  const missing = "00000000-0000-4000-8000-000000000001";
  const [servicePrincipal, application] = await Promise.all([
    captureError(client().acquireAccessToken({ servicePrincipalId: missing }, { Oauth2AuthorizationCode: "unused-code-1" })),
    captureError(client().acquireAccessToken({ applicationId: missing }, { Oauth2AuthorizationCode: "unused-code-2" })),
  ]);
  expect(servicePrincipal).toMatchObject({ kind: "not-found", status: 404 });
  expect(servicePrincipal.message).toContain(`No service principal with the id ${missing}`);
  expect(application.message).toContain(`No application with the id ${missing}`);
});

test("an object the app does not own: permission (the synchronization service's 401 UnknownError), naming the permissions", async () => {
  const seeded = await emulator.admin.seed({ servicePrincipals: [{ tenantId: emulator.tenantId, owners: [], displayName: "not owned" }] });
  const notOwned = seeded.servicePrincipals[0]?.id as string;
  const error = await captureError(client().acquireAccessToken({ servicePrincipalId: notOwned }, { Oauth2AuthorizationCode: "unused-code" }));
  expect(error).toMatchObject({ kind: "permission", status: 401, code: "UnknownError" });
  expect(error.message).toContain("Application.ReadWrite.OwnedBy");
  expect(error.message).toContain("Synchronization.ReadWrite.All");
});

test("a wrong client secret: authentication error with AADSTS7000215 from the emulated Entra ID", async () => {
  const wrong = await createCredentialFromEnvironment({
    env: { AZURE_TENANT_ID: emulator.tenantId, AZURE_CLIENT_ID: emulator.clientId, AZURE_CLIENT_SECRET: "not-the-secret-value" },
    authorityHost: emulator.loginUrl,
  });
  const error = await captureError(
    client({ credential: wrong }).acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, { Oauth2AuthorizationCode: "x-code-1" }),
  );
  expect(error).toMatchObject({ kind: "authentication", code: "AADSTS7000215", status: 401, attempts: 0 });
});

describe("throttling: the SDK waits as told and the retry succeeds", () => {
  test.each(["integer", "fractional", "http-date", "absent"] as const)("Retry-After as %s", async (retryAfterFormat) => {
    await emulator.admin.setThrottling({ enabled: true, limit: 1, windowSeconds: 1, retryAfterFormat });
    // Without Retry-After the SDK backs off blindly; retrying inside the penalty restarts it, so the
    // backoff must be able to outgrow the 1 s window: the second retry waits at least 1 s.
    const sdk = client({ retry: { initialDelayInMs: 1000 } });
    // Codes first, so that the two calls follow each other within one throttling window.
    const codes = [await freshCredentials(emulator.servicePrincipalId), await freshCredentials(emulator.servicePrincipalId)] as const;
    const first = await sdk.acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, codes[0]);
    const second = await sdk.acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, codes[1]);
    expect(first.attempts + second.attempts).toBeGreaterThanOrEqual(3);
    const retry = sdk.logs.find((line) => line.includes("retrying in")) ?? "";
    if (retryAfterFormat === "absent") expect(retry).toMatch(/Graph answered 429; retrying/);
    else expect(retry).toMatch(/Graph answered 429 with Retry-After [\d.]+ s; retrying/);
    const requests = await emulator.admin.requests();
    const ids = requests.filter((entry) => JSON.stringify(entry).includes(second.clientRequestId));
    expect(ids.length).toBeGreaterThanOrEqual(1);
  });
});

describe("injected faults", () => {
  test("503 on every attempt: retried, then a service error", async () => {
    await emulator.admin.setFaults({ rate: 1, kinds: ["503"], paths: "graph", seed: 1 });
    const error = await captureError(
      client({ retry: { maxRetries: 2, initialDelayInMs: 10 } }).acquireAccessToken(
        { servicePrincipalId: emulator.servicePrincipalId },
        { Oauth2AuthorizationCode: "fault-code-1" },
      ),
    );
    expect(error).toMatchObject({ kind: "service", status: 503, attempts: 3 });
  });

  test("a connection reset before any answer: retried (it looks like a connection closed as idle), then may have been processed", async () => {
    await emulator.admin.setFaults({ rate: 1, kinds: ["reset"], paths: "graph", seed: 1 });
    const error = await captureError(
      client({ retry: { maxRetries: 1, initialDelayInMs: 1, maxDelayInMs: 5 } }).acquireAccessToken(
        { servicePrincipalId: emulator.servicePrincipalId },
        { Oauth2AuthorizationCode: "fault-code-2" },
      ),
    );
    expect(error).toMatchObject({ kind: "network", attempts: 2, mayHaveBeenProcessed: true });
    expect(error.message).toContain("was reset before any answer (ECONNRESET) on all 2 attempts");
  });
});

test("beta: the emulator's Deprecation/Sunset headers produce one warning with the removal date", async () => {
  const sdk = client({ apiVersion: "beta" });
  await sdk.acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, await freshCredentials(emulator.servicePrincipalId));
  await sdk.acquireAccessToken({ servicePrincipalId: emulator.servicePrincipalId }, await freshCredentials(emulator.servicePrincipalId));
  const warnings = sdk.logs.filter((line) => line.includes("deprecated"));
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain("since 2026-02-06 and will remove it on 2027-07-06");
});
