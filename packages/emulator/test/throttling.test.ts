// Throttling: a per app+tenant limit answered with Graph's 429 and Retry-After in each format.
// Scope app (the default, as Graph documents it): once the window's budget is spent every caller
// of the app waits until the window ends. Scope request (Dev Proxy's RetryAfterPlugin): a client (one
// client-request-id) retrying before its wait ends is throttled again and its wait starts over;
// other clients only face the budget. Time is moved with an injected clock; nothing here depends on
// real waiting.
import { beforeEach, describe, expect, it } from "vitest";
import { AdminApiError } from "../src/index.js";
import { actionUrl, callAction, getAccessToken } from "./support/emulatorClients.js";
import { rejectionOf } from "@graph-sync/test-support";
import { expectGraphError } from "./support/responseShapes.js";
import { shareEmulator } from "./support/sharedEmulator.js";

const shared = shareEmulator(
  {},
  { startAt: () => Date.UTC(2026, 10, 23, 10, 0, 0), prepare: (emulator) => emulator.admin.setThrottling({ limit: 3, windowSeconds: 10 }) },
);

// Throttling is decided before the body is read, so an empty object (a 400) is a cheap request.
const hit = (bearer = shared.token, clientRequestId?: string) =>
  callAction(
    actionUrl(shared.emulator, "servicePrincipals", shared.emulator.servicePrincipalId),
    bearer,
    {},
    clientRequestId ? { "client-request-id": clientRequestId } : {},
  );
const throttledMessage =
  "Too many requests for this application in this tenant. Wait for the time in the Retry-After header (or back off when there is none) before retrying.";
const expectThrottled = async (retryAfter: string | undefined, clientRequestId?: string) => {
  const response = await hit(shared.token, clientRequestId);
  expectGraphError(response, {
    status: 429,
    code: "TooManyRequests",
    message: throttledMessage,
    ...(clientRequestId ? { clientRequestId } : {}),
    headers: {
      "x-ms-throttle-scope": `Tenant_Application/ReadWrite/${shared.emulator.clientId}/${shared.emulator.tenantId}`,
      "x-ms-throttle-information": "ResourceUnitLimitExceeded",
    },
  });
  expect(response.headers["retry-after"]).toBe(retryAfter);
};

describe("the default", () => {
  it("is on, with Graph's small-tenant identity limit", async () => {
    await shared.emulator.admin.setThrottling({});
    expect(await shared.emulator.admin.throttling()).toEqual({
      enabled: true,
      scope: "app",
      limit: 3500,
      windowSeconds: 10,
      writeLimit: 3000,
      writeWindowSeconds: 150,
      retryAfterFormat: "integer",
    });
  });
});

describe("scope app (the default): the app waits, whoever asks", () => {
  it("refuses every caller of the app until the window ends, each told the time left", async () => {
    for (let index = 0; index < 3; index += 1) expect((await hit(shared.token, `worker-${index}`)).status).toBe(400);
    shared.now += 2_000;
    await expectThrottled("8", "worker-0");
    shared.now += 3_000;
    await expectThrottled("5", "worker-1"); // another caller: the app's window, not a budget of its own
    await expectThrottled("5"); // no client-request-id: the same
    shared.now += 4_000;
    await expectThrottled("1", "worker-0"); // an early retry does not move the end
    shared.now += 1_000; // the window ends: a new budget for every caller
    expect((await hit(shared.token, "worker-0")).status).toBe(400);
    expect((await hit(shared.token, "worker-1")).status).toBe(400);
  });

  it("lets every caller in when the window ends, even before a rounded-up Retry-After is over", async () => {
    for (let index = 0; index < 3; index += 1) await hit();
    shared.now += 2_500;
    await expectThrottled("8", "worker-0"); // 7.5 s left in the window, announced as 8
    shared.now += 7_500; // the window has ended; worker-0's announced wait has 0.5 s to go
    expect((await hit(shared.token, "worker-1")).status).toBe(400);
    expect((await hit(shared.token, "worker-0")).status).toBe(400);
  });

  it("does not hold one app's wait against another app", async () => {
    const other = (await shared.emulator.admin.seed({ clientApplications: [{ tenantId: shared.emulator.tenantId, roles: ["Synchronization.ReadWrite.All"] }] }))
      .clientApplications[0]!;
    const otherToken = await getAccessToken(shared.emulator, { clientId: other.appId, clientSecret: other.secrets[0]!.value });
    for (let index = 0; index < 3; index += 1) await hit();
    await expectThrottled("10");
    expect((await hit(otherToken, "other-app")).status).toBe(400);
  });

  it("is what the admin API and startEmulator call scope app", async () => {
    expect((await shared.emulator.admin.throttling()).scope).toBe("app");
    expect((await shared.emulator.admin.setThrottling({ scope: "request" })).scope).toBe("request");
    const error = await rejectionOf<AdminApiError>(shared.emulator.admin.setThrottling({ scope: "client" as "app" }));
    expect(error.status).toBe(400);
    expect(error.message).toContain("throttling/scope must be equal to one of the allowed values");
  });
});

