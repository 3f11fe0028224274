// The admin API (seed, reset, state, request log, errors) and the promise that secret values never
// show up in the state it reports, in the request log, in log lines or in error messages.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IncomingMessage } from "node:http";
import { whyNotLocal } from "../src/admin/localCallers.js";
import { AdminApiError, startEmulator, type RunningEmulator } from "../src/index.js";
import { fingerprint } from "../src/state/maskedState.js";
import { actionUrl, callAction, credentialsFor, getAccessToken, graphScope, requestToken } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { rejectionOf } from "@graph-sync/test-support";

const logLines: string[] = [];
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ autoConsent: true, logger: (line) => logLines.push(line) });
});
afterAll(() => emulator.close());
beforeEach(() => emulator.admin.reset());

describe("seed and reset", () => {
  it("seeds objects with generated ids and secrets, returned once in clear and masked in the state", async () => {
    const seeded = await emulator.admin.seed({
      tenants: [{ displayName: "Contoso", domains: ["contoso.onmicrosoft.com"] }],
    });
    const tenantId = seeded.tenants[0]!.id;
    const more = await emulator.admin.seed({
      clientApplications: [{ tenantId: "contoso.onmicrosoft.com", roles: ["Synchronization.ReadWrite.All"] }],
      targetClients: [{ redirectUris: ["https://app.example.test/callback"] }],
    });
    const app = more.clientApplications[0]!;
    expect(app.tenantId).toBe(tenantId);
    expect(app.secrets[0]!.value).toMatch(/^.{3}8Q~.{34}$/);
    const objects = await emulator.admin.seed({
      applications: [{ tenantId, owners: [app.servicePrincipalId], targetClientId: more.targetClients[0]!.clientId }],
    });

    const state = await emulator.admin.state();
    const storedApp = state.clientApplications.find((candidate) => candidate.appId === app.appId)!;
    expect(storedApp.secrets).toEqual([
      { keyId: app.secrets[0]!.keyId, displayName: "secret 1", endDateTime: app.secrets[0]!.endDateTime, value: "********", valueFingerprint: fingerprint(app.secrets[0]!.value) },
    ]);
    expect(state.targetClients.find((client) => client.clientId === more.targetClients[0]!.clientId)).toMatchObject({
      clientSecret: "********",
      redirectUris: ["https://app.example.test/callback"],
    });
    expect(state.applications.find((object) => object.id === objects.applications[0]!.id)).toMatchObject({ tenantId, tokenAcquisitions: 0 });

    // The seeded app works end to end.
    const token = await getAccessToken(emulator, { tenantId, clientId: app.appId, clientSecret: app.secrets[0]!.value });
    const code = await emulator.getAuthorizationCode(objects.applications[0]!.id);
    expect((await callAction(actionUrl(emulator, "applications", objects.applications[0]!.id), token, credentialsFor(code))).status).toBe(204);
  });

  it("refuses a seed that refers to something missing, and changes nothing", async () => {
    const before = await emulator.admin.state();
    const error = await rejectionOf<AdminApiError>(
      emulator.admin.seed({
        tenants: [{ id: "11111111-1111-1111-1111-111111111111" }],
        applications: [{ tenantId: "22222222-2222-2222-2222-222222222222" }],
      }),
    );
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("Application '");
    expect(error.message).toContain("refers to tenant '22222222-2222-2222-2222-222222222222', which does not exist.");
    expect(await emulator.admin.state()).toEqual(before);
  });

  it("refuses a seed with unknown fields, naming them", async () => {
    const error = await rejectionOf<AdminApiError>(emulator.admin.seed({ tenants: [{ name: "x" } as never] }));
    expect(error.status).toBe(400);
    expect(error.message).toContain("seed/tenants/0 must NOT have additional properties");
  });

  it("resets to the state at start, or to nothing", async () => {
    const initial = await emulator.admin.state();
    await emulator.admin.seed({ tenants: [{}] });
    await emulator.admin.reset();
    expect(await emulator.admin.state()).toEqual(initial);
    await emulator.admin.reset("empty");
    expect(await emulator.admin.state()).toEqual({
      tenants: [],
      clientApplications: [],
      targetClients: [],
      applications: [],
      servicePrincipals: [],
      authorizationCodes: [],
      users: [],
    });
  });
});

describe("the request log", () => {
  it("records each request to Graph, login and target with its outcome and correlation ids", async () => {
    await emulator.admin.clearRequests();
    const token = await getAccessToken(emulator);
    const code = await emulator.getAuthorizationCode();
    const response = await callAction(actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId), token, credentialsFor(code), {
      "client-request-id": "trace-me",
    });
    const entries = await emulator.admin.requests();
    expect(entries.map((entry) => `${entry.area} ${entry.method} ${entry.path.split("/").slice(0, 2).join("/")} ${entry.status}`)).toEqual([
      `login POST /${emulator.tenantId} 200`,
      "target GET /authorize 302",
      "target POST /token 200",
      "graph POST /v1.0 204",
    ]);
    expect(entries.at(-1)).toMatchObject({
      requestId: response.headers["request-id"],
      clientRequestId: "trace-me",
      tenantId: emulator.tenantId,
      appId: emulator.clientId,
    });
    expect(entries.map((entry) => entry.sequence)).toEqual([...entries.map((entry) => entry.sequence)].sort((a, b) => a - b));
  });

  it("echoes a well-formed W3C traceparent into the log entry, and nothing else that claims to be one", async () => {
    await emulator.admin.clearRequests();
    const token = await getAccessToken(emulator);
    const traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    const url = actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId);
    await callAction(url, token, credentialsFor("unused-code-1"), { traceparent });
    await callAction(url, token, credentialsFor("unused-code-2"), { traceparent: "00-not-a-trace-context secret=abc" });
    const graph = (await emulator.admin.requests()).filter((entry) => entry.area === "graph");
    expect(graph.map((entry) => entry.traceparent)).toEqual([traceparent, undefined]);
  });

  it("keeps only the newest entries when asked for a limit", async () => {
    await emulator.admin.clearRequests();
    for (let index = 0; index < 3; index += 1) await send(`${emulator.graphUrl}/v1.0/nothing-${index}`);
    expect((await emulator.admin.requests({ limit: 2 })).map((entry) => entry.path)).toEqual(["/v1.0/nothing-1", "/v1.0/nothing-2"]);
  });
});

