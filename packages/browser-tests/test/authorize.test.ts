// The Authorize step end to end in headless Chromium: `graph-sync authorize --no-browser` prints
// the URL, the browser opens it, a person's clicks on the emulated target's consent page are
// Chromium's, and the redirect comes back to the command's loopback listener or is pasted.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { authorizeCommandLine, authorizeEnv, startEmulator, type RunningEmulator } from "@graph-sync/test-support";
import { launchChromium, openPage } from "./support/browser.js";
import { startCli, type RunningCli } from "./support/cli.js";
import { screenshotForReadme } from "./support/screenshots.js";

const portal = "https://portal.azure.com/TokenAuthorize";
const printedUrl = /^(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m;

let emulator: RunningEmulator;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let dialogs: string[];

beforeAll(async () => {
  [emulator, browser] = await Promise.all([startEmulator({ throttling: { enabled: false } }), launchChromium()]);
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

function authorize(redirectUri: string, extra: string[] = []): RunningCli {
  return startCli(authorizeCommandLine(emulator, redirectUri, extra), authorizeEnv(emulator));
}

/**
 * Clicks Allow and returns the address the browser is sent to, the one a person copies from the
 * address bar. The portal itself cannot be reached from here (no network; and a redirect's target
 * cannot be answered by a Playwright route), so its address is read from the target's 303.
 */
async function allowAndLandOnPortal(): Promise<string> {
  const [decision] = await Promise.all([page.waitForResponse((response) => response.request().method() === "POST"), page.click("#allow")]);
  expect(decision.status()).toBe(303);
  const location = decision.headers()["location"]!;
  expect(location.startsWith(`${portal}?`)).toBe(true);
  return location;
}

async function tokenAcquisitions(): Promise<number> {
  return (await emulator.admin.state()).servicePrincipals.find((object) => object.id === emulator.servicePrincipalId)!.tokenAcquisitions;
}

function expectNoSecrets(output: { stdout: string; stderr: string }, secrets: string[]) {
  for (const secret of [emulator.target.clientSecret, emulator.clientSecret, ...secrets]) {
    expect(output.stdout).not.toContain(secret);
    expect(output.stderr).not.toContain(secret);
  }
}

describe("graph-sync authorize in a browser", () => {
  test("loopback redirect: Allow → the listener's page → exit 0 → the emulator stores the tokens (and the README's screenshot)", async () => {
    const before = await tokenAcquisitions();
    const cli = authorize("http://127.0.0.1/callback");
    const [, url] = await cli.stderrMatch(printedUrl);
    const response = await page.goto(url!);
    expect(response?.status()).toBe(200);
    await expect(page.locator("h1").textContent()).resolves.toBe("Allow access to your account?");
    await expect(page.locator("main").textContent()).resolves.toContain("graph-sync demo target asks to access your account");
    await screenshotForReadme(page, "consent-page");
    await Promise.all([page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/callback\?/), page.click("#allow")]);
    await expect(page.locator("h1").textContent()).resolves.toBe("graph-sync received the answer");
    const code = new URL(page.url()).searchParams.get("code")!;
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Graph accepted the credentials");
    expect(await tokenAcquisitions()).toBe(before + 1);
    const stored = (await emulator.admin.state()).servicePrincipals.find((object) => object.id === emulator.servicePrincipalId)!;
    expect(stored.secrets.map((secret) => secret.key)).toEqual(expect.arrayContaining(["Oauth2AccessToken", "Oauth2RefreshToken"]));
    expectNoSecrets(result, [code]);
  });

  test("a reload of the listener's page after the answer is told the sign-in is finished", async () => {
    const cli = authorize("http://127.0.0.1/callback", ["--device-code"]);
    const [, url] = await cli.stderrMatch(printedUrl);
    await page.goto(url!);
    await Promise.all([page.waitForURL(/\/callback\?/), page.click("#allow")]);
    // --device-code: the command now waits for a sign-in nobody does, so the listener is still up.
    await cli.stderrMatch(/enter the code/);
    const reload = await page.reload();
    expect(reload?.status()).toBe(409);
    await expect(page.locator("h1").textContent()).resolves.toBe("This sign-in is already finished");
    cli.child.kill("SIGINT");
    await cli.exited;
  });

  test("the portal's redirect URI: the address the browser ends on is pasted (stdin), exit 0", async () => {
    const before = await tokenAcquisitions();
    const cli = authorize(portal);
    const [, url] = await cli.stderrMatch(printedUrl);
    await page.goto(url!);
    const landedOn = await allowAndLandOnPortal();
    cli.child.stdin.end(`${landedOn}\n`);
    const result = await cli.exited;
    expect(result.code).toBe(0);
    expect(await tokenAcquisitions()).toBe(before + 1);
    expectNoSecrets(result, [new URL(landedOn).searchParams.get("code")!]);
  });

  test("Deny: access_denied by name, exit 9, nothing sent to Graph", async () => {
    const before = await tokenAcquisitions();
    const cli = authorize("http://127.0.0.1/callback");
    const [, url] = await cli.stderrMatch(printedUrl);
    await page.goto(url!);
    await Promise.all([page.waitForURL(/\/callback\?/), page.click("#deny")]);
    expect(new URL(page.url()).searchParams.get("error")).toBe("access_denied");
    const result = await cli.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("The target answered access_denied");
    expect(await tokenAcquisitions()).toBe(before);
  });

  test("a tampered state: refused, exit 9, nothing sent to Graph", async () => {
    const before = await tokenAcquisitions();
    const cli = authorize("http://127.0.0.1/callback");
    const [, url] = await cli.stderrMatch(printedUrl);
    const tampered = new URL(url!);
    tampered.searchParams.set("state", "forged-by-someone-else");
    await page.goto(tampered.toString());
    await Promise.all([page.waitForURL(/\/callback\?/), page.click("#allow")]);
    const result = await cli.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("The redirect's state is not the one of this request");
    expect(await tokenAcquisitions()).toBe(before);
  });

  test("a spent code: Graph's exchange is refused and reported (exit 8)", async () => {
    const cli = authorize(portal);
    const [, url] = await cli.stderrMatch(printedUrl);
    await page.goto(url!);
    const landedOn = await allowAndLandOnPortal();
    const code = new URL(landedOn).searchParams.get("code")!;
    const spent = await fetch(emulator.target.tokenUrl, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: portal, client_id: emulator.target.clientId, client_secret: emulator.target.clientSecret }),
      signal: AbortSignal.timeout(10_000),
    });
    expect(spent.status).toBe(200);
    cli.child.stdin.end(`${landedOn}\n`);
    const result = await cli.exited;
    expect(result.code).toBe(8);
    expect(result.stderr).toContain("already been used");
    expectNoSecrets(result, [code]);
  });

  test("nobody clicks: the --timeout ends the command with exit 9", async () => {
    const cli = authorize("http://127.0.0.1/callback", ["--timeout", "2"]);
    const [, url] = await cli.stderrMatch(printedUrl);
    await page.goto(url!);
    const result = await cli.exited;
    expect(result.code).toBe(9);
    expect(result.stderr).toContain("No redirect arrived within 2 s");
  });
});

