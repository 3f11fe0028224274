// What a hostile or broken server, and hostile caller input, can do to the SDK: nothing unbounded,
// no secret in any field, no error other than a GraphSyncError. Each server here is a small
// node:http server on 127.0.0.1 that misbehaves on purpose.
import { execFile } from "node:child_process";
import { createServer, type Server, type ServerResponse } from "node:http";
import { createServer as createTcpServer, type AddressInfo, type Socket } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, test } from "vitest";
import { createSyncClient, GraphSyncError, type AcquireAccessTokenCredentials } from "@graph-sync/sdk";
import { captureError, everyRendering } from "./support/capture.js";
import { AUTH_CODE, REDIRECT_URI, SP_ID, staticCredential, TEST_TOKEN } from "./support/credentials.js";
import { useGraphServer } from "@graph-sync/test-support";
import { packageRoot } from "./support/packageRoot.js";

const run = promisify(execFile);
const server = await useGraphServer();

describe("bounded reads: the server decides how long a body is, not how much the SDK keeps", () => {
  const MiB = 1024 * 1024;
  /** The body the hostile answers send: 64 MiB, or without end. */
  const HOSTILE_BODY_BYTES = 64 * MiB;
  /**
   * The memory a call may add while such a body arrives: it reads 1 MiB of an error body, and the
   * rest is what a fresh process's heap and socket buffers make of it (16–25 MiB measured). Before
   * the bound the same calls added 475 MiB (64 MiB body), 411 and 315 MiB (endless bodies, until
   * the 10 s attempt timeout).
   */
  const MAX_GROWTH_IN_MIB = 48;
  const chunk = Buffer.alloc(256 * 1024, "x");

  /** Writes `total` bytes (or until the client goes away, when `total` is Infinity), honouring backpressure. */
  function stream(res: ServerResponse, total: number): void {
    let sent = 0;
    const pump = (): void => {
      while (sent < total && !res.destroyed) {
        sent += chunk.length;
        if (!res.write(chunk)) return void res.once("drain", pump);
      }
      if (!res.destroyed) res.end();
    };
    // A never-ending body still ends: at 4 GiB, far beyond what any test run reaches.
    if (total === Infinity) total = 4096 * MiB;
    pump();
  }

  async function hostileServer(answer: (res: ServerResponse) => void): Promise<Server> {
    const hostile = createServer((req, res) => {
      req.resume();
      req.on("end", () => {
        if (req.headers["client-request-id"] === "warm-up") {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ error: { code: "warmUp", message: "a small error first" } }));
        } else {
          answer(res);
        }
      });
    });
    await new Promise<void>((resolve) => hostile.listen(0, "127.0.0.1", resolve));
    return hostile;
  }

  async function probe(answer: (res: ServerResponse) => void) {
    const hostile = await hostileServer(answer);
    try {
      const { port } = hostile.address() as AddressInfo;
      const { stdout } = await run(process.execPath, ["--expose-gc", join(packageRoot, "test/support/memoryProbe.mjs"), `http://127.0.0.1:${port}`], {
        cwd: packageRoot,
        timeout: 25_000,
      });
      return JSON.parse(stdout) as { growthInMiB: number; ok: boolean; kind?: string; status?: number; message?: string };
    } finally {
      hostile.closeAllConnections();
      hostile.close();
    }
  }

  test.concurrent("a 500 with a 64 MiB body: 1 MiB is read, the message says the body was cut", async () => {
    const outcome = await probe((res) => {
      res.writeHead(500, { "content-type": "application/json", "content-length": String(HOSTILE_BODY_BYTES) });
      stream(res, HOSTILE_BODY_BYTES);
    });
    expect(outcome).toMatchObject({ ok: false, kind: "service", status: 500 });
    expect(outcome.message).toContain("the answer's body was longer than 1 MiB; only that much was read");
    console.info(`64 MiB error body: peak memory grew by ${outcome.growthInMiB.toFixed(1)} MiB (bound ${MAX_GROWTH_IN_MIB})`);
    expect(outcome.growthInMiB).toBeLessThan(MAX_GROWTH_IN_MIB);
  });

  test.concurrent("a 500 whose body never ends: the call ends once 1 MiB is read, not at its timeout", async () => {
    const outcome = await probe((res) => {
      res.writeHead(500, { "content-type": "text/html" });
      stream(res, Infinity);
    });
    expect(outcome).toMatchObject({ ok: false, kind: "service", status: 500 });
    expect(outcome.message).not.toContain("did not answer within");
    expect(outcome.growthInMiB).toBeLessThan(MAX_GROWTH_IN_MIB);
  });

  test.concurrent("a success whose body never ends is not buffered", async () => {
    const outcome = await probe((res) => {
      res.writeHead(200, { "content-type": "application/octet-stream" });
      stream(res, Infinity);
    });
    expect(outcome.ok).toBe(true);
    expect(outcome.growthInMiB).toBeLessThan(MAX_GROWTH_IN_MIB);
  });
});

