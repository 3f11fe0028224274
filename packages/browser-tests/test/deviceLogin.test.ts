// /devicelogin in headless Chromium, driving a real `graph-sync acquire-token --device-code`: the
// person opens the page the command names, enters the code, picks the account and continues (or
// cancels), as on Entra's page; the command then finishes (or reports the decline).
import { request as httpsRequest } from "node:https";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { emulatorEnv, startEmulator, type RunningEmulator } from "@graph-sync/test-support";
import { launchChromium, openPage } from "./support/browser.js";
import { startCli, type RunningCli } from "./support/cli.js";
import { screenshotForReadme } from "./support/screenshots.js";

let emulator: RunningEmulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dialogs: string[];

beforeAll(async () => {
  [emulator, browser] = await Promise.all([
    startEmulator({ throttling: { enabled: false }, deviceCodePollingIntervalInSeconds: 1 }),
    launchChromium(),
  ]);
});
afterAll(async () => {
  await Promise.all([emulator?.close(), browser?.close()]);
});
beforeEach(async () => {
  ({ context, page, dialogs } = await openPage(browser));
});
afterEach(async () => {
  expect(dialogs).toEqual([]);
  await context.close();
});

/** `acquire-token --device-code` with a fresh code from the target; resolves to the page and code it prints. */
async function signInWithDeviceCode(): Promise<{ cli: RunningCli; verificationUri: string; userCode: string }> {
  const code = await emulator.getAuthorizationCode();
  const { AZURE_CLIENT_SECRET: _appSecret, ...env } = emulatorEnv(emulator);
  const cli = startCli(["acquire-token", "--device-code", "--service-principal", emulator.servicePrincipalId, "--graph-url", emulator.graphUrl], {
    ...env,
    GRAPH_SYNC_CREDENTIALS: JSON.stringify({ Oauth2AuthorizationCode: code }),
  });
  const [, verificationUri, userCode] = await cli.stderrMatch(/open the page (\S+) and enter the code (\w+)/);
  return { cli, verificationUri: verificationUri!, userCode: userCode! };
}

/** Starts a device code sign-in for `clientId` at the login host (HTTPS with the emulator's CA); resolves to its user code. */
function requestDeviceCode(clientId: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams({ client_id: clientId, scope: "https://graph.microsoft.com/.default" }).toString();
    const request = httpsRequest(
      `${emulator.loginUrl}/${emulator.tenantId}/oauth2/v2.0/devicecode`,
      { method: "POST", ca: emulator.caCertPem, headers: { "Content-Type": "application/x-www-form-urlencoded" }, timeout: 10_000 },
      (response) => {
        let text = "";
        response.on("data", (chunk: Buffer) => (text += chunk.toString()));
        response.on("end", () => resolve((JSON.parse(text) as { user_code: string }).user_code));
      },
    );
    request.on("timeout", () => request.destroy(new Error("the device code request timed out")));
    request.on("error", reject);
    request.end(body);
  });
}

async function tokenAcquisitions(): Promise<number> {
  return (await emulator.admin.state()).servicePrincipals.find((object) => object.id === emulator.servicePrincipalId)!.tokenAcquisitions;
}

describe("/devicelogin with graph-sync acquire-token --device-code", () => {
  test("enter the code, pick the administrator, Continue: the command finishes (and the README's screenshots)", async () => {
    const before = await tokenAcquisitions();
    const { cli, verificationUri, userCode } = await signInWithDeviceCode();
    expect(verificationUri).toBe(`${emulator.loginUrl}/devicelogin`);
    const response = await page.goto(verificationUri);
    expect(response?.status()).toBe(200);
    expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await page.fill("#otc", userCode);
    await screenshotForReadme(page, "devicelogin-enter-code");
    await page.click("#next");
    await expect(page.locator("h1").textContent()).resolves.toBe("Are you trying to sign in to graph-sync demo automation?");
    await expect(page.locator("main").textContent()).resolves.toContain(emulator.adminUserPrincipalName);
    await screenshotForReadme(page, "devicelogin-pick-account");
    await page.check(`input[name=user]`);
    await page.click("#continue");
    await expect(page.locator("#outcome").textContent()).resolves.toContain("You have signed in to the graph-sync demo automation application on your device");
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Graph accepted the credentials");
    expect(await tokenAcquisitions()).toBe(before + 1);
  });

  test("Cancel: the command reports the declined sign-in and Graph is not called", async () => {
    const before = await tokenAcquisitions();
    const { cli, verificationUri, userCode } = await signInWithDeviceCode();
    await page.goto(verificationUri);
    await page.fill("#otc", userCode);
    await page.click("#next");
    await page.click("#decline");
    await expect(page.locator("#outcome").textContent()).resolves.toContain("You declined to sign in");
    const result = await cli.exited;
    expect(result.code).toBe(3);
    expect(result.stderr.toLowerCase()).toContain("declined");
    expect(await tokenAcquisitions()).toBe(before);
  });

  test("a wrong code, then a used one, are answered on the page", async () => {
    await page.goto(`${emulator.loginUrl}/devicelogin`);
    await page.fill("#otc", "WRONGCODE");
    await page.click("#next");
    await expect(page.locator("#problem").textContent()).resolves.toBe("That code didn't work. Check the code and try again.");
    const { cli, userCode } = await signInWithDeviceCode();
    await emulator.admin.approveDeviceCode(userCode, emulator.adminUserPrincipalName);
    await page.fill("#otc", userCode);
    await page.click("#next");
    await expect(page.locator("#problem").textContent()).resolves.toContain("That code has already been used");
    await cli.exited;
  });

  test("hostile values in the code, the app's and the user's names: shown as text, no script runs", async () => {
    const hostile = `"'><script>globalThis.__pwned=1;alert(1)</script><img src=x onerror="alert(2)">`;
    const seeded = await emulator.admin.seed({
      clientApplications: [{ tenantId: emulator.tenantId, displayName: hostile, allowPublicClientFlows: true, delegatedPermissions: ["Synchronization.ReadWrite.All"] }],
      users: [{ tenantId: emulator.tenantId, userPrincipalName: "hostile@graphsyncdemo.onmicrosoft.com", displayName: hostile }],
    });
    const userCode = await requestDeviceCode(seeded.clientApplications[0]!.appId);
    await page.goto(`${emulator.loginUrl}/devicelogin`);
    await page.fill("#otc", hostile);
    await page.click("#next");
    await expect(page.locator("#problem").textContent()).resolves.toContain("That code didn't work");
    await page.fill("#otc", userCode);
    await page.click("#next");
    await expect(page.locator("h1").textContent()).resolves.toBe(`Are you trying to sign in to ${hostile}?`);
    await expect(page.locator("main").textContent()).resolves.toContain(`${hostile} hostile@graphsyncdemo.onmicrosoft.com`);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("script, img").count()).toBe(0);
  });

  test("a forged anti-forgery token is refused and approves nothing", async () => {
    const { cli, verificationUri, userCode } = await signInWithDeviceCode();
    await page.goto(verificationUri);
    await page.fill("#otc", userCode);
    await page.click("#next");
    await page.locator("input[name=anti_forgery_token]").evaluate((input) => ((input as unknown as { value: string }).value = "forged"));
    await page.click("#continue");
    await expect(page.locator("#problem").textContent()).resolves.toContain("could not be verified");
    const codes = await emulator.admin.deviceCodes();
    expect(codes.find((summary) => summary.userCode === userCode)?.status).toBe("pending");
    cli.child.kill("SIGINT");
    await cli.exited;
  });
});
