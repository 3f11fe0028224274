// Property-based tests: whatever arrives (bodies, headers, tokens, paths, methods, token requests),
// every answer is a well-formed Graph or Entra response, and the emulator process never falls over.
// They run against the compiled CLI in its own process, so a crash cannot hide in the test runner.
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AdminClient, type EmulatorFacts } from "../src/index.js";
import { loadOpenApiFragment } from "../src/graph/openApiFragment.js";
import { startCli, type CliEmulator } from "./support/cliProcess.js";
import { actionUrl, getAccessToken, graphScope } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { entraResponseProblem, graphResponseProblem } from "./support/responseShapes.js";

const runs = { numRuns: 120, interruptAfterTimeLimit: 15_000 };
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
        async (body, contentType, clientRequestId, token, kind, version) => {
          const headers: Record<string, string> = { "Content-Type": contentType, Authorization: `Bearer ${resolveToken(token)}` };
          if (clientRequestId !== undefined) headers["client-request-id"] = clientRequestId;
          const id = kind === "servicePrincipals" ? facts.servicePrincipalId : facts.applicationId;
          const response = await send(actionUrl(facts, kind, id, version), { method: "POST", headers, body });
          expect(graphResponseProblem(response), `${response.status} ${response.body}`).toBeUndefined();
          expect([400, 401, 413]).toContain(response.status);
          if (version === "beta") expect(response.headers["deprecation"]).toBeDefined();
        },
      ),
      runs,
    );
  });

  it("answers any method and path with a well-formed response", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"),
        fc.array(fc.oneof(fc.constantFrom("v1.0", "beta", "servicePrincipals", "applications", "synchronization", "acquireAccessToken", ".."), fc.string({ maxLength: 12 })), { maxLength: 6 }),
        async (method, segments) => {
          const path = `/${segments.map((segment) => encodeURIComponent(segment)).join("/")}`;
          const response = await send(`${facts.graphUrl}${path}`, {
            method,
            headers: { Authorization: `Bearer ${validToken}`, "Content-Type": "application/json" },
            body: method === "GET" || method === "OPTIONS" ? undefined : "{}",
          });
          expect(graphResponseProblem(response), `${method} ${path}: ${response.status} ${response.body}`).toBeUndefined();
        },
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
        async (form, tenant, contentType, basic) => {
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
        },
      ),
      runs,
    );
  });
});

describe("the process", () => {
  it("is still running and serving after all of the above", async () => {
    expect(cli.child.exitCode).toBeNull();
    expect(cli.child.signalCode).toBeNull();
    const state = await new AdminClient(facts.adminUrl).state();
    expect(state.servicePrincipals).toHaveLength(1);
    expect(cli.stderr()).toBe("");
  });
});