describe("redaction of every field, whatever the server echoes", () => {
  test("a secret in the error code, request-id and client-request-id never reaches any field", async () => {
    server.enqueue((_request, res) => {
      res.writeHead(400, { "content-type": "application/json", "request-id": AUTH_CODE, "client-request-id": `id ${AUTH_CODE}` });
      res.end(JSON.stringify({ error: { code: `bad_${AUTH_CODE}`, message: "refused" } }));
    });
    const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url });
    const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
    expect(error.kind).toBe("bad-request");
    expect(error.code).toBe("bad_[REDACTED]");
    expect(error.requestId).toBe("[REDACTED]");
    expect(everyRendering(error)).not.toContain(AUTH_CODE);
  });

  test("a secret that the message limit would cut is redacted first: not even its first characters remain", async () => {
    for (const offset of [480, 492, 495, 499]) {
      server.enqueue((_request, res) => {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "generalException", message: `${"m".repeat(offset)}${AUTH_CODE} trailing text` } }));
      });
      const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, retry: { maxRetries: 0 } });
      const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
      expect(everyRendering(error)).not.toContain(AUTH_CODE.slice(0, 6));
    }
  });

  test("JSON fields that hold secrets are redacted; Graph's error code is not", async () => {
    const error = new GraphSyncError(
      'echo {"error":{"code":"Authorization_RequestDenied"},"Oauth2AuthorizationCode":"leaked-1","key":"Oauth2ClientSecret","value":"leaked-2"} help {"Oauth2AuthorizationCode": "<code>"}',
      { kind: "unexpected" },
    );
    expect(error.message).toContain('"code":"Authorization_RequestDenied"');
    expect(error.message).toContain('{"Oauth2AuthorizationCode": "<code>"}');
    expect(error.message).not.toContain("leaked-1");
    expect(error.message).not.toContain("leaked-2");
  });
});

describe("the caller's own credential", () => {
  const CLIENT_SECRET = "own~client~secret~8d7c6b5a4f3e";

  /** An Entra-ID-like token endpoint that echoes the client secret of the form it receives. */
  async function echoingTokenEndpoint(): Promise<Server> {
    const endpoint = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk: Buffer) => (body += chunk.toString()));
      req.on("end", () => {
        const secret = new URLSearchParams(body).get("client_secret") ?? "";
        res.writeHead(401, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: "invalid_client", error_description: `AADSTS7000215: Invalid client secret provided: ${secret}` }));
      });
    });
    await new Promise<void>((resolve) => endpoint.listen(0, "127.0.0.1", resolve));
    return endpoint;
  }

  /** A credential whose token request goes to `url`; the secret is known only to the credential and to secretsToRedact. */
  function ownCredential(url: string) {
    return {
      async getToken() {
        const response = await fetch(url, { method: "POST", body: new URLSearchParams({ client_secret: CLIENT_SECRET, grant_type: "client_credentials" }) });
        const answer = (await response.json()) as { error_description: string };
        throw Object.assign(new Error(`${response.status}: ${answer.error_description}`), { name: "AuthenticationError", statusCode: response.status });
      },
    };
  }

  test("a token endpoint that echoes the caller's client secret: redacted once the caller names it", async () => {
    const endpoint = await echoingTokenEndpoint();
    afterAll(() => void endpoint.close());
    const url = `http://127.0.0.1:${(endpoint.address() as AddressInfo).port}/token`;
    const named = createSyncClient({ credential: ownCredential(url), baseUrl: server.url, secretsToRedact: [CLIENT_SECRET] });
    const error = await captureError(named.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
    expect(error).toMatchObject({ kind: "authentication", code: "AADSTS7000215" });
    expect(everyRendering(error)).not.toContain(CLIENT_SECRET);
  });

  test("@azure/identity's ClientSecretCredential: its secret is captured without being named", async () => {
    const { ClientSecretCredential } = await import("@azure/identity");
    const credential = new ClientSecretCredential("tenant-id", "client-id", CLIENT_SECRET);
    // Its token endpoint is Entra ID's; what the capture must achieve is that an echo is redacted.
    const leaky = {
      getToken: () => Promise.reject(new Error(`AADSTS7000215: Invalid client secret provided: ${CLIENT_SECRET}`)),
      clientSecret: (credential as unknown as { clientSecret: string }).clientSecret,
    };
    const client = createSyncClient({ credential: leaky, baseUrl: server.url });
    const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
    expect(everyRendering(error)).not.toContain(CLIENT_SECRET);
  });

  test("secretsToRedact must be a short list of strings", () => {
    for (const secretsToRedact of ["one", [1], Array.from({ length: 65 }, () => "x")]) {
      expect(() => createSyncClient({ credential: staticCredential(), secretsToRedact: secretsToRedact as string[] })).toThrow(
        /secretsToRedact must be a list of at most 64 strings/,
      );
    }
  });
});

