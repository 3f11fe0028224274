// Importing the SDK is cheap: the Kiota stack (and the generated client over it) loads with a
// client's first call, and validation runs on code ajv generated ahead of time, so ajv never loads.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { expect, test } from "vitest";
import { packageRoot } from "./support/packageRoot.js";

const run = promisify(execFile);

test("Kiota loads with the first call, ajv never", async () => {
  // Records every module Node resolves while the built package is imported and used.
  const script = `
    import { registerHooks } from "node:module";
    const seen = [];
    registerHooks({ resolve(specifier, context, next) { const result = next(specifier, context); seen.push(result.url); return result; } });
    const loaded = () => ({
      kiota: seen.some((url) => url.includes("/@microsoft/kiota-")),
      client: seen.some((url) => url.includes("/packages/client/") || url.includes("/@graph-sync/client/")),
      ajv: seen.some((url) => url.includes("/ajv/")),
    });
    const sdk = await import("@graph-sync/sdk");
    const client = sdk.createSyncClient({
      credential: { getToken: async () => ({ token: "t".repeat(40), expiresOnTimestamp: Date.now() + 3600000 }) },
      baseUrl: "http://127.0.0.1:9",
      fetch: async () => new Response(null, { status: 204 }),
    });
    const atImport = loaded();
    const invalid = await client.acquireAccessToken({ servicePrincipalId: "nope" }, { Oauth2AuthorizationCod: "x-secret" }).catch((error) => error.kind);
    const afterValidationError = loaded();
    const result = await client.acquireAccessToken({ servicePrincipalId: "8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b" }, { Oauth2AuthorizationCode: "x-secret" });
    console.log(JSON.stringify({ atImport, invalid, afterValidationError, attempts: result.attempts, afterCall: loaded() }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot });
  const none = { kiota: false, client: false, ajv: false };
  expect(JSON.parse(stdout)).toEqual({
    atImport: none,
    invalid: "validation",
    afterValidationError: none,
    attempts: 1,
    afterCall: { kiota: true, client: true, ajv: false },
  });
});

test("a call that succeeds loads no failure builder, no deprecation notice, no Authorize-step or tooling module; the first failure loads the builders", async () => {
  // Which of the SDK's own built files are loaded, by folder or name, after a v1.0 call that
  // succeeds and after one that fails with Graph's answer (a 400).
  const script = `
    import { registerHooks } from "node:module";
    const seen = new Set();
    registerHooks({ load(url, context, next) { if (url.includes("/packages/sdk/dist/")) seen.add(url.slice(url.indexOf("/dist/") + 6)); return next(url, context); } });
    const sdkFiles = (pattern) => [...seen].filter((file) => pattern.test(file)).sort();
    const watched = () => ({
      failures: sdkFiles(/^failures\\/(?!callFacts)/),
      deprecation: sdkFiles(/deprecation/i),
      authorization: sdkFiles(/^authorization\\//),
      tooling: sdkFiles(/^tooling|parseCredentialsJson/),
    });
    const sdk = await import("@graph-sync/sdk");
    let status = 204;
    const client = sdk.createSyncClient({
      credential: { getToken: async () => ({ token: "t".repeat(40), expiresOnTimestamp: Date.now() + 3600000 }) },
      baseUrl: "http://127.0.0.1:9",
      retry: { maxRetries: 0 },
      fetch: async () => new Response(status === 204 ? null : '{"error":{"code":"Request_BadRequest","message":"bad"}}', { status, headers: { "content-type": "application/json" } }),
    });
    const target = { servicePrincipalId: "8f2c5c41-3b5e-4a7f-9e0b-2c4d1e6f7a8b" };
    await client.acquireAccessToken(target, { Oauth2AuthorizationCode: "x-secret" });
    const afterSuccess = watched();
    status = 400;
    const kind = await client.acquireAccessToken(target, { Oauth2AuthorizationCode: "x-secret" }).catch((error) => error.kind);
    console.log(JSON.stringify({ afterSuccess, kind, afterFailure: watched() }));
  `;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", script], { cwd: packageRoot });
  const result = JSON.parse(stdout);
  expect(result.afterSuccess).toEqual({ failures: [], deprecation: [], authorization: [], tooling: [] });
  expect(result.kind).toBe("bad-request");
  expect(result.afterFailure.failures).toEqual(expect.arrayContaining(["failures/graphAnswers.js", "failures/graphAdvice.js"]));
  expect(result.afterFailure.authorization).toEqual([]);
  expect(result.afterFailure.tooling).toEqual([]);
});
