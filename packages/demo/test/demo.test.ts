// The main job: the demo (what `npm start` runs) spawned from the build, on a fresh in-process
// emulator. Its output shows each step; no secret is printed.
import { join } from "node:path";
import { emulatorEnv, runProcess, startTestEmulator, type RunProcessOptions } from "@graph-sync/test-support";
import { expect, test } from "vitest";

const packageRoot = join(import.meta.dirname, "..");

/** The built demo, as `npm start -- <args>` runs it, with only PATH and what the test passes in its environment. */
function runDemo(args: readonly string[], options: Omit<RunProcessOptions, "cwd" | "env"> & { env?: Record<string, string> } = {}) {
  return runProcess(process.execPath, [join(packageRoot, "dist/main.js"), ...args], {
    ...options,
    cwd: packageRoot,
    env: { PATH: process.env["PATH"], ...options.env },
  });
}

test("the demo runs the whole flow and exits 0", async () => {
  const run = await runDemo([], { timeoutInMs: 60_000 });
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  const lines = run.stdout.split("\n");
  const step = (n: number) => lines.find((line) => line.startsWith(`${n}. `)) ?? "";
  expect(step(1)).toMatch(/^1\. Token for Graph from Entra ID over HTTPS \(ClientSecretCredential\) → ok, valid for \d+ min$/);
  expect(step(2)).toMatch(/^2\. Authorization code from the target app .* → ok \(single-use\)$/);
  expect(step(3)).toMatch(/^3\. acquireAccessToken for service principal \S+ → 204 after 1 attempt$/);
  expect(step(4)).toMatch(/^4\. acquireAccessToken for application \S+ \(with its own code\) → 204 after 1 attempt$/);
  expect(step(5)).toContain("Secrets the provisioning service now stores → values masked:");
  expect(run.stdout).toMatch(/service principal \S+ +Oauth2RedirectUri=\*{8} +Oauth2AccessToken=\*{8} +Oauth2RefreshToken=\*{8}/);
  expect(run.stdout).toMatch(/application +\S+ +Oauth2RedirectUri=\*{8} +Oauth2AccessToken=\*{8}/);
  expect(step(6)).toBe("6. Handled error: the spent authorization code sent again → handled:");
  expect(run.stdout).toContain("GraphSyncError kind=bad-request status=400 code=Request_BadRequest → CLI exit code 8");
  expect(run.stdout).toContain("The authorization code has already been used.");
  expect(step(7)).toMatch(/^7\. Throttling: .* → call 1: 204 after 1 attempt; call 2: 204 after 2 attempts$/);
  expect(run.stdout).toMatch(/SDK: Graph answered 429 with Retry-After [\d.]+ s; retrying in [\d.]+ s \(attempt 2 of 4/);
  expect(step(8)).toBe("8. Sign-in as an administrator with a device code (DeviceCodeCredential) → ok, admin@graphsyncdemo.onmicrosoft.com (Cloud Application Administrator)");
  expect(run.stdout).toMatch(/Entra ID: To sign in, use a web browser to open the page https:\/\/localhost:\d+\/devicelogin and enter the code [A-Z2-9]{9} to authenticate\./);
  expect(step(9)).toMatch(/^9\. acquireAccessToken for service principal \S+ as the administrator \(delegated Synchronization\.ReadWrite\.All\) → 204 after 1 attempt$/);
  expect(run.stdout).toContain("Done.");
  // Secret-looking values: the demo tenant's secrets are random, so look for their shapes.
  expect(run.stdout).not.toMatch(/eyJ[\w-]{10,}\./);
  expect(run.stdout).not.toMatch(/~[\w.~-]{20,}/);
}, 90_000);

test("the demo with --service-principal without the AZURE_* variables explains what is missing", async () => {
  const run = await runDemo(["--service-principal", "11111111-2222-4333-8444-555555555555"]);
  expect(run.code).toBe(2);
  expect(run.stderr).toContain("The real-tenant demo needs AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET");
});

test("the real-tenant demo, pointed at the emulator as if it were a tenant", async () => {
  // The same code path as against Microsoft's cloud, with the tenant's endpoints replaced.
  const emulator = await startTestEmulator();
  try {
    const code = await emulator.getAuthorizationCode(emulator.servicePrincipalId);
    const run = await runDemo(
      ["--service-principal", emulator.servicePrincipalId, "--graph-url", emulator.graphUrl, "--credentials-file", "-"],
      {
        env: emulatorEnv(emulator),
        stdin: JSON.stringify({ Oauth2AuthorizationCode: code, Oauth2RedirectUri: emulator.target.redirectUri }),
      },
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`graph-sync demo — your tenant ${emulator.tenantId}`);
    expect(run.stdout).toMatch(/^1\. Token for Graph from Entra ID \(ClientSecretCredential\) → ok$/m);
    expect(run.stdout).toMatch(/^2\. acquireAccessToken for service principal \S+ → 204 \(request-id [0-9a-f-]{36}\)$/m);
    expect(run.stdout).toMatch(/^3\. Handled error: the same \(now spent\) credentials sent again → handled:$/m);
    expect(run.stdout).toContain("Throttling is not provoked on a real tenant");
    for (const secret of [code, emulator.clientSecret]) expect(run.stdout).not.toContain(secret);
  } finally {
    await emulator.close();
  }
}, 60_000);
