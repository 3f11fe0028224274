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