describe("hostile caller input becomes a validation error, in bounded time and memory", () => {
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url });
  const reject = (credentials: unknown, target: unknown = { servicePrincipalId: SP_ID }) =>
    captureError(client.acquireAccessToken(target as never, credentials as AcquireAccessTokenCredentials));

  test("a getter that throws, in the credentials or the target", async () => {
    const throwing = Object.defineProperty({}, "Oauth2AuthorizationCode", {
      enumerable: true,
      get() {
        throw new TypeError(`getter ${AUTH_CODE}`);
      },
    });
    const fromCredentials = await reject(throwing);
    const fromTarget = await reject({ Oauth2AuthorizationCode: AUTH_CODE }, Object.defineProperty({}, "servicePrincipalId", { enumerable: true, get: () => { throw new Error("no"); } }));
    for (const error of [fromCredentials, fromTarget]) {
      expect(error.kind).toBe("validation");
      expect(error.issues[0]?.message).toContain("could not be read");
      expect(everyRendering(error)).not.toContain(AUTH_CODE);
    }
  });

  test("Proxies: one whose traps throw, and a revoked one", async () => {
    const trapping = new Proxy({}, { ownKeys: () => { throw new Error("trap"); } });
    const { proxy, revoke } = Proxy.revocable({ Oauth2AuthorizationCode: AUTH_CODE }, {});
    revoke();
    for (const input of [trapping, proxy]) expect((await reject(input)).kind).toBe("validation");
    expect((await reject({ Oauth2AuthorizationCode: AUTH_CODE }, proxy)).kind).toBe("validation");
  });

  test("a sparse list of length 10^7 and an object of 10^5 keys are refused by their size", async () => {
    const sparse: unknown[] = [];
    sparse.length = 10_000_000;
    const wide = Object.fromEntries(Array.from({ length: 100_000 }, (_, index) => [`Key${index}`, "v"]));
    const [list, object, typed] = await Promise.all([reject(sparse), reject(wide), reject(new Uint8Array(10_000_000))]);
    expect(typed.issues[0]?.message).toContain("must be an object keyed by secret name");
    expect(list.issues).toEqual([{ path: "credentials", message: expect.stringContaining("has 10000000 entries; Graph knows 45 secret keys") }]);
    expect(object.issues).toEqual([{ path: "credentials", message: expect.stringContaining("has 100000 keys") }]);
  });

  test("many problems: at most 20 are listed, and the last issue counts the rest", async () => {
    const error = await reject(Array.from({ length: 60 }, () => ({ key: 5, value: 6 })));
    expect(error.issues).toHaveLength(21);
    expect(error.issues[20]).toEqual({ path: "credentials", message: expect.stringMatching(/^\d+ more problems not listed/) });
  });

  test("a key that is no key name (a secret pasted there) is not echoed", async () => {
    const keyed = await reject({ [AUTH_CODE]: "Oauth2AuthorizationCode" });
    const listed = await reject([{ key: AUTH_CODE, value: "x" }]);
    for (const error of [keyed, listed]) {
      expect(error.issues[0]?.message).toContain("not shown");
      expect(everyRendering(error)).not.toContain(AUTH_CODE);
    }
  });

  test("call options and client options with throwing getters or wrong types", async () => {
    const throwingGetter = { get: () => { throw new TypeError("no"); } };
    const options = [
      Object.defineProperty({}, "clientRequestId", throwingGetter),
      { abortSignal: { aborted: false } },
      { clientRequestId: { toString: () => { throw new Error("no"); } } },
    ];
    for (const option of options) {
      const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }, option as never));
      expect(error.kind).toBe("validation");
    }
    const clientOptions = Object.defineProperty({ credential: staticCredential() }, "retry", { enumerable: true, ...throwingGetter });
    let thrown: unknown;
    try {
      createSyncClient(clientOptions as never);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "GraphSyncError", kind: "configuration", code: "UnreadableOptions" });
  });

  test("the credential itself, when it throws something that is not an error", async () => {
    const nasty = createSyncClient({
      credential: { getToken: () => Promise.reject(Object.create(null)) },
      baseUrl: server.url,
    });
    const error = await captureError(nasty.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
    expect(error.kind).toBe("authentication");
  });
});

