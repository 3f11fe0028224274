// Retries of 429/503/504 and of failed connections; Retry-After in every form; backoff with
// jitter; the bounds; the abortable wait; and the rule that a request that may have run is never
// retried. Waits go through an injected clock, so nothing here sleeps.
import { expect, test } from "vitest";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createSyncClient, type CreateSyncClientOptions } from "@graph-sync/sdk";
import { createSyncClientWithClock } from "../src/syncClient.js";
import { NOT_RETRIED_EXPLANATION } from "../src/failures/noAnswerAdvice.js";
import { captureError } from "./support/capture.js";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { FakeClock } from "./support/fakeClock.js";
import { graphError, noContent, rawAnswer, resetConnection, useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();

const target = { servicePrincipalId: SP_ID };
const credentials = { Oauth2AuthorizationCode: AUTH_CODE };

function clientWith(clock: FakeClock, options: Partial<CreateSyncClientOptions> = {}) {
  const lines: string[] = [];
  const client = createSyncClientWithClock(
    {
      credential: staticCredential(),
      baseUrl: server.url,
      logger: { info: (line) => lines.push(line), verbose: (line) => lines.push(line), warning: (line) => lines.push(line) },
      ...options,
    },
    clock,
  );
  return { client, lines };
}

test.each([
  ["integer seconds", "3", 3000],
  ["fractional seconds", "2.128", 2128],
  ["zero", "0", 0],
])("429 with Retry-After as %s: waits exactly that long, then succeeds", async (_form, header, expected) => {
  const clock = new FakeClock();
  const { client, lines } = clientWith(clock);
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": header }), noContent());

  const result = await client.acquireAccessToken(target, credentials);

  expect(clock.sleeps).toEqual([expected]);
  expect(result.attempts).toBe(2);
  expect(server.requests).toHaveLength(2);
  expect(lines.some((line) => line.includes(`Graph answered 429 with Retry-After ${expected / 1000} s; retrying`))).toBe(true);
});

test("429 with Retry-After as an HTTP date: waits until that moment", async () => {
  const clock = new FakeClock();
  const { client } = clientWith(clock);
  const at = new Date(clock.now() + 5000).toUTCString();
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": at }), noContent());
  await client.acquireAccessToken(target, credentials);
  expect(clock.sleeps).toEqual([5000]);
});

test("the client-request-id, the body and the token are the same on every attempt", async () => {
  const clock = new FakeClock();
  const { client } = clientWith(clock);
  server.enqueue(
    graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "1" }),
    rawAnswer(503, ""),
    graphError(504, "GatewayTimeout", "Gateway timeout."),
    noContent(),
  );
  const result = await client.acquireAccessToken(target, credentials, { clientRequestId: "same-id" });
  expect(result.attempts).toBe(4);
  expect(server.requests.map((request) => request.headers["client-request-id"])).toEqual(["same-id", "same-id", "same-id", "same-id"]);
  expect(new Set(server.requests.map((request) => request.body)).size).toBe(1);
  expect(new Set(server.requests.map((request) => request.headers.authorization)).size).toBe(1);
});

test("without Retry-After: exponential backoff with jitter (initial 800 ms, doubling, half of it random)", async () => {
  const clock = new FakeClock(0.5);
  const { client } = clientWith(clock);
  server.enqueue(rawAnswer(503, ""), rawAnswer(503, ""), rawAnswer(504, ""), noContent());
  await client.acquireAccessToken(target, credentials);
  // nominal 800, 1600, 3200 ms → half fixed + half × 0.5
  expect(clock.sleeps).toEqual([600, 1200, 2400]);
});

test("backoff is capped by retry.maxDelayInMs and jitter stays within [half, full]", async () => {
  const low = new FakeClock(0);
  const high = new FakeClock(0.999);
  for (const clock of [low, high]) {
    const { client } = clientWith(clock, { retry: { initialDelayInMs: 1000, maxDelayInMs: 1500 } });
    server.enqueue(rawAnswer(503, ""), rawAnswer(503, ""), noContent());
    await client.acquireAccessToken(target, credentials);
  }
  expect(low.sleeps).toEqual([500, 750]);
  expect(high.sleeps).toEqual([1000, 1499]);
});

