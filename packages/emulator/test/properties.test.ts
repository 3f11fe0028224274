// Property-based tests: whatever arrives (bodies, headers, tokens, paths, methods, token requests,
// raw bytes on the wire, nesting, admin Host headers), every answer is a well-formed Graph or Entra
// response, and the emulator process never falls over. They run against the compiled CLI in its own
// process, so a crash cannot hide in the test runner; each property is bounded in runs and in time,
// so that they run in CI with the rest of the suite. The last test states the figures.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient, type EmulatorFacts } from "../src/index.js";
import { loadOpenApiFragment } from "../src/graph/openApiFragment.js";
import { startCli, type CliEmulator } from "./support/cliProcess.js";
import { actionUrl, getAccessToken, graphScope } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { openRawConnection } from "./support/rawConnection.js";
import { entraResponseProblem, graphResponseProblem } from "./support/responseShapes.js";

const runs = { numRuns: 120, interruptAfterTimeLimit: 15_000 };
/** Cases run per property, for the figures the last test states. */
const casesRun = new Map<string, number>();
const counted = <T extends unknown[]>(name: string, property: (...values: T) => Promise<void>) =>
  async (...values: T) => {
    casesRun.set(name, (casesRun.get(name) ?? 0) + 1);
    await property(...values);
  };
const secretKeys = (
  (await loadOpenApiFragment()).document as {
    components: { schemas: Record<string, { enum?: string[] }> };
  }
).components.schemas["microsoft.graph.synchronizationSecret"]!.enum!;

let cli: CliEmulator;
let facts: EmulatorFacts;
let caCertPem: string;
let validToken: string;

beforeAll(async () => {
  cli = await startCli(["--port", "0", "--quiet", "--throttling", "off"]);
  facts = cli.facts;
  caCertPem = readFileSync(facts.caCertPath, "utf8");
  validToken = await getAccessToken({ ...facts, caCertPem } as never);
});
afterAll(async () => {
  await cli.stop();
});

/** Printable ASCII, the characters an HTTP header value can carry unchanged. */
const headerText = (maxLength: number) =>
  fc.string({ unit: fc.mapToConstant({ num: 95, build: (offset) => String.fromCharCode(0x20 + offset) }), maxLength });
const base64UrlText = fc.string({
  unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
  maxLength: 60,
});