describe("the consent page in a browser", () => {
  const hostile = `"'><script>window.__pwned=1;alert(1)</script><img src=x onerror="window.__pwned=2;alert(2)">`;

  test("hostile values in every echoed parameter and in the client's name: shown as text, no script runs, CSP present", async () => {
    await emulator.admin.seed({ targetClients: [{ clientId: "hostile-client", displayName: hostile, redirectUris: ["http://127.0.0.1/callback"] }] });
    const url = new URL(emulator.target.authorizeUrl);
    url.search = new URLSearchParams({
      response_type: "code",
      client_id: "hostile-client",
      redirect_uri: "http://127.0.0.1:9/callback",
      scope: hostile,
      state: hostile,
    }).toString();
    const response = await page.goto(url.toString());
    expect(response?.headers()["content-security-policy"]).toContain("script-src 'none'");
    expect(response?.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    await expect(page.locator("main").textContent()).resolves.toContain(`${hostile} asks to access your account`);
    await expect(page.locator("input[name=state]").inputValue()).resolves.toBe(hostile);
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("script, img").count()).toBe(0);

    // The refusal page echoes the redirect URI: hostile there too.
    const refused = new URL(url);
    refused.searchParams.set("redirect_uri", `https://x.test/${hostile}`);
    const refusal = await page.goto(refused.toString());
    expect(refusal?.status()).toBe(400);
    await expect(page.locator("#problem").textContent()).resolves.toContain("is not registered for client 'hostile-client'");
    expect(await page.evaluate(() => (globalThis as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator("script, img").count()).toBe(0);
  });

  test("an unregistered or non-https redirect URI gets a page, and the browser stays at the target", async () => {
    for (const redirectUri of ["https://attacker.example.test/cb", "http://attacker.example.test/cb"]) {
      const url = new URL(emulator.target.authorizationRequestUrl);
      url.searchParams.set("redirect_uri", redirectUri);
      const response = await page.goto(url.toString());
      expect(response?.status()).toBe(400);
      expect(new URL(page.url()).origin).toBe(emulator.targetUrl);
      await expect(page.locator("h1").textContent()).resolves.toBe("The address to send you back to is not allowed");
    }
  });

  test("a forged anti-forgery token: the page refuses the form and nothing is stored", async () => {
    const codesBefore = (await emulator.admin.state()).authorizationCodes.length;
    await page.goto(emulator.target.authorizationRequestUrl);
    await page.locator("input[name=anti_forgery_token]").evaluate((input) => ((input as unknown as { value: string }).value = "forged-token-value"));
    const [response] = await Promise.all([page.waitForResponse((candidate) => candidate.request().method() === "POST"), page.click("#allow")]);
    expect(response.status()).toBe(400);
    await expect(page.locator("h1").textContent()).resolves.toBe("This request could not be verified");
    expect(new URL(page.url()).origin).toBe(emulator.targetUrl);
    expect((await emulator.admin.state()).authorizationCodes).toHaveLength(codesBefore);
  });

  test("the page cannot be framed", async () => {
    const [framed] = await Promise.all([
      page.waitForResponse((response) => response.url().startsWith(emulator.target.authorizeUrl)),
      page.setContent(`<iframe id="frame" src="${emulator.target.authorizationRequestUrl}"></iframe>`),
    ]);
    expect(framed.headers()["content-security-policy"]).toContain("frame-ancestors 'none'");
    const frame = await (await page.$("#frame"))!.contentFrame();
    await frame!.waitForLoadState("load");
    // Blocked by frame-ancestors 'none': the frame holds Chromium's error page, not the form.
    expect(await frame!.locator("#allow").count()).toBe(0);
  });
});