describe("secret values", () => {
  it("appear nowhere: not in the state, the request log, log lines or error answers", async () => {
    logLines.length = 0;
    const token = await getAccessToken(emulator);
    const code = await emulator.getAuthorizationCode();
    const spUrl = actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId);
    const answers: string[] = [];
    answers.push((await callAction(spUrl, token, credentialsFor(code))).body);
    answers.push((await callAction(spUrl, token, credentialsFor(code))).body); // reused code
    answers.push((await callAction(spUrl, token, '{"credentials":[{"key":"Oauth2AuthorizationCode","value":"' + code)).body);
    answers.push(
      (await callAction(spUrl, token, credentialsFor("x", [{ key: "Oauth2ClientSecret", value: emulator.target.clientSecret + "-wrong" }]))).body,
    );
    answers.push(
      (
        await requestToken(
          emulator,
          { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: `${emulator.clientSecret}x`, scope: graphScope },
          { tenant: emulator.tenantId },
        )
      ).body,
    );
    const everything = [
      JSON.stringify(await emulator.admin.state()),
      JSON.stringify(await emulator.admin.requests()),
      logLines.join("\n"),
      answers.join("\n"),
    ].join("\n");
    for (const secret of [emulator.clientSecret, emulator.target.clientSecret, code, token, token.split(".")[2]!]) {
      expect(everything).not.toContain(secret);
    }
    // The target's tokens are opaque values with known prefixes; none may leak either.
    expect(everything).not.toMatch(/tgt_(at|rt)_[A-Za-z0-9_-]{10}/);
    expect(logLines.some((line) => line.includes("graph POST"))).toBe(true);
  });
});

describe("admin API errors", () => {
  it("lists its endpoints at the root", async () => {
    const response = await send(`${emulator.adminUrl}/`);
    expect(JSON.parse(response.body)).toMatchObject({ endpoints: expect.arrayContaining(["GET /state", "PUT /faults"]) });
  });

  it("answers 404 for an unknown path and 405 with Allow for a wrong method", async () => {
    const missing = await send(`${emulator.adminUrl}/nope`);
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({ error: { code: "notFound", message: "No admin endpoint at '/nope'. GET / lists them." } });
    const wrong = await send(`${emulator.adminUrl}/state`, { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe("GET");
  });

  it("answers 400 for a body that is not JSON", async () => {
    const response = await send(`${emulator.adminUrl}/seed`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{" });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toEqual({ error: { code: "invalidRequest", message: "The body is not valid JSON." } });
  });
});

describe("only programs on this machine", () => {
  const forbidden = (message: string) => ({ status: 403, body: { error: { code: "forbidden", message } } });
  const answer = async (path: string, options: Parameters<typeof send>[1]) => {
    const response = await send(`${emulator.adminUrl}${path}`, options);
    return { status: response.status, body: JSON.parse(response.body) as unknown };
  };

  it("refuses a request addressed to another host name, as a DNS-rebinding page sends it", async () => {
    expect(await answer("/state", { headers: { Host: "rebound.example.test:80" } })).toEqual(
      forbidden("The admin API answers only requests addressed to this machine (localhost, 127.0.0.1, [::1]), not to 'rebound.example.test:80'."),
    );
  });

  it("refuses a web page of another origin, and changes nothing", async () => {
    await emulator.admin.seed({ tenants: [{ displayName: "survives" }] });
    expect(await answer("/reset", { method: "POST", headers: { Origin: "https://attacker.example.test" } })).toEqual(
      forbidden("The admin API does not answer requests from web pages of other origins ('https://attacker.example.test')."),
    );
    expect((await emulator.admin.state()).tenants.map((tenant) => tenant.displayName)).toContain("survives");
  });

  it("answers pages and tools on this machine", async () => {
    const port = new URL(emulator.adminUrl).port;
    const allowed: Array<Record<string, string>> = [{ Origin: "http://localhost:3000" }, { Host: `localhost:${port}` }, { Host: `[::1]:${port}` }];
    for (const headers of allowed) {
      expect((await answer("/throttling", { headers })).status, JSON.stringify(headers)).toBe(200);
    }
  });

  it("refuses a peer that is not on this machine", () => {
    const from = (remoteAddress: string) => whyNotLocal({ socket: { remoteAddress }, headers: {}, rawHeaders: [] } as unknown as IncomingMessage);
    for (const address of ["10.0.0.7", "::ffff:192.168.1.20", "2001:db8::1"]) {
      expect(from(address), address).toBe("The admin API answers only clients on this machine.");
    }
    for (const address of ["127.0.0.1", "127.0.0.2", "::1", "::ffff:127.0.0.1"]) expect(from(address), address).toBeUndefined();
  });
});
