// abortSignal end to end (before the call, during the token request, with the request in flight)
// and both time limits (per attempt, per call), over real sockets. Timeouts are short; nothing
// asserts how long anything took.
import { expect, test, vi } from "vitest";
import type { TokenCredential } from "@azure/core-auth";
import { createSyncClient, type CreateSyncClientOptions } from "@graph-sync/sdk";
import { MAX_CONNECTIONS_PER_ORIGIN } from "../src/call/undiciTransport.js";
import { NOT_RETRIED_EXPLANATION } from "../src/failures/noAnswerAdvice.js";
import { captureError } from "./support/capture.js";
import { AUTH_CODE, SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { stall, useGraphServer } from "@graph-sync/test-support";

const server = await useGraphServer();

const target = { servicePrincipalId: SP_ID };
const credentials = { Oauth2AuthorizationCode: AUTH_CODE };
const client = (options: Partial<CreateSyncClientOptions> = {}) =>
  createSyncClient({ credential: staticCredential(), baseUrl: server.url, logger: {}, ...options });

/** A credential that never answers and ignores abortSignal, like a hung token endpoint. */
const hangingCredential: TokenCredential = { getToken: () => new Promise(() => undefined) };

test("an already aborted signal: nothing is sent, not even a token request", async () => {
  const credential = staticCredential();
  const error = await captureError(
    client({ credential }).acquireAccessToken(target, credentials, { abortSignal: AbortSignal.abort() }),
  );
  expect(error).toMatchObject({ kind: "aborted", code: "Aborted", attempts: 0, mayHaveBeenProcessed: false });
  expect(server.requests).toHaveLength(0);
  expect(credential.calls).toHaveLength(0);
});

test("abort while the request is in flight: rejected at once, flagged as possibly processed, not retried", async () => {
  const controller = new AbortController();
  server.enqueue(() => controller.abort());
  const error = await captureError(
    client().acquireAccessToken(target, credentials, { abortSignal: controller.signal }),
  );
  expect(error).toMatchObject({ kind: "aborted", attempts: 1, mayHaveBeenProcessed: true });
  expect(error.message).toContain("while the request was in flight");
  expect(error.message).toContain(NOT_RETRIED_EXPLANATION);
  expect(server.requests).toHaveLength(1);
});

test("abort while getting the token, with a credential that ignores abortSignal", async () => {
  const controller = new AbortController();
  const pending = client({ credential: hangingCredential }).acquireAccessToken(target, credentials, {
    abortSignal: controller.signal,
  });
  setTimeout(() => controller.abort(), 20);
  const error = await captureError(pending);
  expect(error).toMatchObject({ kind: "aborted", attempts: 0, mayHaveBeenProcessed: false });
  expect(error.message).toContain("while getting an access token; nothing was sent to Graph");
  expect(server.requests).toHaveLength(0);
});

test("the abort signal reaches the credential's getToken", async () => {
  let passed: AbortSignal | undefined;
  const credential: TokenCredential = {
    getToken: (_scopes, options) => {
      passed = options?.abortSignal as AbortSignal | undefined;
      return new Promise<never>(() => undefined);
    },
  };
  const controller = new AbortController();
  const pending = client({ credential }).acquireAccessToken(target, credentials, { abortSignal: controller.signal });
  await vi.waitFor(() => expect(passed).toBeInstanceOf(AbortSignal));
  expect(passed?.aborted).toBe(false);
  controller.abort();
  expect(await captureError(pending)).toMatchObject({ kind: "aborted", attempts: 0 });
  expect(passed?.aborted).toBe(true);
});

test("calls that start together share one token request", async () => {
  const credential = staticCredential();
  const sdk = client({ credential });
  await Promise.all(Array.from({ length: 8 }, () => sdk.acquireAccessToken(target, credentials)));
  expect(server.requests).toHaveLength(8);
  expect(credential.calls.length).toBeLessThan(8);
  expect(new Set(server.requests.map((request) => request.headers.authorization))).toEqual(new Set([`Bearer ${TEST_TOKEN}`]));
});

test("one caller's abort does not fail the others sharing its token request", async () => {
  let release: (() => void) | undefined;
  let passed: AbortSignal | undefined;
  const credential: TokenCredential = {
    getToken: (_scopes, options) => {
      passed = options?.abortSignal as AbortSignal | undefined;
      return new Promise((resolve) => {
        release = () => resolve({ token: TEST_TOKEN, expiresOnTimestamp: Date.now() + 3_600_000 });
      });
    },
  };
  const sdk = client({ credential });
  const impatient = new AbortController();
  const first = sdk.acquireAccessToken(target, credentials, { abortSignal: impatient.signal });
  const second = sdk.acquireAccessToken(target, credentials);
  await vi.waitFor(() => expect(release).toBeDefined());
  impatient.abort();
  expect(await captureError(first)).toMatchObject({ kind: "aborted" });
  expect(passed?.aborted).toBe(false);
  release!();
  await expect(second).resolves.toMatchObject({ attempts: 1 });
  expect(server.requests).toHaveLength(1);
});

test("attempt timeout: a stalled answer times out and is not retried", async () => {
  server.enqueue(stall(), stall());
  const error = await captureError(client({ attemptTimeoutInMs: 100 }).acquireAccessToken(target, credentials));
  expect(error).toMatchObject({ kind: "timeout", code: "AttemptTimeout", attempts: 1, mayHaveBeenProcessed: true });
  expect(error.message).toContain("did not answer within 100 ms (attemptTimeoutInMs)");
  expect(error.message).toContain(NOT_RETRIED_EXPLANATION);
  expect(server.requests).toHaveLength(1);
});

test("attempt timeout also covers a body that stops half-way", async () => {
  server.enqueue((_request, res) => {
    res.writeHead(503, { "content-type": "application/json" });
    res.write('{"error":');
  });
  const error = await captureError(client().acquireAccessToken(target, credentials, { attemptTimeoutInMs: 100 }));
  // The 503 status had arrived: Graph refused the request, so it was not carried out.
  expect(error).toMatchObject({ kind: "timeout", code: "AttemptTimeout", attempts: 1, mayHaveBeenProcessed: false });
});

test("the call's timeout ends a stalled call", async () => {
  server.enqueue(stall());
  const error = await captureError(
    client({ attemptTimeoutInMs: 60_000 }).acquireAccessToken(target, credentials, { timeoutInMs: 100 }),
  );
  expect(error).toMatchObject({ kind: "timeout", code: "Timeout", attempts: 1, mayHaveBeenProcessed: true });
  expect(error.message).toContain("did not finish within its timeout of 100 ms (timeoutInMs)");
});

test("the call's timeout also bounds a hung token request", async () => {
  const error = await captureError(
    client({ credential: hangingCredential, timeoutInMs: 50 }).acquireAccessToken(target, credentials),
  );
  expect(error).toMatchObject({ kind: "timeout", code: "Timeout", attempts: 0 });
  expect(error.message).toContain("while getting an access token");
  expect(server.requests).toHaveLength(0);
});

test.each([
  ["timeoutInMs", { timeoutInMs: 0 }],
  ["attemptTimeoutInMs", { attemptTimeoutInMs: Number.NaN }],
  ["timeoutInMs", { timeoutInMs: 2 ** 31 }],
])("a bad per-call %s is a validation error", async (name, options) => {
  const error = await captureError(client().acquireAccessToken(target, credentials, options));
  expect(error).toMatchObject({ kind: "validation", issues: [{ path: `options.${name}` }] });
});

test("bad client timeouts are configuration errors", () => {
  expect(() => client({ timeoutInMs: -5 })).toThrow(/timeoutInMs must be a number of milliseconds/);
});

test("time limits hold even with a custom fetch that ignores the abort signal", async () => {
  const neverSettles = () => new Promise<Response>(() => undefined);
  const error = await captureError(
    client({ fetch: neverSettles, attemptTimeoutInMs: 50 }).acquireAccessToken(target, credentials),
  );
  expect(error).toMatchObject({ kind: "timeout", code: "AttemptTimeout", attempts: 1 });
});

test("an attempt's time limit holds while its request waits for one of the transport's busy connections", async () => {
  // Every connection of the SDK's pool holds a stalled request; the next request waits in undici's queue.
  let arrived = 0;
  let allArrived: () => void = () => undefined;
  const poolBusy = new Promise<void>((resolve) => (allArrived = resolve));
  const stallAndCount = () => {
    arrived += 1;
    if (arrived === MAX_CONNECTIONS_PER_ORIGIN) allArrived();
  };
  server.enqueue(...Array.from({ length: MAX_CONNECTIONS_PER_ORIGIN }, () => stallAndCount));
  const hogs = new AbortController();
  let hogsSettled = false;
  const hogsDone = Promise.allSettled(
    Array.from({ length: MAX_CONNECTIONS_PER_ORIGIN }, () =>
      client({ timeoutInMs: 30_000, attemptTimeoutInMs: 30_000 }).acquireAccessToken(target, credentials, { abortSignal: hogs.signal }),
    ),
  ).then(() => (hogsSettled = true));
  await poolBusy;
  const error = await captureError(client({ attemptTimeoutInMs: 50 }).acquireAccessToken(target, credentials));
  // It timed out in the queue, not once a connection was free: the stalled calls still hold them all.
  expect(error).toMatchObject({ kind: "timeout", code: "AttemptTimeout", attempts: 1 });
  expect(hogsSettled).toBe(false);
  hogs.abort();
  await hogsDone;
});
