// Injected faults: each kind, in the format of the host it hits, reproducible from a seed, and set
// at run time through the admin API.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { AdminApiError, startEmulator, type FaultConfigInput, type RunningEmulator } from "../src/index.js";
import { actionUrl, callAction, credentialsFor, getAccessToken, graphScope, requestToken } from "./support/emulatorClients.js";
import { rejectionOf } from "@graph-sync/test-support";
import { expectEntraError, expectGraphError } from "./support/responseShapes.js";

let emulator: RunningEmulator;
let token: string;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(() => emulator.close());
beforeEach(async () => {
  await emulator.admin.setFaults({ rate: 0 });
  await emulator.admin.reset();
  token = await getAccessToken(emulator);
});

const spUrl = () => actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId);
const always = (config: FaultConfigInput) => emulator.admin.setFaults({ rate: 1, ...config });
const lastLogEntry = async () => (await emulator.admin.requests({ limit: 1 }))[0];

describe("HTTP error faults on Graph", () => {
  it("500 generalException", async () => {
    await always({ kinds: ["500"] });
    expectGraphError(await callAction(spUrl(), token, credentialsFor("x")), {
      status: 500,
      code: "generalException",
      message: "An internal server error occurred.",
    });
  });

  it("503 serviceNotAvailable without Retry-After", async () => {
    await always({ kinds: ["503"] });
    const response = await callAction(spUrl(), token, credentialsFor("x"));
    expectGraphError(response, { status: 503, code: "serviceNotAvailable", message: "The service is temporarily unavailable. Please retry later." });
    expect(response.headers["retry-after"]).toBeUndefined();
  });

  it("503 with Retry-After", async () => {
    await always({ kinds: ["503-retry-after"], retryAfterSeconds: 3 });
    expectGraphError(await callAction(spUrl(), token, credentialsFor("x")), {
      status: 503,
      code: "serviceNotAvailable",
      message: "The service is temporarily unavailable. Please retry later.",
      headers: { "Retry-After": "3" },
    });
  });

  it("504 gatewayTimeout", async () => {
    await always({ kinds: ["504"] });
    expectGraphError(await callAction(spUrl(), token, credentialsFor("x")), {
      status: 504,
      code: "gatewayTimeout",
      message: "The gateway did not receive a timely response from the service.",
    });
  });

  it("a faulted request changes no state", async () => {
    await always({ kinds: ["500"] });
    const code = await emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), token, credentialsFor(code))).status).toBe(500);
    await emulator.admin.setFaults({ rate: 0 });
    expect((await callAction(spUrl(), token, credentialsFor(code))).status).toBe(204);
  });
});

describe("transport faults on Graph", () => {
  const post = (signal?: AbortSignal) =>
    fetch(spUrl(), {
      method: "POST",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
      body: JSON.stringify(credentialsFor("x")),
      ...(signal ? { signal } : {}),
    });

  it("resets the connection", async () => {
    await always({ kinds: ["reset"] });
    await expect(post()).rejects.toThrow(TypeError);
    expect(await lastLogEntry()).toMatchObject({ area: "graph", fault: "reset", status: null });
  });

  it("truncates the body", async () => {
    await always({ kinds: ["truncate"] });
    const response = await post();
    expect(response.status).toBe(500);
    await expect(response.text()).rejects.toThrow();
  });

  it("stalls until the client gives up", async () => {
    await always({ kinds: ["stall"] });
    await expect(post(AbortSignal.timeout(300))).rejects.toThrow(/timeout|aborted/i);
  });

  it("delays, then serves normally", async () => {
    await always({ kinds: ["latency"], latency: { mode: "fixed", ms: 20 } });
    const code = await emulator.getAuthorizationCode();
    expect((await callAction(spUrl(), token, credentialsFor(code))).status).toBe(204);
    expect(await lastLogEntry()).toMatchObject({ area: "graph", fault: "latency", status: 204 });
  });
});

describe("faults on the login host", () => {
  it("answer in Entra's format, and Graph is unaffected", async () => {
    await always({ kinds: ["503-retry-after"], paths: "login", retryAfterSeconds: 1 });
    const response = await requestToken(
      emulator,
      { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: graphScope },
      { tenant: emulator.tenantId },
    );
    expectEntraError(response, {
      status: 503,
      error: "temporarily_unavailable",
      aadsts: 90024,
      description: "A transient error has occurred. Please try again.",
    });
    expect(response.headers["retry-after"]).toBe("1");
    expect((await callAction(spUrl(), token, {})).status).toBe(400);
  });
});

describe("a connection reset on a TLS host", () => {
  it("drops the connection (Node cannot send an RST over TLS), and the emulator keeps serving", async () => {
    await always({ kinds: ["reset"], paths: "login" });
    const form = { grant_type: "client_credentials", client_id: emulator.clientId, client_secret: emulator.clientSecret, scope: graphScope };
    const error = await rejectionOf<NodeJS.ErrnoException>(requestToken(emulator, form, { tenant: emulator.tenantId }));
    expect({ code: error.code, message: error.message }).toEqual({ code: "ECONNRESET", message: "socket hang up" });
    expect(await lastLogEntry()).toMatchObject({ area: "login", fault: "reset", status: null });
    await emulator.admin.setFaults({ rate: 0 });
    expect((await requestToken(emulator, form, { tenant: emulator.tenantId })).status).toBe(200);
  });
});

describe("reproducibility", () => {
  const statuses = async (count: number) => {
    const seen: number[] = [];
    for (let index = 0; index < count; index += 1) seen.push((await callAction(spUrl(), token, {})).status);
    return seen;
  };

  it("gives the same faults for the same seed and requests", async () => {
    await emulator.admin.setFaults({ rate: 0.5, seed: 42, kinds: ["500", "503"] });
    const first = await statuses(24);
    await emulator.admin.setFaults({ rate: 0.5, seed: 42, kinds: ["500", "503"] });
    const second = await statuses(24);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set([400, 500, 503]));
    await emulator.admin.setFaults({ rate: 0.5, seed: 7, kinds: ["500", "503"] });
    expect(await statuses(24)).not.toEqual(first);
  });
});

describe("settings", () => {
  it("reports the completed setting", async () => {
    expect(await emulator.admin.setFaults({ rate: 0.25, kinds: ["latency"], latency: { mode: "uniform", maxMs: 50 } })).toEqual({
      rate: 0.25,
      seed: 1,
      kinds: ["latency"],
      latency: { mode: "uniform", ms: 100, maxMs: 50 },
      paths: "graph",
      retryAfterSeconds: 2,
    });
  });

  it("refuses an invalid setting with a message naming the field", async () => {
    const error = await rejectionOf<AdminApiError>(emulator.admin.setFaults({ rate: 2 }));
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("faults/rate must be <= 1");
  });
});
