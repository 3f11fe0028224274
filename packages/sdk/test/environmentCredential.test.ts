// createCredentialFromEnvironment: which variables it reads, what it builds, which authority it
// uses, and that @azure/identity is only loaded when it is called.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, test } from "vitest";
import { ClientCertificateCredential, ClientSecretCredential } from "@azure/identity";
import { createCredentialFromEnvironment } from "@graph-sync/sdk";
import { resolveAuthority } from "../src/auth/credentials.js";
import { captureError } from "./support/capture.js";
import { packageRoot } from "./support/packageRoot.js";

const run = promisify(execFile);
const base = { AZURE_TENANT_ID: "11111111-2222-4333-8444-555555555555", AZURE_CLIENT_ID: "66666666-7777-4888-9999-aaaaaaaaaaaa" };

describe("what it builds", () => {
  test("a client secret → ClientSecretCredential", async () => {
    const credential = await createCredentialFromEnvironment({ env: { ...base, AZURE_CLIENT_SECRET: "env-secret-value-1" } });
    expect(credential).toBeInstanceOf(ClientSecretCredential);
  });

  test("a certificate path (and no secret) → ClientCertificateCredential", async () => {
    const credential = await createCredentialFromEnvironment({
      env: { ...base, AZURE_CLIENT_CERTIFICATE_PATH: "/path/to/cert.pem", AZURE_CLIENT_CERTIFICATE_PASSWORD: "pfx-password-1" },
    });
    expect(credential).toBeInstanceOf(ClientCertificateCredential);
  });

  test("missing variables are named, values never shown", async () => {
    const error = await captureError(createCredentialFromEnvironment({ env: { AZURE_CLIENT_ID: base.AZURE_CLIENT_ID } }));
    expect(error).toMatchObject({ kind: "configuration", code: "MissingEnvironmentVariables" });
    expect(error.message).toContain("set AZURE_TENANT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)");
    expect(error.message).not.toContain(base.AZURE_CLIENT_ID);
  });

  test("blank values count as missing", async () => {
    const error = await captureError(createCredentialFromEnvironment({ env: { ...base, AZURE_CLIENT_SECRET: "  " } }));
    expect(error.message).toContain("AZURE_CLIENT_SECRET");
  });

  test("a non-https authority is refused before @azure/identity would", async () => {
    const error = await captureError(
      createCredentialFromEnvironment({ env: { ...base, AZURE_CLIENT_SECRET: "s-value-123", AZURE_AUTHORITY_HOST: "http://localhost:8443" } }),
    );
    expect(error).toMatchObject({ kind: "configuration", code: "InvalidAuthorityHost" });
  });
});

describe("which authority", () => {
  test.each([
    [{}, undefined, "https://login.microsoftonline.com", false],
    [{ cloud: "usgov" as const }, undefined, "https://login.microsoftonline.us", false],
    [{ cloud: "usgov-dod" as const }, undefined, "https://login.microsoftonline.us", false],
    [{ cloud: "china" as const }, undefined, "https://login.chinacloudapi.cn", false],
    [{}, "https://login.microsoftonline.us", "https://login.microsoftonline.us", false],
    [{ cloud: "usgov" as const }, "https://localhost:8443", "https://localhost:8443", true],
    [{ authorityHost: "https://localhost:9443" }, "https://localhost:8443", "https://localhost:9443", true],
    [{ authorityHost: "https://localhost:9443", disableInstanceDiscovery: false }, undefined, "https://localhost:9443", false],
  ])("options %j, AZURE_AUTHORITY_HOST %s → %s (instance discovery off: %s)", (options, fromEnv, authorityHost, disabled) => {
    expect(resolveAuthority(options, fromEnv)).toEqual({ authorityHost, disableInstanceDiscovery: disabled });
  });
});

test("@azure/identity is loaded only when createCredentialFromEnvironment is called", async () => {
  // Records every module Node resolves while the built package is used with a caller's own credential.
  const script = `
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
    const sdk = await import("@graph-sync/sdk");
    sdk.createSyncClient({ credential: { getToken: async () => null } });
    const before = seen.some((url) => url.includes("/@azure/identity/"));
    await sdk.createCredentialFromEnvironment({ env: { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "secret-x" } });
    const after = seen.some((url) => url.includes("/@azure/identity/"));
    console.log(JSON.stringify({ before, after }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot });
  expect(JSON.parse(stdout)).toEqual({ before: false, after: true });
});

test("without @azure/identity installed (an optional peer), createCredentialFromEnvironment says what to install", async () => {
  // The built package in a process where @azure/identity cannot be resolved, as in an application
  // that brings its own credential and never installed it.
  const script = `
    import { registerHooks } from "node:module";
    registerHooks({
      resolve(specifier, context, next) {
        if (specifier === "@azure/identity") throw Object.assign(new Error("Cannot find package '@azure/identity' imported from " + context.parentURL), { code: "ERR_MODULE_NOT_FOUND" });
        return next(specifier, context);
      },
    });
    const sdk = await import("@graph-sync/sdk");
    const error = await sdk.createCredentialFromEnvironment({ env: { AZURE_TENANT_ID: "t", AZURE_CLIENT_ID: "c", AZURE_CLIENT_SECRET: "secret-value-x" } }).catch((caught) => caught);
    console.log(JSON.stringify({ kind: error.kind, code: error.code, message: error.message, json: JSON.stringify(error) }));
  `;
  const { stdout, stderr } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot });
  expect(stderr).toBe("");
  const printed = JSON.parse(stdout) as { kind: string; code: string; message: string; json: string };
  expect(printed).toMatchObject({ kind: "configuration", code: "MissingAzureIdentity" });
  expect(printed.message).toContain("npm install @azure/identity@4");
  expect(printed.message).toContain("pass a TokenCredential of your own to createSyncClient");
  expect(printed.json).not.toContain("secret-value-x");
});
