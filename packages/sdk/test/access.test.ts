// Who may call acquireAccessToken, through the SDK against the emulator: an app with each
// application permission alone, and a signed-in user (a real @azure/identity DeviceCodeCredential)
// with each delegated permission and directory role; both styles of refusal; the device code flow's
// errors. Every answer and every piece of advice is asserted.
import tls from "node:tls";
import { ClientSecretCredential, DeviceCodeCredential, type DeviceCodeInfo } from "@azure/identity";
import { startEmulator, type PermissionDenialStyle, type RunningEmulator } from "@graph-sync/test-support";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { createSyncClient, type GraphSyncError, type SyncTarget } from "@graph-sync/sdk";
import type { TokenCredential } from "@azure/core-auth";
import { captureError } from "./support/capture.js";

let emulator: RunningEmulator;
let now = Date.now();
beforeAll(async () => {
  emulator = await startEmulator({ throttling: { enabled: false }, clock: () => now, deviceCodePollingIntervalInSeconds: 1 });
  tls.setDefaultCACertificates([...tls.getCACertificates("default"), emulator.caCertPem]);
});
afterAll(() => emulator.close());
beforeEach(async () => {
  now = Date.now();
  await emulator.admin.reset();
  await emulator.admin.setAccess({});
});

const identityOptions = () => ({ authorityHost: emulator.loginUrl, disableInstanceDiscovery: true });
const servicePrincipal = (): SyncTarget => ({ servicePrincipalId: emulator.servicePrincipalId });
const application = (): SyncTarget => ({ applicationId: emulator.applicationId });

async function call(credential: TokenCredential, target: SyncTarget) {
  const id = "servicePrincipalId" in target ? target.servicePrincipalId : target.applicationId;
  const client = createSyncClient({ credential, baseUrl: emulator.graphUrl, logger: {} });
  return client.acquireAccessToken(target, { Oauth2AuthorizationCode: await emulator.getAuthorizationCode(id), Oauth2RedirectUri: emulator.target.redirectUri });
}

/** An app of the demo tenant with exactly these application permissions, owning what `owns` lists. */
async function appWith(roles: string[]): Promise<{ credential: TokenCredential; servicePrincipalId: string }> {
  const app = (await emulator.admin.seed({ clientApplications: [{ tenantId: emulator.tenantId, roles }] })).clientApplications[0]!;
  return {
    credential: new ClientSecretCredential(emulator.tenantId, app.appId, app.secrets[0]!.value, identityOptions()),
    servicePrincipalId: app.servicePrincipalId,
  };
}

async function own(objects: { servicePrincipal?: boolean; application?: boolean }, owner: string): Promise<void> {
  const state = await emulator.admin.state();
  const seedOf = (kind: "servicePrincipals" | "applications", id: string) => {
    const object = state[kind].find((candidate) => candidate.id === id)!;
    return { id, tenantId: emulator.tenantId, owners: [...object.owners, owner], targetClientId: object.targetClientId! };
  };
  await emulator.admin.seed({
    ...(objects.servicePrincipal && { servicePrincipals: [seedOf("servicePrincipals", emulator.servicePrincipalId)] }),
    ...(objects.application && { applications: [seedOf("applications", emulator.applicationId)] }),
  });
}

/** The advice every refusal carries: all permissions, least privileged first, and the roles. */
function expectAccessAdvice(error: GraphSyncError, target: "service principal" | "application"): void {
  const owned =
    target === "service principal"
      ? "Application.ReadWrite.OwnedBy, with the app an owner of the service principal itself (owning its app registration is not enough); Synchronization.ReadWrite.All; or Directory.ReadWrite.All"
      : "Application.ReadWrite.OwnedBy, with the app an owner of the application; Synchronization.ReadWrite.All; or Directory.ReadWrite.All";
  expect(error.message).toContain(owned);
  expect(error.message).toContain("it grants far more, so prefer Synchronization.ReadWrite.All");
  expect(error.message).toContain(
    "a signed-in user needs the delegated Synchronization.ReadWrite.All (or Directory.ReadWrite.All) and one of the directory roles Application Administrator, Cloud Application Administrator or Hybrid Identity Administrator (for Microsoft Entra Cloud Sync)".replace("a signed-in", "A signed-in"),
  );
  expect(error.message).toContain("get a new token: a token keeps the permissions and roles it was issued with");
}

