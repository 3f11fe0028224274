// The SDK's default transport (node:http keep-alive agents, bounded pool per origin) over real sockets. The
// rest of its behaviour — bounded bodies, resets before an answer, abort and time limits — is
// covered by the suites that use the default client (hardening, abortAndTimeout, retry).
import { createServer } from "node:http";
import { createServer as createTcpServer, type AddressInfo } from "node:net";
import { expect, test } from "vitest";
import { createSyncClient } from "@graph-sync/sdk";
import { MAX_CONNECTIONS_PER_ORIGIN } from "../src/call/undiciTransport.js";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";

test("calls reuse keep-alive connections, and never open more than the pool's bound", async () => {
  let connections = 0;
  let inFlight = 0;
  let mostInFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    mostInFlight = Math.max(mostInFlight, inFlight);
    req.resume();
    // Answered on the next turn, so that concurrent calls overlap at the server.
    setImmediate(() => {
      inFlight -= 1;
      res.writeHead(204).end();
    });
  });
  server.on("connection", () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = createSyncClient({ credential: staticCredential(), baseUrl });
    const call = () => client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });

    for (let index = 0; index < 10; index++) await call();
    // Reused: a second connection may open once (the first is still being released when the
    // next call starts), then the two serve every call.
    expect(connections).toBeLessThanOrEqual(2);

    const results = await Promise.all(Array.from({ length: 3 * MAX_CONNECTIONS_PER_ORIGIN }, call));
    expect(results.every((result) => result.attempts === 1)).toBe(true);
    expect(connections).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_ORIGIN);
    expect(mostInFlight).toBeLessThanOrEqual(MAX_CONNECTIONS_PER_ORIGIN);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
});

test("the transport says whether the request was written when the connection broke (undici's onRequestSent), not the error's text", async () => {
  const { createUndiciFetch } = await import("../src/call/undiciTransport.js");
  const { TRANSPORT_FACTS } = await import("../src/constants.js");
  const { Agent } = await import("undici");
  // Reads the whole request, then closes the connection without answering: written, then a FIN.
  const server = createTcpServer((socket) => {
    socket.on("error", () => undefined);
    socket.once("data", () => socket.end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const agent = new Agent({ connections: 1 });
  try {
    const fetch = createUndiciFetch(agent);
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/x`;
    const error = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: new TextEncoder().encode("{}") }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(TypeError);
    expect((error as Record<symbol, unknown>)[TRANSPORT_FACTS]).toEqual({ written: true, peerClosed: true });
    // Nothing listens here any more: the connection is refused, nothing was written.
    const refusedUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1.0/x`;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await fetch(refusedUrl, { method: "POST", body: new TextEncoder().encode("{}") }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((refused as Record<symbol, unknown>)[TRANSPORT_FACTS]).toEqual({ written: false, peerClosed: false });
  } finally {
    server.close();
    await agent.close();
  }
});