describe("scope request: the wait belongs to the client that was told", () => {
  beforeEach(() => shared.emulator.admin.setThrottling({ limit: 3, windowSeconds: 10, scope: "request" }));

  it("answers 429 TooManyRequests with an integer Retry-After once the window's units are spent", async () => {
    for (let index = 0; index < 3; index += 1) expect((await hit()).status).toBe(400);
    await expectThrottled("10");
  });

  it("throttles a client that retries before Retry-After ends again, and its wait starts over", async () => {
    const client = "retrying-client-1";
    for (let index = 0; index < 3; index += 1) await hit();
    shared.now += 2_000;
    await expectThrottled("8", client);
    shared.now += 7_000; // 1 s before the announced wait is over
    await expectThrottled("8", client);
    shared.now += 2_000; // the window has rolled over, but this client's renewed wait has not
    await expectThrottled("8", client);
    shared.now += 8_000; // exactly when the renewed wait is over
    expect((await hit(shared.token, client)).status).toBe(400);
  });

  it("does not hold one client's early retry against another client of the same app", async () => {
    for (let index = 0; index < 3; index += 1) await hit();
    await expectThrottled("10", "impatient-client");
    shared.now += 9_000;
    await expectThrottled("10", "impatient-client");
    shared.now += 1_000; // the window rolls over: a new budget for everybody who waited
    expect((await hit(shared.token, "patient-client")).status).toBe(400);
    await expectThrottled("10", "impatient-client"); // still inside its own renewed wait, which starts over again
  });

  it("throttles requests without a client-request-id until the window's units are back", async () => {
    for (let index = 0; index < 3; index += 1) await hit();
    shared.now += 4_000;
    await expectThrottled("6");
    shared.now += 5_000;
    await expectThrottled("1");
    shared.now += 1_000;
    expect((await hit()).status).toBe(400);
  });

  it("lets a client that waits as told through", async () => {
    for (let index = 0; index < 3; index += 1) await hit();
    await expectThrottled("10");
    shared.now += 10_000;
    expect((await hit()).status).toBe(400);
  });

  it("counts per app and tenant: another app is not throttled", async () => {
    const other = (await shared.emulator.admin.seed({ clientApplications: [{ tenantId: shared.emulator.tenantId, roles: ["Synchronization.ReadWrite.All"] }] }))
      .clientApplications[0]!;
    const otherToken = await getAccessToken(shared.emulator, { clientId: other.appId, clientSecret: other.secrets[0]!.value });
    for (let index = 0; index < 3; index += 1) await hit();
    await expectThrottled("10");
    expect((await hit(otherToken)).status).toBe(400);
  });

  it("never throttles when off", async () => {
    await shared.emulator.admin.setThrottling({ enabled: false, limit: 1 });
    for (let index = 0; index < 10; index += 1) expect((await hit()).status).toBe(400);
  });
});

describe("Retry-After formats", () => {
  const exhaust = async (format: "fractional" | "http-date" | "absent") => {
    await shared.emulator.admin.setThrottling({ limit: 3, windowSeconds: 10, retryAfterFormat: format });
    for (let index = 0; index < 3; index += 1) await hit();
    shared.now += 2_500;
  };

  it("can be fractional, like Graph's own 2.128", async () => {
    await exhaust("fractional");
    await expectThrottled("7.500");
  });

  it("can be an HTTP-date", async () => {
    await exhaust("http-date");
    await expectThrottled(new Date(shared.now + 7_500 + 500).toUTCString());
  });

  it("can be absent, and the wait is still enforced", async () => {
    await exhaust("absent");
    await expectThrottled(undefined);
    shared.now += 7_000;
    await expectThrottled(undefined);
  });
});

describe("settings", () => {
  it("refuses an invalid setting with a message naming the field", async () => {
    const error = await rejectionOf<AdminApiError>(shared.emulator.admin.setThrottling({ limit: 0 }));
    expect(error).toBeInstanceOf(AdminApiError);
    expect(error.status).toBe(400);
    expect(error.message).toContain("throttling/limit must be >= 1");
  });
});
