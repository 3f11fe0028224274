// The keep-alive race (issue 18): a server closes a kept-alive connection as idle just as a call
// starts on it. The server never read that request, so the call must not fail: 0 of 150 calls.
// A real node:http server on 127.0.0.1 that closes a connection idle for 30 ms without announcing
// it (no Keep-Alive header: as a proxy or load balancer does); each call starts about when that
// idle timer fires (swept around it), so some calls meet a connection being closed.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, test } from "vitest";
import { createSyncClient } from "@graph-sync/sdk";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";

const CALLS = 150;
const KEEP_ALIVE_TIMEOUT_IN_MS = 30;

test(`a keep-alive connection closed as idle just as a call starts: 0 of ${CALLS} calls fail, none is read twice`, { timeout: 60_000 }, async () => {
  const served = { requests: 0, connections: 0 };
  const idleTimers = new WeakMap<Socket, ReturnType<typeof setTimeout>>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    clearTimeout(idleTimers.get(request.socket));
    request.resume();
    request.on("end", () => {
      served.requests += 1;
      response.writeHead(204, { "request-id": `r-${served.requests}` }).end();
    });
    response.on("finish", () => {
      const socket = request.socket;
      idleTimers.set(socket, setTimeout(() => socket.destroy(), KEEP_ALIVE_TIMEOUT_IN_MS));
    });
  });
  // The server's own idle handling off (it would announce its timeout in a Keep-Alive header, which clients honour).
  server.keepAliveTimeout = 0;
  server.on("connection", () => {
    served.connections += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = createSyncClient({ credential: staticCredential(), baseUrl, retry: { initialDelayInMs: 1, maxDelayInMs: 5 } });
  const failures: string[] = [];
  let attempts = 0;
  try {
    for (let call = 0; call < CALLS; call++) {
      try {
        const result = await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
        attempts += result.attempts;
      } catch (error) {
        failures.push(String((error as Error).message).slice(0, 160));
      }
      // Idle for about as long as the server keeps the connection: swept from 4 ms below its
      // timer to 4 ms above, in steps of 0.25 ms, so that some calls start as it closes.
      await sleep(KEEP_ALIVE_TIMEOUT_IN_MS - 4 + ((call % 33) * 0.25));
    }
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  console.info(`keep-alive race: ${CALLS} calls, ${failures.length} failed, ${attempts - (CALLS - failures.length)} extra attempts, ${served.connections} connections, ${served.requests} requests served`);
  expect(failures).toEqual([]);
  // Every call was served exactly once: no request the server read was sent again.
  expect(served.requests).toBe(CALLS);
});
