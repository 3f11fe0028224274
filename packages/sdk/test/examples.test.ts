// The examples in examples/ run as users would run them (Node strips the types; "@graph-sync/sdk"
// resolves to the built package) against the emulator, configured through environment variables.
import { execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, test } from "vitest";
import { answerConsentPage, emulatorEnv, startTestEmulator, type RunningEmulator } from "@graph-sync/test-support";
import { packageRoot } from "./support/spawnCli.js";

const run = promisify(execFile);
let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startTestEmulator();
});
afterAll(async () => {
  await emulator.close();
});

async function runExample(file: string, code: string, extraEnv: Record<string, string> = {}) {
  const result = await run(process.execPath, [join(packageRoot, "examples", file)], {
    cwd: packageRoot,
    env: {
      PATH: process.env["PATH"],
      ...emulatorEnv(emulator),
      GRAPH_SYNC_GRAPH_URL: emulator.graphUrl,
      GRAPH_SYNC_SERVICE_PRINCIPAL_ID: emulator.servicePrincipalId,
      GRAPH_SYNC_APPLICATION_ID: emulator.applicationId,
      GRAPH_SYNC_AUTHORIZATION_CODE: code,
      GRAPH_SYNC_REDIRECT_URI: emulator.target.redirectUri,
      ...extraEnv,
    },
    timeout: 20_000,
  });
  for (const secret of [code, emulator.clientSecret]) expect(`${result.stdout}${result.stderr}`).not.toContain(secret);
  return result.stdout;
}

test.concurrent("acquireForServicePrincipal.ts authorizes the service principal", async () => {
  const stdout = await runExample("acquireForServicePrincipal.ts", await emulator.getAuthorizationCode(emulator.servicePrincipalId));
  expect(stdout).toMatch(/^Provisioning is authorized \(client-request-id [0-9a-f-]{36}, 1 attempt\(s\)\)\.$/m);
});

test.concurrent("acquireForApplication.ts authorizes the application with its own ClientSecretCredential", async () => {
  const stdout = await runExample("acquireForApplication.ts", await emulator.getAuthorizationCode(emulator.applicationId));
  expect(stdout).toContain("Provisioning is authorized for the application.");
});

test.concurrent("handleErrors.ts handles a spent code", async () => {
  const code = await emulator.getAuthorizationCode(emulator.servicePrincipalId);
  expect(await runExample("handleErrors.ts", code)).toContain("Provisioning is authorized.");
  const stdout = await runExample("handleErrors.ts", code);
  expect(stdout).toContain("Graph refused the credentials (Request_BadRequest): get a new authorization code and try again.");
  expect(stdout).toMatch(/"status":400,"requestId":"[0-9a-f-]{36}","clientRequestId":"[0-9a-f-]{36}"/);
});

test.concurrent("cancelAndTimeout.ts runs with its resilience settings", async () => {
  const stdout = await runExample("cancelAndTimeout.ts", await emulator.getAuthorizationCode(emulator.servicePrincipalId));
  expect(stdout).toContain("Done after 1 attempt(s).");
});

test("signInAsAdministrator.ts signs the administrator in with a device code and authorizes as them", async () => {
  // The emulator approves the code as its demo administrator the moment it is issued.
  await emulator.admin.setAccess({ autoApproveDeviceCodes: emulator.adminUserPrincipalName });
  const stdout = await runExample("signInAsAdministrator.ts", await emulator.getAuthorizationCode(emulator.servicePrincipalId), { AZURE_CLIENT_SECRET: "" });
  expect(stdout).toContain("Provisioning is authorized by the signed-in administrator (1 attempt(s)).");
});

test("authorizeFromYourWebApp.ts sends the browser to the consent page and authorizes from its callback", async () => {
  const child = spawn(process.execPath, [join(packageRoot, "examples", "authorizeFromYourWebApp.ts")], {
    cwd: packageRoot,
    env: {
      PATH: process.env["PATH"],
      ...emulatorEnv(emulator),
      GRAPH_SYNC_GRAPH_URL: emulator.graphUrl,
      GRAPH_SYNC_SERVICE_PRINCIPAL_ID: emulator.servicePrincipalId,
      GRAPH_SYNC_TARGET_AUTHORIZATION_URL: emulator.target.authorizeUrl,
      GRAPH_SYNC_TARGET_TOKEN_URL: emulator.target.tokenUrl,
      GRAPH_SYNC_TARGET_CLIENT_ID: emulator.target.clientId,
      GRAPH_SYNC_TARGET_CLIENT_SECRET: emulator.target.clientSecret,
    },
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 20_000,
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("close", resolve));
  const appUrl = await new Promise<string>((resolve, reject) => {
    const deadline = setTimeout(() => reject(new Error(`the example printed no URL within 15 s: ${stderr}`)), 15_000);
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open (http:\/\/127\.0\.0\.1:\d+\/) /.exec(stdout);
      if (match) {
        clearTimeout(deadline);
        resolve(match[1]!);
      }
    });
  });
  // What a browser does: follow the app to the target, choose Allow, follow the target back.
  const toTarget = await fetch(appUrl, { redirect: "manual", signal: AbortSignal.timeout(10_000) });
  const back = await answerConsentPage(toTarget.headers.get("location")!, "allow");
  const callback = await fetch(back, { signal: AbortSignal.timeout(10_000) });
  expect(callback.status).toBe(200);
  expect(await callback.text()).toBe("Provisioning is authorized. You can close this window.");
  expect(await exited).toBe(0);
  expect(stdout).toContain("Provisioning is authorized.");
  for (const secret of [emulator.target.clientSecret, new URL(back).searchParams.get("code")!]) expect(`${stdout}${stderr}`).not.toContain(secret);
});
