// Delegated sign-in (the device code flow over raw HTTP, with Entra's errors), the claims of
// delegated tokens, how permission refusals are answered in each style, and the throttling headers.
// Every row of the permission matrix is exercised through the SDK in packages/sdk/test/access.test.ts;
// the published clients (DeviceCodeCredential, MSAL) are in realClients.test.ts.
import { decodeJwt } from "jose";
import { describe, expect, it } from "vitest";
import { directoryRoles } from "../src/index.js";
import {
  actionUrl,
  callAction,
  credentialsFor,
  getAccessToken,
  getDelegatedToken,
  graphScope,
  pollDeviceCode,
  requestDeviceCode,
} from "./support/emulatorClients.js";
import { expectEntraError, expectGraphError } from "./support/responseShapes.js";
import { shareEmulator } from "./support/sharedEmulator.js";

const shared = shareEmulator({}, { startAt: () => Date.UTC(2026, 10, 23, 10, 0, 0) });
const spUrl = () => actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId);

async function startSignIn(form: Record<string, string> = {}) {
  const response = await requestDeviceCode(shared.emulator, { client_id: shared.emulator.clientId, scope: `${graphScope} openid`, ...form }, shared.emulator.tenantId);
  expect(response.status).toBe(200);
  return JSON.parse(response.body) as { user_code: string; device_code: string; verification_uri: string; expires_in: number; interval: number; message: string };
}

