// A client that connects and stalls cannot hold a connection longer than the limits the README
// states: the headers, the whole request, and on the HTTPS hosts the TLS handshake. The limits are
// options, so these tests use small ones; the defaults are checked against the README.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import { defaultConnectionLimits, resolveConnectionLimits, serverOptionsFor } from "../src/http/connectionLimits.js";
import { openRawConnection, sendThenTrickle } from "./support/rawConnection.js";

const limits = { headersTimeoutInMs: 400, requestTimeoutInMs: 800, tlsHandshakeTimeoutInMs: 400 };
/** Well past every limit, and far below Node's defaults (a minute and more). */
const giveUpAfterMs = 5_000;

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator({ connectionLimits: limits });
});
afterAll(async () => {
  await emulator.close();
});

const portOf = (url: string) => Number(new URL(url).port);

describe("the header limit", () => {
  it.each(["graphUrl", "adminUrl", "targetUrl"] as const)("closes a %s connection whose headers never end, with 408", async (host) => {
    const closed = await openRawConnection(
      portOf(emulator[host]),
      sendThenTrickle("POST / HTTP/1.1\r\nHost: localhost\r\n", "X-Slow: 1\r\n", 100),
      giveUpAfterMs,
    );
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closed.openForMs).toBeGreaterThanOrEqual(limits.headersTimeoutInMs - 50);
  });

  it("closes a connection that sends nothing at all", async () => {
    const closed = await openRawConnection(portOf(emulator.graphUrl), () => undefined, giveUpAfterMs);
    expect(closed.openForMs).toBeGreaterThanOrEqual(limits.headersTimeoutInMs - 50);
  });
});

describe("the request limit", () => {
  it("closes a connection whose body trickles in, with 408", async () => {
    const closed = await openRawConnection(
      portOf(emulator.adminUrl),
      sendThenTrickle(
        "POST /seed HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n",
        " ",
        100,
      ),
      giveUpAfterMs,
    );
    expect(closed.received).toMatch(/^HTTP\/1\.1 408 /);
    expect(closed.openForMs).toBeGreaterThanOrEqual(limits.requestTimeoutInMs - 50);
  });
});

describe("the TLS handshake limit", () => {
  it.each(["loginUrl", "graphHttpsUrl"] as const)("closes a %s connection that never starts TLS", async (host) => {
    const closed = await openRawConnection(portOf(emulator[host]), () => undefined, giveUpAfterMs);
    expect(closed.openForMs).toBeGreaterThanOrEqual(limits.tlsHandshakeTimeoutInMs - 50);
  });

  it("closes a connection that stops half-way through the handshake", async () => {
    // The first bytes of a TLS record header, then nothing.
    const closed = await openRawConnection(portOf(emulator.loginUrl), (socket) => socket.write(Buffer.from([0x16, 0x03, 0x01])), giveUpAfterMs);
    expect(closed.openForMs).toBeGreaterThanOrEqual(limits.tlsHandshakeTimeoutInMs - 50);
  });
});

describe("close()", () => {
  it("ends a connection that never started TLS at once, without waiting for the handshake limit", async () => {
    const another = await startEmulator();
    const connection = openRawConnection(portOf(another.loginUrl), () => undefined, giveUpAfterMs);
    // The server has accepted the connection once the admin host answers a request made after it.
    await another.admin.state();
    await another.close();
    const closed = await connection;
    expect(closed.openForMs).toBeLessThan(defaultConnectionLimits.tlsHandshakeTimeoutInMs);
  });
});

describe("the defaults", () => {
  it("are the limits the README states, checked often enough to hold within a second", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8").replace(/\s+/g, " ");
    const stated = /gives a client (\d+) s to send its request headers, (\d+) s for the whole request and (\d+) s for a TLS handshake/.exec(readme);
    expect(stated, "the README's sentence on connection limits").not.toBeNull();
    expect(defaultConnectionLimits).toEqual({
      headersTimeoutInMs: Number(stated![1]) * 1000,
      requestTimeoutInMs: Number(stated![2]) * 1000,
      tlsHandshakeTimeoutInMs: Number(stated![3]) * 1000,
    });
    const options = serverOptionsFor(resolveConnectionLimits());
    expect(options.https).toMatchObject({ headersTimeout: 10_000, requestTimeout: 30_000, handshakeTimeout: 10_000 });
    expect(options.http.connectionsCheckingInterval).toBeLessThanOrEqual(1_000);
  });

  it("refuse a header limit above the request limit, naming both", () => {
    expect(() => resolveConnectionLimits({ headersTimeoutInMs: 5_000, requestTimeoutInMs: 1_000 })).toThrow(
      "headersTimeoutInMs (5000) must not exceed requestTimeoutInMs (1000)",
    );
  });
});
