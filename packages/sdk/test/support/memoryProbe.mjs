// Run as a child process by hardening.test.ts: one acquireAccessToken call against a hostile server,
// in a fresh process so that its peak memory (maxRSS) says what the call itself cost. Prints one
// JSON line: the growth of the peak during the hostile call, and the error the call ended with.
import { createSyncClient } from "@graph-sync/sdk";

const [baseUrl] = process.argv.slice(2);
const client = createSyncClient({
  credential: { getToken: async () => ({ token: "probe-token-0123456789", expiresOnTimestamp: Date.now() + 3_600_000 }) },
  baseUrl,
  retry: { maxRetries: 0 },
  attemptTimeoutInMs: 10_000,
  logger: {},
});
const target = { servicePrincipalId: "11111111-2222-4333-8444-555555555555" };
const credentials = { Oauth2AuthorizationCode: "probe-code-value-123456" };

async function call(clientRequestId) {
  try {
    await client.acquireAccessToken(target, credentials, { clientRequestId });
    return { ok: true };
  } catch (error) {
    return { ok: false, kind: error.kind, status: error.status, message: error.message };
  }
}

// The first call loads Kiota and warms everything up; only the second is measured.
await call("warm-up");
globalThis.gc?.();
const before = process.resourceUsage().maxRSS;
const outcome = await call("hostile");
const growthInMiB = (process.resourceUsage().maxRSS - before) / 1024;
process.stdout.write(`${JSON.stringify({ growthInMiB, ...outcome })}\n`);