/** A refusal in the chosen style, with its advice. */
function expectRefused(error: GraphSyncError, style: PermissionDenialStyle, target: "service principal" | "application" = "service principal"): void {
  if (style === "unknown-error") {
    expect(error).toMatchObject({ kind: "permission", status: 401, code: "UnknownError", requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(error.message).toMatch(/^The synchronization service refused the call for /);
    expect(error.message).toContain("(401 UnknownError)");
    expect(error.message).toContain("two possible causes: most often the caller's permission, role or ownership does not allow the call");
    expect(error.message).toContain("less often the token itself was not accepted (check that it is for https://graph.microsoft.com/.default");
  } else {
    expect(error).toMatchObject({ kind: "permission", status: 403, code: "Authorization_RequestDenied" });
    expect(error.message).toMatch(/^Graph denied access to the synchronization of /);
    expect(error.message).toContain("(403 Authorization_RequestDenied: Insufficient privileges to complete the operation.)");
  }
  expectAccessAdvice(error, target);
}

describe("an app with each application permission alone", () => {
  test("Application.ReadWrite.OwnedBy, owning the service principal: 204", async () => {
    const app = await appWith(["Application.ReadWrite.OwnedBy"]);
    await own({ servicePrincipal: true }, app.servicePrincipalId);
    expect(await call(app.credential, servicePrincipal())).toMatchObject({ attempts: 1 });
  });

  test.each(["unknown-error", "forbidden"] as const)(
    "Application.ReadWrite.OwnedBy, owning only the application: refused on the service principal (%s), 204 on the application",
    async (style) => {
      await emulator.admin.setAccess({ permissionDenial: style });
      const app = await appWith(["Application.ReadWrite.OwnedBy"]);
      await own({ application: true }, app.servicePrincipalId);
      expectRefused(await captureError(call(app.credential, servicePrincipal())), style);
      expect(await call(app.credential, application())).toMatchObject({ attempts: 1 });
    },
  );

  test("Application.ReadWrite.OwnedBy, owning nothing: refused on the application too, with the application's advice", async () => {
    const app = await appWith(["Application.ReadWrite.OwnedBy"]);
    expectRefused(await captureError(call(app.credential, application())), "unknown-error", "application");
  });

  test.each(["Synchronization.ReadWrite.All", "Directory.ReadWrite.All"])("%s, owning nothing: 204 on both", async (permission) => {
    const app = await appWith([permission]);
    expect(await call(app.credential, servicePrincipal())).toMatchObject({ attempts: 1 });
    expect(await call(app.credential, application())).toMatchObject({ attempts: 1 });
  });

  test.each(["unknown-error", "forbidden"] as const)("no permission that allows the action: refused (%s)", async (style) => {
    await emulator.admin.setAccess({ permissionDenial: style });
    const app = await appWith(["User.Read.All"]);
    expectRefused(await captureError(call(app.credential, servicePrincipal())), style);
  });
});

/** A DeviceCodeCredential whose sign-in the emulator approves at once as `user`. */
async function signedInAs(user: string, clientId = emulator.clientId, tenantId = emulator.tenantId): Promise<{ credential: TokenCredential; prompts: DeviceCodeInfo[] }> {
  await emulator.admin.setAccess({ autoApproveDeviceCodes: user });
  const prompts: DeviceCodeInfo[] = [];
  const credential = new DeviceCodeCredential({ tenantId, clientId, ...identityOptions(), userPromptCallback: (info) => void prompts.push(info) });
  return { credential, prompts };
}

async function userWith(directoryRoles: string[], extra: { personalAccount?: boolean } = {}): Promise<string> {
  const seeded = await emulator.admin.seed({ users: [{ tenantId: emulator.tenantId, directoryRoles, ...extra }] });
  return seeded.users[0]!.userPrincipalName;
}

async function publicAppWith(delegatedPermissions: string[]): Promise<string> {
  const seeded = await emulator.admin.seed({ clientApplications: [{ tenantId: emulator.tenantId, delegatedPermissions, allowPublicClientFlows: true }] });
  return seeded.clientApplications[0]!.appId;
}

describe("a signed-in user (DeviceCodeCredential) with each delegated permission and role", () => {
  test.each(["Application Administrator", "Cloud Application Administrator", "Hybrid Identity Administrator", "Global Administrator"])(
    "Synchronization.ReadWrite.All as %s: 204",
    async (role) => {
      const { credential, prompts } = await signedInAs(await userWith([role]));
      expect(await call(credential, servicePrincipal())).toMatchObject({ attempts: 1 });
      expect(prompts).toHaveLength(1);
    },
  );

  test("Directory.ReadWrite.All (the older page) as Cloud Application Administrator: 204", async () => {
    const clientId = await publicAppWith(["Directory.ReadWrite.All"]);
    const { credential } = await signedInAs(await userWith(["Cloud Application Administrator"]), clientId);
    expect(await call(credential, application())).toMatchObject({ attempts: 1 });
  });

  test.each([
    ["a user without an administrator role", ["User Administrator"]],
    ["a user without any role", []],
  ])("Synchronization.ReadWrite.All, %s: refused", async (_name, roles) => {
    const { credential } = await signedInAs(await userWith(roles));
    expectRefused(await captureError(call(credential, servicePrincipal())), "unknown-error");
  });

  test("a delegated token without a permission that allows the action, as an administrator: refused (403 style)", async () => {
    await emulator.admin.setAccess({ permissionDenial: "forbidden" });
    const clientId = await publicAppWith(["User.Read"]);
    const user = await userWith(["Application Administrator"]);
    await emulator.admin.setAccess({ permissionDenial: "forbidden", autoApproveDeviceCodes: user });
    const credential = new DeviceCodeCredential({ tenantId: emulator.tenantId, clientId, ...identityOptions(), userPromptCallback: () => undefined });
    expectRefused(await captureError(call(credential, servicePrincipal())), "forbidden");
  });

  test("a personal Microsoft account: refused", async () => {
    const { credential } = await signedInAs(await userWith([], { personalAccount: true }));
    expectRefused(await captureError(call(credential, servicePrincipal())), "unknown-error");
  });

  test("a token for another tenant: not-found, pointing at the tenant", async () => {
    const tenantId = (await emulator.admin.seed({ tenants: [{ domains: ["other.onmicrosoft.com"] }] })).tenants[0]!.id;
    const seeded = await emulator.admin.seed({
      clientApplications: [{ tenantId, delegatedPermissions: ["Synchronization.ReadWrite.All"], allowPublicClientFlows: true }],
      users: [{ tenantId, directoryRoles: ["Cloud Application Administrator"] }],
    });
    const { credential } = await signedInAs(seeded.users[0]!.userPrincipalName, seeded.clientApplications[0]!.appId, tenantId);
    const error = await captureError(call(credential, servicePrincipal()));
    expect(error).toMatchObject({ kind: "not-found", status: 404, code: "Request_ResourceNotFound" });
    expect(error.message).toContain("Check also that it belongs to the tenant your credential signs in to.");
  });
});

describe("the device code flow's errors, as GraphSyncErrors that say what to do", () => {
  const client = (credential: TokenCredential) => createSyncClient({ credential, baseUrl: emulator.graphUrl, logger: {} });
  const credentialWith = (onPrompt: (info: DeviceCodeInfo) => void) =>
    new DeviceCodeCredential({ tenantId: emulator.tenantId, clientId: emulator.clientId, ...identityOptions(), userPromptCallback: onPrompt });

  test("polled after the code expired: expired_token", async () => {
    // The user never signs in; Entra's clock passes the code's 15 minutes before the first poll.
    const credential = credentialWith(() => {
      now += 901_000;
    });
    const error = await captureError(client(credential).acquireAccessToken(servicePrincipal(), { Oauth2AuthorizationCode: "unused" }));
    expect(error).toMatchObject({ kind: "authentication", code: "expired_token", attempts: 0 });
    expect(error.message).toContain("The device code expired before the sign-in was completed (codes last 15 minutes): run again and enter the code at the verification page in time.");
  });

  test("expired with the SDK's device code credential: the message gives the lifetime the server gave (20 s here), not Entra's 15 minutes", async () => {
    let shortNow = Date.now();
    const shortCodes = await startEmulator({ throttling: { enabled: false }, clock: () => shortNow, deviceCodePollingIntervalInSeconds: 1, deviceCodeLifetimeInSeconds: 20 });
    try {
      const { createDeviceCodeCredential } = await import("../src/auth/deviceCodeCredential.js");
      const credential = await createDeviceCodeCredential({
        env: { AZURE_TENANT_ID: shortCodes.tenantId, AZURE_CLIENT_ID: shortCodes.clientId, AZURE_AUTHORITY_HOST: shortCodes.loginUrl },
        trustedCaPem: shortCodes.caCertPem,
        // The user never signs in; the emulator's clock passes the code's 20 seconds before the first poll.
        prompt: () => {
          shortNow += 21_000;
        },
      });
      const sdk = createSyncClient({ credential, baseUrl: shortCodes.graphUrl, logger: {} });
      const error = await captureError(sdk.acquireAccessToken({ servicePrincipalId: shortCodes.servicePrincipalId }, { Oauth2AuthorizationCode: "unused" }));
      expect(error).toMatchObject({ kind: "authentication", code: "expired_token", attempts: 0 });
      expect(error.message).toContain("The device code expired before the sign-in was completed (codes last 20 s): run again");
      expect(error.message).not.toContain("15 minutes");
    } finally {
      await shortCodes.close();
    }
  });

  test("declined at the verification page: authorization_declined", async () => {
    const credential = credentialWith((info) => void emulator.admin.declineDeviceCode(info.userCode));
    const error = await captureError(client(credential).acquireAccessToken(servicePrincipal(), { Oauth2AuthorizationCode: "unused" }));
    expect(error).toMatchObject({ kind: "authentication", code: "authorization_declined" });
    expect(error.message).toContain("The sign-in was declined at the verification page: run again and approve it");
  });

  test("an app without 'Allow public client flows': AADSTS7000218 names the setting", async () => {
    const seeded = await emulator.admin.seed({ clientApplications: [{ tenantId: emulator.tenantId, delegatedPermissions: ["Synchronization.ReadWrite.All"] }] });
    await emulator.admin.setAccess({ autoApproveDeviceCodes: emulator.adminUserPrincipalName });
    const credential = new DeviceCodeCredential({ tenantId: emulator.tenantId, clientId: seeded.clientApplications[0]!.appId, ...identityOptions(), userPromptCallback: () => undefined });
    const error = await captureError(client(credential).acquireAccessToken(servicePrincipal(), { Oauth2AuthorizationCode: "unused" }));
    expect(error).toMatchObject({ kind: "authentication", code: "invalid_client" });
    expect(error.message).toContain('for sign-in with a device code, turn on "Allow public client flows" in the app registration (Authentication)');
  });
});

describe("throttling headers", () => {
  test("a call over the write quota says which limit it ran into", async () => {
    await emulator.admin.setThrottling({ enabled: true, limit: 100, writeLimit: 1, writeWindowSeconds: 150 });
    const app = await appWith(["Synchronization.ReadWrite.All"]);
    const client = createSyncClient({ credential: app.credential, baseUrl: emulator.graphUrl, logger: {}, retry: { maxRetries: 0 } });
    const target = servicePrincipal();
    await client.acquireAccessToken(target, { Oauth2AuthorizationCode: await emulator.getAuthorizationCode(emulator.servicePrincipalId) });
    const error = await captureError(client.acquireAccessToken(target, { Oauth2AuthorizationCode: "unused" }));
    expect(error).toMatchObject({ kind: "throttled", status: 429, code: "TooManyRequests", retryAfterInMs: 150_000 });
    expect(error.message).toContain(
      "Graph says the app ran into the write quota (3,000 writes per 2 min 30 s for a small tenant; every acquireAccessToken is a write) (scope Tenant_Application/Write).",
    );
    await emulator.admin.setThrottling({ enabled: false });
  });
});
