// Requests a host cannot route, sent as an attacker would, over raw sockets (a client library would
// normalise them first): request targets that are not paths or that `new URL(target, base)` reads
// as an authority, encoded dot segments, no Host header. Each host answers a 4xx in its own format,
// never a 500 and never Node's empty 400, and never serves another path than the one sent.
import { connect as connectTcp, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "../src/index.js";
import type { RawResponse } from "./support/httpClient.js";
import { entraResponseProblem, graphResponseProblem } from "./support/responseShapes.js";

let emulator: RunningEmulator;
beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());

type HostName = "graph" | "graph https" | "login" | "admin" | "target";
const hostUrl = (host: HostName) =>
  ({ graph: emulator.graphUrl, "graph https": emulator.graphHttpsUrl, login: emulator.loginUrl, admin: emulator.adminUrl, target: new URL(emulator.target.tokenUrl).origin })[host];

/** Sends `head` (a request line and headers, without the blank line) as is, and reads the one answer. */
function sendRaw(host: HostName, head: string): Promise<RawResponse> {
  const url = new URL(hostUrl(host));
  return new Promise((resolve, reject) => {
    const onConnect = () => socket.write(`${head}\r\n\r\n`);
    const socket: Socket =
      url.protocol === "https:"
        ? connectTls({ host: "127.0.0.1", port: Number(url.port), servername: "localhost", ca: emulator.caCertPem }, onConnect)
        : connectTcp(Number(url.port), "127.0.0.1", onConnect);
    let received = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer from ${host} within 10 s: ${received.toString("latin1").slice(0, 300)}`));
    }, 10_000);
    const finish = () => {
      const text = received.toString("utf8");
      const split = text.indexOf("\r\n\r\n");
      if (split < 0) return false;
      const [statusLine = "", ...lines] = text.slice(0, split).split("\r\n");
      const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
      const body = text.slice(split + 4);
      if (Buffer.byteLength(body) < Number(headers["content-length"] ?? 0)) return false;
      clearTimeout(timer);
      socket.destroy();
      resolve({ status: Number(statusLine.split(" ")[1]), headers, body });
      return true;
    };
    socket.on("data", (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      finish();
    });
    socket.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on("close", () => {
      if (!finish()) reject(new Error(`${host} closed the connection without a complete answer: ${received.toString("latin1").slice(0, 300)}`));
    });
  });
}

const request = (host: HostName, target: string, method = "GET") => sendRaw(host, `${method} ${target} HTTP/1.1\r\nHost: ${new URL(hostUrl(host)).host}\r\nConnection: close`);

/** The host's own error format (Graph's envelope, Entra's error body, the admin API's, OAuth's), with its 4xx. */
function expectHostsFormat(host: HostName, response: RawResponse, status: number): void {
  expect(response.status, response.body).toBe(status);
  if (host === "graph" || host === "graph https") {
    expect(graphResponseProblem(response)).toBeUndefined();
    expect(JSON.parse(response.body).error.code).toBe("BadRequest");
  } else if (host === "login") {
    expect(entraResponseProblem(response)).toBeUndefined();
    expect(JSON.parse(response.body).error).toBe(status === 404 ? "not_found" : "invalid_request");
  } else if (host === "admin") {
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body)).toEqual({ error: { code: status === 404 ? "notFound" : "invalidRequest", message: expect.any(String) } });
  } else {
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect(JSON.parse(response.body)).toEqual({ error: status === 404 ? "not_found" : "invalid_request", error_description: expect.any(String) });
  }
}

const hosts: HostName[] = ["graph", "graph https", "login", "admin", "target"];

describe("request targets that new URL(target, base) cannot read", () => {
  // `//` and `//x:99999/token` are paths (origin form allows empty segments): no such endpoint.
  // `http://` is the absolute form with no host: not a request this host can serve.
  const cases: Array<[string, { graphLike: number; login: number; admin: number; target: number }]> = [
    ["//", { graphLike: 400, login: 404, admin: 404, target: 404 }],
    ["//:", { graphLike: 400, login: 404, admin: 404, target: 404 }],
    ["//x:99999/token", { graphLike: 400, login: 404, admin: 404, target: 404 }],
    ["http://", { graphLike: 400, login: 400, admin: 400, target: 400 }],
  ];
  for (const [target, statuses] of cases) {
    it.each(hosts)(`${target} on %s: a 4xx in the host's format`, async (host) => {
      const status = host === "graph" || host === "graph https" ? statuses.graphLike : statuses[host];
      expectHostsFormat(host, await request(host, target), status);
    });
  }

  it("names the path it does not serve, on admin and target", async () => {
    expect(JSON.parse((await request("admin", "//x:99999/token")).body).error.message).toBe("No admin endpoint at '//x:99999/token'. GET / lists them.");
    expect(JSON.parse((await request("target", "//x:99999/token", "POST")).body).error_description).toBe("The target has no endpoint at '//x:99999/token'.");
  });
});

describe("dot segments, encoded or not", () => {
  it.each(["/%2e%2e/state", "/%2E%2E/state", "/./state", "/x/../state", "/.%2e/state", "/%2e/state"])("GET %s on admin is refused, not served as /state", async (target) => {
    const response = await request("admin", target);
    expectHostsFormat("admin", response, 400);
    expect(JSON.parse(response.body).error.message).toBe("The request path has a '.' or '..' segment (encoded or not): send the endpoint's path itself.");
    expect(response.body).not.toContain("tenants");
  });

  it.each(hosts)("are refused on %s too", async (host) => {
    expectHostsFormat(host, await request(host, "/%2e%2e/token"), 400);
  });

  it("the state itself is still served at /state", async () => {
    const response = await request("admin", "/state");
    expect(response.status).toBe(200);
    expect(response.body).toContain("tenants");
  });
});

describe("no Host header", () => {
  it.each(hosts)("%s answers 400 in its own format, naming the header", async (host) => {
    const response = await sendRaw(host, "GET / HTTP/1.1\r\nConnection: close");
    expectHostsFormat(host, response, 400);
    expect(response.body).toContain("The request has no Host header, which HTTP/1.1 requires.");
  });

  it("is allowed on HTTP/1.0, which has no Host header", async () => {
    const response = await sendRaw("admin", "GET /state HTTP/1.0");
    expect(response.status).toBe(200);
  });
});

describe("requests that are not HTTP at all", () => {
  it.each(["admin", "target"] as const)("%s answers 400 in its own format too (Graph and login did already)", async (host) => {
    const response = await sendRaw(host, "HELLO ADMIN");
    expectHostsFormat(host, response, 400);
    expect(response.body).toContain("The request is not valid HTTP/1.1 and could not be read.");
  });
});