test("gives up after retry.maxRetries and reports the last answer", async () => {
  const clock = new FakeClock();
  const { client, lines } = clientWith(clock, { retry: { maxRetries: 2 } });
  server.enqueue(...Array.from({ length: 3 }, () => graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "1" })));
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ kind: "throttled", status: 429, attempts: 3, retryAfterInMs: 1000 });
  expect(error.message).toContain("still was after 3 attempts");
  expect(server.requests).toHaveLength(3);
  expect(lines.some((line) => line.includes("giving up after 3 attempts"))).toBe(true);
});

test("a Retry-After longer than the time left is not waited for", async () => {
  const clock = new FakeClock();
  const { client, lines } = clientWith(clock, { timeoutInMs: 10_000 });
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "120" }));
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(clock.sleeps).toEqual([]);
  expect(error).toMatchObject({ kind: "throttled", attempts: 1, retryAfterInMs: 120_000 });
  expect(lines.some((line) => line.includes("not waiting 120 s"))).toBe(true);
});

test.each([
  [500, "generalException"],
  [400, "Request_BadRequest"],
  [401, "InvalidAuthenticationToken"],
  [403, "Authorization_RequestDenied"],
  [404, "Request_ResourceNotFound"],
])("%i is final: no retry", async (status, code) => {
  const clock = new FakeClock();
  const { client } = clientWith(clock);
  server.enqueue(graphError(status, code, "No."));
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ status, attempts: 1 });
  expect(server.requests).toHaveLength(1);
  expect(clock.sleeps).toEqual([]);
});

test("a failure after a retried 504 says the earlier attempt may have redeemed the code", async () => {
  const clock = new FakeClock();
  const { client } = clientWith(clock);
  server.enqueue(graphError(504, "GatewayTimeout", "Gateway timeout."), graphError(400, "invalid_grant", "The code was already redeemed."));
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ kind: "bad-request", status: 400, attempts: 2, mayHaveBeenProcessed: true });
  expect(error.message).toContain("an earlier attempt of this call ended with 504 Gateway Timeout");
});

test("a connection that breaks after the request was sent is not retried, and the error says why", async () => {
  const clock = new FakeClock();
  const { client } = clientWith(clock);
  server.enqueue(resetConnection(), noContent());
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ kind: "network", attempts: 1, mayHaveBeenProcessed: true });
  expect(error.message).toContain(NOT_RETRIED_EXPLANATION);
  expect(error.message).toMatch(/redeemed only once/);
  expect(server.requests).toHaveLength(1);
});

test("a refused connection (nothing sent) is retried, then reported as a network error", async () => {
  const closed = createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const { port } = closed.address() as AddressInfo;
  await new Promise<void>((resolve) => closed.close(() => resolve()));

  const clock = new FakeClock();
  const { client } = clientWith(clock, { baseUrl: `http://127.0.0.1:${port}`, retry: { maxRetries: 2 } });
  const error = await captureError(client.acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ kind: "network", code: "ECONNREFUSED", attempts: 3, mayHaveBeenProcessed: false });
  expect(error.message).toContain("Could not connect to Graph");
  expect(error.message).toContain("Nothing was sent");
  expect(clock.sleeps).toHaveLength(2);
});

test("the wait between attempts ends as soon as the caller aborts", async () => {
  // The real clock: Graph asks for 30 s; the caller aborts as soon as the SDK starts waiting.
  const controller = new AbortController();
  const client = createSyncClient({
    credential: staticCredential(),
    baseUrl: server.url,
    logger: { info: (line) => line.includes("retrying in 30 s") && controller.abort() },
  });
  server.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "30" }));
  const error = await captureError(client.acquireAccessToken(target, credentials, { abortSignal: controller.signal }));
  expect(error).toMatchObject({ kind: "aborted", attempts: 1, mayHaveBeenProcessed: false });
  expect(error.message).toContain("between attempts, with no request in flight (the last answer was 429");
  expect(server.requests).toHaveLength(1);
});

test("retry options are checked", () => {
  expect(() => createSyncClient({ credential: staticCredential(), retry: { maxRetries: 11 } })).toThrow(
    /retry.maxRetries must be an integer from 0 to 10/,
  );
  expect(() => createSyncClient({ credential: staticCredential(), retry: { initialDelayInMs: -1 } })).toThrow(
    /retry.initialDelayInMs must be a number ≥ 0/,
  );
});
