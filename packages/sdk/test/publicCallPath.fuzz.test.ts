// Property tests of the public call path, createSyncClient → acquireAccessToken, with fast-check:
// arbitrary caller input, and arbitrary answers from a real server on 127.0.0.1 that echoes the
// secrets it was sent into its status line's neighbours (error code, message, request ids). For
// every case the call settles with a result or a GraphSyncError (never another error: a "crash"),
// and no secret appears in any field or rendering of the error (a "leak"). The run count is fixed,
// so CI time is bounded; FUZZ_SEED reproduces a failing run.
import fc from "fast-check";
import { afterAll, test } from "vitest";
import { createSyncClient, isGraphSyncError, synchronizationSecretKeys, type AcquireAccessTokenCredentials } from "@graph-sync/sdk";
import { everyRendering } from "./support/capture.js";
import { SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();
const seed = process.env["FUZZ_SEED"] === undefined ? undefined : Number(process.env["FUZZ_SEED"]);
const figures = { cases: 0, crashes: 0, leaks: 0 };
afterAll(() => {
  console.info(`public call path fuzz: ${figures.cases} cases, ${figures.crashes} crashes, ${figures.leaks} leaks`);
});

/** Runs one call and counts it: a crash is anything but a result or a GraphSyncError; a leak is a secret in the error. */
async function check(call: () => Promise<unknown>, secrets: readonly string[]): Promise<void> {
  figures.cases += 1;
  try {
    await call();
  } catch (error) {
    if (!isGraphSyncError(error)) {
      figures.crashes += 1;
      throw new Error(`crash: ${String(error)}`);
    }
    const text = everyRendering(error);
    const leaked = secrets.find((secret) => text.includes(secret));
    if (leaked !== undefined) {
      figures.leaks += 1;
      throw new Error(`leak of a secret in: ${text.slice(0, 300)}`);
    }
  }
}

const secretValue = fc.stringMatching(/^[A-Za-z0-9._~-]{8,40}$/);
const secretKey = fc.constantFrom(...synchronizationSecretKeys);

test("arbitrary caller input: a result or a GraphSyncError, no value echoed", async () => {
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, retry: { maxRetries: 0 } });
  const credentials = fc.oneof(
    fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true, withBoxedValues: true, withMap: true }),
    fc.dictionary(fc.oneof(secretKey, fc.string()), fc.oneof(secretValue, fc.anything({ maxDepth: 1 })), { maxKeys: 60 }),
    fc.array(fc.record({ key: fc.oneof(secretKey, fc.string()), value: fc.oneof(secretValue, fc.integer()) }, { requiredKeys: [] }), { maxLength: 60 }),
  );
  const target = fc.oneof(fc.constant({ servicePrincipalId: SP_ID }), fc.anything({ maxDepth: 2 }), fc.record({ applicationId: fc.string() }));
  await fc.assert(
    fc.asyncProperty(credentials, target, async (input, where) => {
      // Secret-like values (letters and digits, no blanks): a random word could also occur in a message
      // by chance, and a key name given as the `key` of a pair is named on purpose.
      const secrets = collectStrings(input).filter(
        (value) => /^(?=.*\d)(?=.*[A-Za-z])\S{8,}$/.test(value) && !(synchronizationSecretKeys as readonly string[]).includes(value),
      );
      await check(() => client.acquireAccessToken(where as never, input as AcquireAccessTokenCredentials), secrets);
    }),
    { numRuns: 200, ...(seed !== undefined && { seed }) },
  );
}, 90_000);

test("arbitrary answers that echo the secrets: a result or a GraphSyncError, no secret in any field", async () => {
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, retry: { maxRetries: 0 }, attemptTimeoutInMs: 5_000 });
  const answer = fc.record({
    status: fc.constantFrom(200, 204, 301, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504),
    contentType: fc.constantFrom(undefined, "application/json", "text/html", "text/plain"),
    /** Where the server puts the first secret it was sent. */
    echoIn: fc.subarray(["code", "message", "request-id", "client-request-id", "www-authenticate", "raw"] as const),
    padding: fc.nat({ max: 600 }),
    shape: fc.constantFrom("envelope", "raw", "empty", "broken"),
  });
  const call = fc.record({
    code: secretValue,
    others: fc.dictionary(secretKey, secretValue, { maxKeys: 4 }),
    answer,
  });
  await fc.assert(
    fc.asyncProperty(call, async ({ code, others, answer: a }) => {
      const credentials = { ...others, Oauth2AuthorizationCode: code };
      server.enqueue((_request, res) => {
        const echo = (where: (typeof a.echoIn)[number]) => (a.echoIn.includes(where) ? `${"p".repeat(a.padding)}${code}` : "x");
        const headers: Record<string, string> = {
          ...(a.contentType && { "content-type": a.contentType }),
          "request-id": echo("request-id"),
          "client-request-id": echo("client-request-id"),
          ...(a.status === 401 && { "www-authenticate": `Bearer error_description="${echo("www-authenticate")}"` }),
          ...(a.status >= 300 && a.status < 400 && { location: `https://elsewhere.example/?code=${code}` }),
        };
        const body =
          a.status === 204
            ? undefined
            : a.shape === "envelope"
              ? JSON.stringify({ error: { code: echo("code"), message: `failed ${echo("message")} ${echo("raw")}` } })
              : a.shape === "raw"
                ? `<html>${echo("raw")}</html>`
                : a.shape === "broken"
                  ? `{"error": {"code": "${echo("code")}"`
                  : "";
        res.writeHead(a.status, headers);
        res.end(body);
      });
      await check(() => client.acquireAccessToken({ servicePrincipalId: SP_ID }, credentials), [code, ...Object.values(others), TEST_TOKEN]);
    }),
    { numRuns: 120, ...(seed !== undefined && { seed }) },
  );
}, 90_000);

/** Every string value in a (possibly hostile) value, read defensively and boundedly. Key names are checked in hardening.test.ts. */
function collectStrings(value: unknown, depth = 0, found: string[] = []): string[] {
  if (typeof value === "string") found.push(value);
  if (typeof value !== "object" || value === null || depth > 4 || found.length > 200) return found;
  try {
    for (const key of Reflect.ownKeys(value).slice(0, 100)) {
      collectStrings((value as Record<PropertyKey, unknown>)[key], depth + 1, found);
    }
  } catch {
    // A value the SDK also cannot read: nothing to collect.
  }
  return found;
}