const credentialsBody = fc.record(
  {
    credentials: fc.oneof(
      fc.array(
        fc.record(
          {
            key: fc.oneof(fc.constantFrom(...secretKeys), fc.string({ maxLength: 30 }), fc.integer()),
            value: fc.oneof(fc.string({ maxLength: 50 }), fc.constant(null), fc.integer(), fc.boolean()),
            extra: fc.jsonValue({ maxDepth: 1 }),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 6 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    "@odata.type": fc.string({ maxLength: 10 }),
  },
  { requiredKeys: [] },
);
const anyBody = fc.oneof(
  credentialsBody.map((body) => JSON.stringify(body)),
  fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
  fc.string({ maxLength: 200 }),
  fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes).toString("latin1")),
);

/** Tokens: valid, tampered at one position, re-segmented, or garbage. */
const anyToken = fc.oneof(
  fc.constant("valid"),
  fc.tuple(fc.nat(), base64UrlText).map(([position, replacement]) => `tampered:${position}:${replacement.slice(0, 1) || "A"}`),
  fc.tuple(base64UrlText, base64UrlText, base64UrlText).map(([a, b, c]) => `${a}.${b}.${c}`),
  headerText(80),
);
const resolveToken = (token: string): string => {
  if (token === "valid") return validToken;
  const tampered = /^tampered:(\d+):(.)$/.exec(token);
  if (!tampered) return token;
  const position = Number(tampered[1]) % validToken.length;
  const replacement = tampered[2] === validToken[position] ? (tampered[2] === "A" ? "B" : "A") : tampered[2]!;
  return `${validToken.slice(0, position)}${replacement}${validToken.slice(position + 1)}`;
};

describe("the emulated Graph", () => {
  it("answers any body, content type, client-request-id and token with a well-formed response", async () => {
    await fc.assert(
      fc.asyncProperty(
        anyBody,
        fc.oneof(fc.constantFrom("application/json", "application/json; charset=utf-8", "text/plain", "APPLICATION/JSON"), headerText(40)),
        fc.option(headerText(150), { nil: undefined }),
        anyToken,
        fc.constantFrom("servicePrincipals", "applications") as fc.Arbitrary<"servicePrincipals" | "applications">,
        fc.constantFrom("v1.0", "beta") as fc.Arbitrary<"v1.0" | "beta">,
        counted("Graph bodies, headers and tokens", async (body, contentType, clientRequestId, token, kind, version) => {
          const headers: Record<string, string> = { "Content-Type": contentType, Authorization: `Bearer ${resolveToken(token)}` };
          if (clientRequestId !== undefined) headers["client-request-id"] = clientRequestId;
          const id = kind === "servicePrincipals" ? facts.servicePrincipalId : facts.applicationId;
          const response = await send(actionUrl(facts, kind, id, version), { method: "POST", headers, body });
          expect(graphResponseProblem(response), `${response.status} ${response.body}`).toBeUndefined();
          expect([400, 401, 413]).toContain(response.status);
          if (version === "beta") expect(response.headers["deprecation"]).toBeDefined();
        }),
      ),
      runs,
    );
  });

  it("answers any method and path with a well-formed response", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        fc.array(fc.oneof(fc.constantFrom("v1.0", "beta", "servicePrincipals", "applications", "synchronization", "acquireAccessToken", ".."), fc.string({ maxLength: 12 })), { maxLength: 6 }),
        counted("Graph methods and paths", async (method, segments) => {
          const path = `/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
          const response = await send(`${facts.graphUrl}${path}`, {
            method,
            headers: { Authorization: `Bearer ${validToken}`, "Content-Type": "application/json" },
            body: method === "GET" || method === "OPTIONS" ? undefined : "{}",
          });
          expect(graphResponseProblem(response), `${method} ${path}: ${response.status} ${response.body}`).toBeUndefined();
        }),
      ),
      runs,
    );
  });
});

describe("the emulated login host", () => {
  it("answers any token request with a token or an Entra error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record(
          {
            grant_type: fc.oneof(fc.constantFrom("client_credentials", "password", "authorization_code"), fc.string({ maxLength: 20 })),
            client_id: fc.oneof(fc.constant(facts.clientId), fc.uuid(), fc.string({ maxLength: 40 })),
            client_secret: fc.oneof(fc.constant(facts.clientSecret), fc.string({ maxLength: 40 })),
            scope: fc.oneof(fc.constantFrom(graphScope, "https://graph.microsoft.us/.default", "openid profile", ""), fc.string({ maxLength: 60 })),
            client_assertion: fc.string({ maxLength: 30 }),
            "x-client-SKU": fc.string({ maxLength: 10 }),
          },
          { requiredKeys: [] },
        ),
        fc.oneof(fc.constant(facts.tenantId), fc.constant("graphsyncdemo.onmicrosoft.com"), fc.uuid(), fc.string({ minLength: 1, maxLength: 30 })),
        fc.constantFrom("application/x-www-form-urlencoded", "application/json", "text/plain"),
        fc.option(headerText(120), { nil: undefined }),
        counted("token requests", async (form, tenant, contentType, basic) => {
          const headers: Record<string, string> = { "Content-Type": contentType };
          if (basic !== undefined) headers["Authorization"] = `Basic ${Buffer.from(basic).toString("base64")}`;
          const response = await send(`${facts.loginUrl}/${encodeURIComponent(tenant)}/oauth2/v2.0/token`, {
            method: "POST",
            ca: caCertPem,
            headers,
            body: new URLSearchParams(form).toString(),
          });
          expect(entraResponseProblem(response), `${response.status} ${response.body}`).toBeUndefined();
          // A secret never comes back.
          if (form.client_secret && form.client_secret.length > 8) expect(response.body).not.toContain(form.client_secret);
        }),
      ),
      runs,
    );
  });
});

/** Bytes that HTTP/1.1 framing cares about, mixed into request lines and headers. */
const framingText = fc.string({
  unit: fc.oneof(
    { weight: 6, arbitrary: fc.mapToConstant({ num: 95, build: (offset) => String.fromCharCode(0x20 + offset) }) },
    { weight: 1, arbitrary: fc.constantFrom("\r\n", "\n", "\r", "\t", "\0", ":", " ", "\u00ff", "\u0100") },
  ),
  maxLength: 40,
});
const rawHeader = fc.oneof(
  fc.tuple(fc.constantFrom("Content-Length", "Transfer-Encoding", "Host", "Content-Type", "Authorization", "Expect", "Connection"), framingText),
  fc.tuple(framingText, framingText),
);
const rawRequest = fc.record({
  method: fc.oneof(fc.constantFrom("GET", "POST", "PUT", "DELETE", "OPTIONS", "CONNECT", "PRI"), framingText),
  target: fc.oneof(fc.constantFrom("/", "/v1.0/servicePrincipals/x/synchronization/acquireAccessToken", "/seed", "/token", "*", "http://localhost/state"), framingText),
  version: fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 ", "http/1.1", ""),
  headers: fc.array(rawHeader, { maxLength: 6 }),
  body: fc.oneof(fc.constant(""), fc.string({ maxLength: 80 }), fc.constantFrom("0\r\n\r\n", "5\r\nhello\r\n0\r\n\r\n", "zz\r\n")),
});

describe("the HTTP hosts, below HTTP", () => {
  it("answer any bytes on the wire with a status below 500, or close the connection", async () => {
    const hosts = [facts.graphUrl, facts.adminUrl, facts.targetUrl].map((url) => Number(new URL(url).port));
    await fc.assert(
      fc.asyncProperty(
        rawRequest,
        fc.nat(hosts.length - 1),
        counted("raw requests", async ({ method, target, version, headers, body }, host) => {
          const text = `${method} ${target} ${version}\r\n${headers.map(([name, value]) => `${name}: ${value}`).join("\r\n")}\r\n\r\n${body}`;
          // The client sends everything, then half-closes: the server answers what it got, or closes.
          const closed = await openRawConnection(hosts[host]!, (socket) => socket.end(Buffer.from(text, "latin1")), 10_000);
          if (closed.received === "") return;
          const status = /^HTTP\/1\.1 (\d{3}) /.exec(closed.received)?.[1];
          expect(status, JSON.stringify(closed.received.slice(0, 200))).toBeDefined();
          expect(Number(status), JSON.stringify(closed.received.slice(0, 300))).toBeLessThan(500);
        }),
      ),
      { ...runs, numRuns: 400 },
    );
  });
});

describe("JSON nesting", () => {
  it("is refused beyond 64 levels and read up to it, wherever the brackets are", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 200 }),
        fc.constantFrom("[", '{"a":'),
        counted("nesting depths", async (depth, opener) => {
          const closer = opener === "[" ? "]" : "}";
          const body = `{"credentials":${opener.repeat(depth - 1)}1${closer.repeat(depth - 1)}}`;
          const response = await send(actionUrl(facts, "servicePrincipals", facts.servicePrincipalId), {
            method: "POST",
            headers: { Authorization: `Bearer ${validToken}`, "Content-Type": "application/json" },
            body,
          });
          expect(graphResponseProblem(response)).toBeUndefined();
          expect(response.status).toBe(400);
          expect(response.body.includes("nested more than 64 levels"), `depth ${depth}`).toBe(depth > 64);
        }),
      ),
      runs,
    );
  });
});

describe("the admin API's Host check", () => {
  it("answers exactly the Host headers that name this machine", async () => {
    const loopbackHost = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;
    const port = Number(new URL(facts.adminUrl).port);
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.tuple(fc.constantFrom("localhost", "LocalHost", "127.0.0.1", "127.9.8.7", "[::1]", "evil.example"), fc.constantFrom("", ":80", ":8482", "@evil", "#x", "/x", ".", ":", "?q", "\\"), fc.constantFrom("", "evil@", "a.")).map(
            ([host, suffix, prefix]) => `${prefix}${host}${suffix}`,
          ),
          headerText(30),
        ),
        counted("admin Host headers", async (host) => {
          const closed = await openRawConnection(port, (socket) => socket.end(`GET / HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`), 10_000);
          const status = Number(/^HTTP\/1\.1 (\d{3}) /.exec(closed.received)?.[1]);
          if (loopbackHost.test(host.trim())) expect(status, host).toBe(200);
          else expect([400, 403], host).toContain(status);
        }),
      ),
      runs,
    );
  });
});

describe("the process", () => {
  it("is still running and serving after all of the above: 0 crashes", async () => {
    expect(cli.child.exitCode).toBeNull();
    expect(cli.child.signalCode).toBeNull();
    const state = await new AdminClient(facts.adminUrl).state();
    expect(state.servicePrincipals).toHaveLength(1);
    expect(cli.stderr()).toBe("");
    const total = [...casesRun.values()].reduce((sum, count) => sum + count, 0);
    console.log(`emulator properties: ${total} cases (${[...casesRun].map(([name, count]) => `${name} ${count}`).join(", ")}), 0 crashes`);
    expect(total).toBeGreaterThan(0);
  });
});