describe("a keep-alive connection closed as idle just as a call starts", () => {
  /**
   * A raw HTTP/1.1 server whose connections serve one request each: when the next request arrives
   * on a kept-alive connection, it closes the connection without reading it, as a server whose idle
   * timer fired a moment earlier would (its kernel answers the unread request with a reset). With
   * `readFirst`, it reads the request before closing instead: the ambiguous case.
   */
  async function closingServer(options: { readFirst: boolean }) {
    const stats = { requestsRead: 0, requestsDropped: 0 };
    const sockets = new Set<Socket>();
    const server = createTcpServer((socket: Socket) => {
      sockets.add(socket);
      socket.on("close", () => sockets.delete(socket));
      let buffered = Buffer.alloc(0);
      let idle = false;
      socket.on("error", () => undefined);
      socket.on("data", (data: Buffer) => {
        if (idle) {
          // The next request on a kept-alive connection: the idle timer "fired" just before it.
          if (options.readFirst) {
            stats.requestsRead += 1;
            socket.destroy();
          } else {
            stats.requestsDropped += 1;
            socket.resetAndDestroy();
          }
          return;
        }
        buffered = Buffer.concat([buffered, data]);
        const headEnd = buffered.indexOf("\r\n\r\n");
        if (headEnd < 0) return;
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(buffered.subarray(0, headEnd).toString())?.[1] ?? 0);
        if (buffered.length < headEnd + 4 + length) return;
        stats.requestsRead += 1;
        idle = true;
        socket.write("HTTP/1.1 204 No Content\r\nrequest-id: r\r\nconnection: keep-alive\r\n\r\n");
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const close = () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    };
    return { url, stats, close };
  }

  test("20 calls that meet connections closed as they start: all succeed, none runs twice", async () => {
    const closing = await closingServer({ readFirst: false });
    const client = createSyncClient({ credential: staticCredential(), baseUrl: closing.url, retry: { initialDelayInMs: 1, maxDelayInMs: 5 } });
    const outcomes = { succeeded: 0, failed: 0, extraAttempts: 0 };
    try {
      for (let call = 0; call < 20; call++) {
        try {
          const result = await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
          outcomes.succeeded += 1;
          outcomes.extraAttempts += result.attempts - 1;
        } catch {
          outcomes.failed += 1;
        }
      }
    } finally {
      await closing.close();
    }
    // undici's pool reuses the kept-alive connections in turn, so most calls meet one that closes
    // (before the change: each such call failed as "may have been processed"). Every call succeeds;
    // each request the server dropped unread was sent again once; the server read each call's once.
    console.info(
      `keep-alive race: 20 calls, ${closing.stats.requestsDropped} requests dropped unread and sent again, ` +
        `${outcomes.failed} calls failed, ${closing.stats.requestsRead - 20} requests read twice`,
    );
    expect(outcomes).toMatchObject({ succeeded: 20, failed: 0 });
    expect(closing.stats.requestsDropped).toBeGreaterThan(0);
    expect(closing.stats).toEqual({ requestsRead: 20, requestsDropped: outcomes.extraAttempts });
  });

  test("a server that read the request and then reset: the retry's refusal says the first attempt may have run", async () => {
    server.enqueue(
      (_request, res) => void res.socket?.resetAndDestroy(),
      (_request, res) => {
        res.writeHead(400, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { code: "Request_BadRequest", message: "The authorization code was already redeemed." } }));
      },
    );
    const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, retry: { initialDelayInMs: 1, maxDelayInMs: 5 } });
    const error = await captureError(client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }));
    expect(error).toMatchObject({ kind: "bad-request", attempts: 2, mayHaveBeenProcessed: true });
    expect(error.message).toContain("an earlier attempt of this call lost its connection to a reset before any answer and was retried");
  });

  test("a connection closed after the request was read stays 'may have been processed', and is not retried", async () => {
    const closing = await closingServer({ readFirst: true });
    const client = createSyncClient({ credential: staticCredential(), baseUrl: closing.url, retry: { initialDelayInMs: 1, maxDelayInMs: 5 } });
    const errors: GraphSyncError[] = [];
    let calls = 0;
    try {
      for (; calls < 10 && errors.length === 0; calls++) {
        await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE }).catch((error: GraphSyncError) => errors.push(error));
      }
    } finally {
      await closing.close();
    }
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ kind: "network", mayHaveBeenProcessed: true, attempts: 1 });
    expect(closing.stats).toEqual({ requestsRead: calls, requestsDropped: 0 });
  });
});

// TEST_TOKEN and REDIRECT_URI are part of the shared fixtures; keep the imports honest.
void TEST_TOKEN;
void REDIRECT_URI;