describe("the device code flow", () => {
  it("answers the device authorization request as Entra does", async () => {
    const started = await startSignIn();
    expect(started).toEqual({
      user_code: expect.stringMatching(/^[A-Z2-9]{9}$/),
      device_code: expect.any(String),
      verification_uri: `${shared.emulator.loginUrl}/devicelogin`,
      expires_in: 900,
      interval: 5,
      message: `To sign in, use a web browser to open the page ${shared.emulator.loginUrl}/devicelogin and enter the code ${started.user_code} to authenticate.`,
    });
    expect(await shared.emulator.admin.deviceCodes()).toEqual([
      { userCode: started.user_code, tenantId: shared.emulator.tenantId, clientId: shared.emulator.clientId, status: "pending", expiresAt: "2026-11-23T10:15:00.000Z" },
    ]);
    expect(JSON.stringify(await shared.emulator.admin.deviceCodes())).not.toContain(started.device_code);
  });

  it("says authorization_pending, then slow_down for a poll before the interval, then issues the tokens once", async () => {
    const { user_code: userCode, device_code: deviceCode } = await startSignIn();
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode), {
      status: 400,
      error: "authorization_pending",
      aadsts: 70016,
      description: "The provided request has not yet been authorized by the user. The user must input their code.",
    });
    shared.now += 4_000;
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode), {
      status: 400,
      error: "slow_down",
      aadsts: undefined,
      description: "The client is polling too fast. Wait at least the interval given with the device code (5 s) between polls.",
    });
    shared.now += 5_000;
    expect((await pollDeviceCode(shared.emulator, deviceCode)).status).toBe(400);
    await shared.emulator.admin.approveDeviceCode(userCode, shared.emulator.adminUserPrincipalName);
    shared.now += 5_000;
    const redeemed = await pollDeviceCode(shared.emulator, deviceCode);
    expect(redeemed.status).toBe(200);
    expect(JSON.parse(redeemed.body)).toEqual({
      token_type: "Bearer",
      scope: "Synchronization.ReadWrite.All openid",
      expires_in: expect.any(Number),
      ext_expires_in: expect.any(Number),
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      id_token: expect.any(String),
      client_info: expect.any(String),
    });
    shared.now += 5_000;
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode), {
      status: 400,
      error: "invalid_grant",
      aadsts: 70000,
      description: "The provided value for the 'device_code' is not valid. It has already been redeemed.",
    });
  });

  it("says expired_token after the code's 15 minutes, and the admin API can no longer approve it", async () => {
    const { user_code: userCode, device_code: deviceCode } = await startSignIn();
    shared.now += 900_000;
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode), { status: 400, error: "expired_token", aadsts: 70019, description: "Verification code expired." });
    await expect(shared.emulator.admin.approveDeviceCode(userCode, shared.emulator.adminUserPrincipalName)).rejects.toMatchObject({ status: 409 });
  });

  it("says authorization_declined when the user declines", async () => {
    const { user_code: userCode, device_code: deviceCode } = await startSignIn();
    await shared.emulator.admin.declineDeviceCode(userCode);
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode), {
      status: 400,
      error: "authorization_declined",
      aadsts: undefined,
      description: "The end user denied the authorization request.",
    });
  });

  it("does not know a device code of another app, and refuses approval by a user of another tenant", async () => {
    const { user_code: userCode, device_code: deviceCode } = await startSignIn();
    const other = (await shared.emulator.admin.seed({ clientApplications: [{ tenantId: shared.emulator.tenantId, allowPublicClientFlows: true }] })).clientApplications[0]!;
    expectEntraError(await pollDeviceCode(shared.emulator, deviceCode, { clientId: other.appId }), {
      status: 400,
      error: "bad_verification_code",
      aadsts: undefined,
      description: "The device_code sent to the /token endpoint wasn't recognized.",
    });
    const tenantId = (await shared.emulator.admin.seed({ tenants: [{}] })).tenants[0]!.id;
    const stranger = (await shared.emulator.admin.seed({ users: [{ tenantId, directoryRoles: ["Application Administrator"] }] })).users[0]!;
    await expect(shared.emulator.admin.approveDeviceCode(userCode, stranger.userPrincipalName)).rejects.toMatchObject({ status: 400 });
  });

  it("needs 'Allow public client flows' (AADSTS7000218) and consent for the permissions asked (AADSTS65001)", async () => {
    const seeded = await shared.emulator.admin.seed({
      clientApplications: [
        { tenantId: shared.emulator.tenantId, delegatedPermissions: ["Synchronization.ReadWrite.All"] },
        { tenantId: shared.emulator.tenantId, allowPublicClientFlows: true, displayName: "No consent" },
      ],
    });
    const [confidential, unconsented] = seeded.clientApplications;
    const attempt = async (clientId: string, scope: string) => {
      const started = JSON.parse((await requestDeviceCode(shared.emulator, { client_id: clientId, scope }, shared.emulator.tenantId)).body) as { user_code: string; device_code: string };
      await shared.emulator.admin.approveDeviceCode(started.user_code, shared.emulator.adminUserPrincipalName);
      return pollDeviceCode(shared.emulator, started.device_code, { clientId });
    };
    expectEntraError(await attempt(confidential!.appId, graphScope), {
      status: 401,
      error: "invalid_client",
      aadsts: 7000218,
      description: "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
    });
    expectEntraError(await attempt(unconsented!.appId, graphScope), {
      status: 400,
      error: "invalid_grant",
      aadsts: 65001,
      description: `The user or administrator has not consented to use the application with ID '${unconsented!.appId}' named 'No consent'. Send an interactive authorization request for this user and resource.`,
    });
    expectEntraError(await attempt(shared.emulator.clientId, "https://graph.microsoft.com/Directory.ReadWrite.All"), {
      status: 400,
      error: "invalid_grant",
      aadsts: 65001,
      description: `The user or administrator has not consented to use the application with ID '${shared.emulator.clientId}' named 'graph-sync demo automation'. Send an interactive authorization request for this user and resource.`,
    });
  });

  it("refuses a scope of another resource (AADSTS70011)", async () => {
    const response = await requestDeviceCode(shared.emulator, { client_id: shared.emulator.clientId, scope: "https://management.azure.com/.default" }, shared.emulator.tenantId);
    expectEntraError(response, {
      status: 400,
      error: "invalid_scope",
      aadsts: 70011,
      description:
        "The provided value for the input parameter 'scope' is not valid. The scope https://management.azure.com/.default is not valid. Ask for Microsoft Graph permissions of one resource ('{resource}/.default' or '{resource}/{Permission}'), optionally with openid, profile and offline_access.",
    });
  });
});

