// The logger: warnings reach stderr by default; a custom logger sees attempts and retries; a logger
// that throws never breaks a call.
import { expect, test, vi } from "vitest";
import { createSyncClient } from "@graph-sync/sdk";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { graphError, noContent, useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();

test("without a logger, Graph's deprecation warning goes to console.warn", async () => {
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  try {
    server.enqueue(noContent({ sunset: "Tue, 06 Jul 2027 00:00:00 GMT" }));
    await createSyncClient({ credential: staticCredential(), baseUrl: server.url, apiVersion: "beta" }).acquireAccessToken(
      { servicePrincipalId: SP_ID },
      { Oauth2AuthorizationCode: AUTH_CODE },
    );
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^graph-sync: .*will remove it on 2027-07-06/);
  } finally {
    warn.mockRestore();
  }
});

test("verbose and info lines describe attempts and retries", async () => {
  const lines: string[] = [];
  server.enqueue(graphError(503, "serviceNotAvailable", "Busy.", { "retry-after": "0" }), noContent());
  await createSyncClient({
    credential: staticCredential(),
    baseUrl: server.url,
    logger: { verbose: (line) => lines.push(`V ${line}`), info: (line) => lines.push(`I ${line}`) },
  }).acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }, { clientRequestId: "cid-7" });
  expect(lines).toEqual([
    `V graph-sync: attempt 1: 503 servicePrincipals/${SP_ID}`,
    "I graph-sync: Graph answered 503 with Retry-After 0 s; retrying in 0 s (attempt 2 of 4, client-request-id cid-7)",
    `V graph-sync: attempt 2: 204 servicePrincipals/${SP_ID}`,
    `V graph-sync: acquireAccessToken for servicePrincipal ${SP_ID} succeeded after 2 attempt(s) (request-id req-204)`,
  ]);
});

test("a logger that throws does not break the call", async () => {
  const explode = () => {
    throw new Error("logger broke");
  };
  server.enqueue(graphError(429, "TooManyRequests", "Slow.", { "retry-after": "0" }));
  const result = await createSyncClient({
    credential: staticCredential(),
    baseUrl: server.url,
    logger: { verbose: explode, info: explode, warning: explode },
  }).acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(result.attempts).toBe(2);
});
