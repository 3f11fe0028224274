// What remains for a hostile peer to bend, bounded: the provisioning target's token answer, JSON
// nesting, file modes of the keys, admin Host headers, and tokens without a lifetime.
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { importPKCS8, SignJWT } from "jose";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { maxJsonDepth } from "../src/boundedJson.js";
import { actionUrl, callAction, credentialsFor } from "./support/emulatorClients.js";
import { openRawConnection } from "./support/rawConnection.js";
import { expectGraphError } from "./support/responseShapes.js";
import { shareEmulator } from "./support/sharedEmulator.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-bounded-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const dataDir = join(scratch, "shared");
const shared = shareEmulator({ dataDir, throttling: { enabled: false } });
const spUrl = () => actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId);

/** A node:http server on loopback for one test; closed afterwards. */
async function withServer(handler: Parameters<typeof createServer>[1], use: (url: string) => Promise<void>): Promise<void> {
  const server: Server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    await use(`http://127.0.0.1:${(server.address() as { port: number }).port}/token`);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe("a provisioning target's token answer", () => {
  const tooLarge = (url: string) =>
    `The OAuth token exchange endpoint '${url}' answered HTTP 200 and the answer is larger than 64 KiB, more than any token answer.`;

  it("is refused past 64 KiB, even when it holds a token", async () => {
    const answer = JSON.stringify({ access_token: "a".repeat(100 * 1024), token_type: "Bearer" });
    await withServer(
      (_request, response) => response.writeHead(200, { "Content-Type": "application/json" }).end(answer),
      async (url) => {
        const code = await shared.emulator.getAuthorizationCode();
        const response = await callAction(spUrl(), shared.token, credentialsFor(code, [{ key: "Oauth2TokenExchangeUri", value: url }]));
        expectGraphError(response, { status: 400, code: "Request_BadRequest", message: tooLarge(url) });
      },
    );
  });

  it("is cut off at 64 KiB when it never ends (no length declared)", async () => {
    await withServer(
      (_request, response) => {
        response.writeHead(200, { "Content-Type": "application/json" });
        response.write('{"access_token":"');
        const chunk = "a".repeat(16 * 1024);
        const pump = () => {
          while (!response.destroyed && response.write(chunk));
        };
        response.on("drain", pump);
        pump();
      },
      async (url) => {
        const code = await shared.emulator.getAuthorizationCode();
        const response = await callAction(spUrl(), shared.token, credentialsFor(code, [{ key: "Oauth2TokenExchangeUri", value: url }]));
        expectGraphError(response, { status: 400, code: "Request_BadRequest", message: tooLarge(url) });
      },
    );
  });
});

describe("JSON nesting", () => {
  const nested = (depth: number) => `{"credentials":${"[".repeat(depth - 1)}${"]".repeat(depth - 1)}}`;

  it(`is refused past ${maxJsonDepth} levels in a Graph body, before it is parsed`, async () => {
    // About 3 MB of brackets, under the 4 MiB limit: parsed, it would block the emulator for a second or more.
    for (const depth of [maxJsonDepth + 1, 1_500_000]) {
      expectGraphError(await callAction(spUrl(), shared.token, nested(depth)), {
        status: 400,
        code: "BadRequest",
        message: `Unable to read JSON request payload: the body is nested more than ${maxJsonDepth} levels deep. Please ensure Content-Type header is set and payload is of valid JSON format.`,
      });
    }
  });

  it(`is accepted up to ${maxJsonDepth} levels (and then validated as usual)`, async () => {
    const response = await callAction(spUrl(), shared.token, nested(maxJsonDepth));
    expect(response.body).toContain("Request_BadRequest");
  });

  it("counts brackets inside strings as text", async () => {
    const response = await callAction(spUrl(), shared.token, { credentials: [{ key: "Oauth2AuthorizationCode", value: "[".repeat(500) }] });
    expect(response.body).not.toContain("nested");
  });

  it(`is refused past ${maxJsonDepth} levels in an admin body`, async () => {
    const deep = await postJsonText(`${shared.emulator.adminUrl}/seed`, `{"tenants":${"[".repeat(100_000)}${"]".repeat(100_000)}}`);
    expect(deep).toEqual({ status: 400, body: { error: { code: "invalidRequest", message: `The body is nested more than ${maxJsonDepth} levels deep.` } } });
  });
});

describe("the admin API's Host check", () => {
  const adminPort = () => Number(new URL(shared.emulator.adminUrl).port);
  /** Sends a raw GET /state with these header lines; the status line of the answer. */
  const statusFor = async (headerLines: string[]) => {
    const closed = await openRawConnection(
      adminPort(),
      (socket) => socket.end(`GET /state HTTP/1.1\r\n${headerLines.join("\r\n")}\r\nConnection: close\r\n\r\n`),
      5_000,
    );
    return closed.received.split("\r\n", 1)[0];
  };

  it.each([["evil@localhost"], ["localhost#x"], ["localhost:80@evil.example"], ["localhost/x"], ["localhost?x"], ["localhost.evil.example"], ["127.0.0.1.evil.example"]])(
    "refuses Host: %s",
    async (host) => {
      expect(await statusFor([`Host: ${host}`])).toBe("HTTP/1.1 403 Forbidden");
    },
  );

  it("refuses two Host headers, even when the first names this machine", async () => {
    expect(await statusFor(["Host: localhost", "Host: evil.example"])).toBe("HTTP/1.1 403 Forbidden");
  });

  it("refuses an Origin with user info", async () => {
    expect(await statusFor(["Host: localhost", "Origin: http://evil@localhost"])).toBe("HTTP/1.1 403 Forbidden");
  });

  it.each([["localhost"], ["LOCALHOST:8482"], ["127.0.0.1"], ["127.1.2.3:80"], ["[::1]:8482"]])("answers Host: %s", async (host) => {
    expect(await statusFor([`Host: ${host}`])).toBe("HTTP/1.1 200 OK");
  });
});

describe("tokens signed with the emulator's own key", () => {
  const sign = async (claims: { iat?: number; nbf?: number; exp?: number }) => {
    const key = await importPKCS8(readFileSync(join(dataDir, "keys", "signing-key.pem"), "utf8"), "RS256");
    const { tenantId, clientId } = shared.emulator;
    const state = await shared.emulator.admin.state();
    const app = state.clientApplications.find((candidate) => candidate.appId === clientId)!;
    return new SignJWT({
      tid: tenantId,
      appid: clientId,
      idtyp: "app",
      oid: app.servicePrincipalId,
      roles: app.roles,
      aud: "https://graph.microsoft.com",
      iss: `https://sts.windows.net/${tenantId}/`,
      ...claims,
    })
      .setProtectedHeader({ alg: "RS256" })
      .sign(key);
  };
  const now = () => Math.floor(shared.now / 1000);

  it("are accepted with iat, nbf and exp as Entra sets them", async () => {
    const token = await sign({ iat: now(), nbf: now(), exp: now() + 3600 });
    const code = await shared.emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), token, credentialsFor(code))).status).toBe(204);
  });

  it.each([
    ["without exp (valid forever)", { iat: 0, nbf: 0 }],
    ["without iat", { nbf: 0, exp: 3600 }],
    ["without nbf", { iat: 0, exp: 3600 }],
  ])("are refused %s", async (_name, offsets: { iat?: number; nbf?: number; exp?: number }) => {
    const claims = Object.fromEntries(Object.entries(offsets).map(([claim, offset]) => [claim, now() + offset]));
    expectGraphError(await callAction(spUrl(), await sign(claims), credentialsFor("x")), {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Lifetime validation failed, the token has no exp, iat or nbf claim.",
    });
  });

  it("are refused with iat in the future (beyond the clock skew)", async () => {
    const token = await sign({ iat: now() + 3600, nbf: now(), exp: now() + 7200 });
    expectGraphError(await callAction(spUrl(), token, credentialsFor("x")), {
      status: 401,
      code: "InvalidAuthenticationToken",
      message: "Lifetime validation failed, the token is not yet valid.",
    });
  });
});

describe("files with secrets found readable by others", () => {
  it("are made private again at start, with a warning that names each file", async () => {
    const directory = join(scratch, "modes");
    await (await startEmulator({ dataDir: directory })).close();
    const secretFiles = ["state.json", "keys/signing-key.pem", "tls/ca-key.pem", "tls/server-key.pem"].map((name) => join(directory, name));
    for (const file of secretFiles) chmodSync(file, 0o644);
    const lines: string[] = [];
    await (await startEmulator({ dataDir: directory, logger: (line) => lines.push(line) })).close();
    for (const file of secretFiles) {
      expect(statSync(file).mode & 0o777, file).toBe(0o600);
      expect(lines).toContain(`warning: ${file} was readable by other users (mode 0644); changed it to 0600, as it holds secrets`);
    }
    // Certificates are public: left as they are.
    expect(statSync(join(directory, "tls", "ca-cert.pem")).mode & 0o777).toBe(0o644);
  });
});

async function postJsonText(url: string, text: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: text });
  return { status: response.status, body: await response.json() };
}