describe("delegated tokens", () => {
  it("carry scp, wids, oid and upn, and no roles", async () => {
    const claims = decodeJwt(await getDelegatedToken(shared.emulator));
    const admin = (await shared.emulator.admin.state()).users.find((user) => user.userPrincipalName === shared.emulator.adminUserPrincipalName)!;
    expect(claims).toMatchObject({
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${shared.emulator.tenantId}/`,
      tid: shared.emulator.tenantId,
      appid: shared.emulator.clientId,
      appidacr: "0",
      idtyp: "user",
      scp: "Synchronization.ReadWrite.All",
      oid: admin.id,
      upn: shared.emulator.adminUserPrincipalName,
      wids: [directoryRoles["Cloud Application Administrator"], "b79fbf4d-3ef9-4689-8143-76b194e85509"],
    });
    expect(claims).not.toHaveProperty("roles");
  });

  it("of a personal Microsoft account come from the consumers tenant, without wids", async () => {
    const user = (await shared.emulator.admin.seed({ users: [{ tenantId: shared.emulator.tenantId, userPrincipalName: "someone@outlook.com", personalAccount: true }] })).users[0]!;
    const claims = decodeJwt(await getDelegatedToken(shared.emulator, { user: user.userPrincipalName }));
    expect(claims).toMatchObject({ tid: "9188040d-6c67-4c5b-b112-36a304b66dad", idp: "live.com", scp: "Synchronization.ReadWrite.All" });
    expect(claims).not.toHaveProperty("wids");
  });

  it("let the administrator call the action; --auto-approve-device-codes approves at once", async () => {
    await shared.emulator.admin.setAccess({ autoApproveDeviceCodes: shared.emulator.adminUserPrincipalName });
    const { device_code: deviceCode } = await startSignIn();
    const token = (JSON.parse((await pollDeviceCode(shared.emulator, deviceCode)).body) as { access_token: string }).access_token;
    const code = await shared.emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), token, credentialsFor(code))).status).toBe(204);
    await shared.emulator.admin.setAccess({});
  });
});

describe("permission refusals", () => {
  const userWithout = async () =>
    (await shared.emulator.admin.seed({ users: [{ tenantId: shared.emulator.tenantId, directoryRoles: ["User Administrator"] }] })).users[0]!.userPrincipalName;

  it("are 401 UnknownError with an empty message by default, as users report them", async () => {
    expect(await shared.emulator.admin.access()).toEqual({ permissionDenial: "unknown-error", autoApproveDeviceCodes: null });
    const token = await getDelegatedToken(shared.emulator, { user: await userWithout() });
    const response = await callAction(spUrl(), token, credentialsFor("x"), { "client-request-id": "denied-1" });
    expectGraphError(response, { status: 401, code: "UnknownError", message: "", clientRequestId: "denied-1" });
    expect(response.headers["www-authenticate"]).toBeUndefined();
  });

  it("are Graph's 403 Authorization_RequestDenied when asked for", async () => {
    await shared.emulator.admin.setAccess({ permissionDenial: "forbidden" });
    const app = (await shared.emulator.admin.seed({ clientApplications: [{ tenantId: shared.emulator.tenantId, roles: ["User.Read.All"] }] })).clientApplications[0]!;
    const token = await getAccessToken(shared.emulator, { clientId: app.appId, clientSecret: app.secrets[0]!.value });
    expectGraphError(await callAction(spUrl(), token, credentialsFor("x")), {
      status: 403,
      code: "Authorization_RequestDenied",
      message: "Insufficient privileges to complete the operation.",
    });
    await shared.emulator.admin.setAccess({});
  });
});

describe("throttling headers", () => {
  it("send x-ms-throttle-limit-percentage past 80 % of a limit, and the scope app id first", async () => {
    await shared.emulator.admin.setThrottling({ limit: 10, windowSeconds: 10 });
    const statuses: Array<string | undefined> = [];
    for (let index = 0; index < 10; index += 1) statuses.push((await callAction(spUrl(), shared.token, {})).headers["x-ms-throttle-limit-percentage"] as string | undefined);
    expect(statuses).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined, "0.9", "1.0"]);
    const throttled = await callAction(spUrl(), shared.token, {});
    expect(throttled.status).toBe(429);
    expect(throttled.headers).toMatchObject({
      "x-ms-throttle-scope": `Tenant_Application/ReadWrite/${shared.emulator.clientId}/${shared.emulator.tenantId}`,
      "x-ms-throttle-information": "ResourceUnitLimitExceeded",
      "x-ms-throttle-limit-percentage": "1.1",
    });
  });

  it("count writes against their own quota, with its own window", async () => {
    await shared.emulator.admin.setThrottling({ limit: 100, windowSeconds: 10, writeLimit: 2, writeWindowSeconds: 150 });
    for (let index = 0; index < 2; index += 1) expect((await callAction(spUrl(), shared.token, {})).status).toBe(400);
    shared.now += 20_000; // the resource-unit window has rolled over; the write window has not
    const throttled = await callAction(spUrl(), shared.token, {});
    expectGraphError(throttled, {
      status: 429,
      code: "TooManyRequests",
      message: "Too many requests for this application in this tenant. Wait for the time in the Retry-After header (or back off when there is none) before retrying.",
      headers: {
        "Retry-After": "130",
        "x-ms-throttle-scope": `Tenant_Application/Write/${shared.emulator.clientId}/${shared.emulator.tenantId}`,
        "x-ms-throttle-information": "WriteLimitExceeded",
        "x-ms-throttle-limit-percentage": "1.5",
      },
    });
  });
});
