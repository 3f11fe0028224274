// apiVersion "beta" switches the URL; Graph's Deprecation/Sunset headers produce one warning per
// process, through the logger, with the removal date.
import { expect, test, vi } from "vitest";
import { createSyncClient, type SyncLogger } from "@graph-sync/sdk";
import { betaDeprecation } from "../src/generated/betaDeprecation.js";
import { AUTH_CODE, SP_ID, staticCredential } from "./support/credentials.js";
import { noContent, useGraphServer } from "@graph-sync/test-support";

const deprecated = noContent({
  deprecation: "@1770336000", // RFC 9745: 2026-02-06
  sunset: "Tue, 06 Jul 2027 00:00:00 GMT",
  link: '<https://learn.microsoft.com/graph/api/synchronization-synchronization-acquireaccesstoken?view=graph-rest-beta>; rel="deprecation"; type="text/html"',
});

const server = await useGraphServer();

function warningsLogger(): SyncLogger & { warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warning: (line) => warnings.push(line) };
}

test("v1.0 without deprecation headers: no warning", async () => {
  const logger = warningsLogger();
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, logger });
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  expect(logger.warnings).toEqual([]);
});

test("beta: the URL switches, and Graph's notice is logged once per process with the removal date", async () => {
  const first = warningsLogger();
  const client = createSyncClient({ credential: staticCredential(), baseUrl: server.url, apiVersion: "beta", logger: first });
  expect(client.graphUrl).toBe(`${server.url}/beta`);

  server.enqueue(deprecated, deprecated, deprecated);
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });
  await client.acquireAccessToken({ servicePrincipalId: SP_ID }, { Oauth2AuthorizationCode: AUTH_CODE });

  expect(server.requests.map((request) => request.url)).toEqual([
    `/beta/servicePrincipals/${SP_ID}/synchronization/acquireAccessToken`,
    `/beta/servicePrincipals/${SP_ID}/synchronization/acquireAccessToken`,
  ]);
  expect(first.warnings).toHaveLength(1);
  expect(first.warnings[0]).toMatch(/^graph-sync: Microsoft Graph marks beta synchronization: acquireAccessToken/);
  expect(first.warnings[0]).toContain("deprecated since 2026-02-06 and will remove it on 2027-07-06");
  expect(first.warnings[0]).toContain("view=graph-rest-beta");

  // Another client in the same process: already said.
  const second = warningsLogger();
  await createSyncClient({ credential: staticCredential(), baseUrl: server.url, apiVersion: "beta", logger: second }).acquireAccessToken(
    { servicePrincipalId: SP_ID },
    { Oauth2AuthorizationCode: AUTH_CODE },
  );
  expect(second.warnings).toEqual([]);
});

// The facts come from Graph's beta description (generated into src/generated/betaDeprecation.ts),
// so this test reads them there rather than repeating the dates.
test("beta without headers: the warning still comes, with the dates and reason of Graph's beta description", async () => {
  expect(betaDeprecation).toBeDefined();
  const { date, removalDate, description } = betaDeprecation!;
  const { noticeDeprecation } = await import("../src/call/deprecationNotice.js");
  const logger = warningsLogger();
  // An untraced call's telemetry: nothing records the notice but the warning.
  const telemetry = { recording: false, deprecation: () => undefined };
  const call = { logger, telemetry };
  const context = { settings: { apiVersion: "v1.0" as const, graphUrl: "https://graph.example/v1.0" }, call };
  noticeDeprecation(new Response(null, { status: 204 }), context as never);
  expect(logger.warnings).toEqual([]);
  // A fresh module instance has not warned about beta yet (the other test's client did, in this one).
  vi.resetModules();
  const fresh = await import("../src/call/deprecationNotice.js");
  fresh.noticeDeprecation(new Response(null, { status: 204 }), { settings: { apiVersion: "beta", graphUrl: "https://graph.example/beta" }, call } as never);
  expect(logger.warnings).toHaveLength(1);
  expect(logger.warnings[0]).toContain(`deprecated since ${date} and will remove it on ${removalDate}`);
  expect(logger.warnings[0]).toContain(`Graph's reason: ${description.replace(/\.$/, "")}`);
});

test("an unknown apiVersion is a configuration error", () => {
  expect(() => createSyncClient({ credential: staticCredential(), apiVersion: "v2.0" as never })).toThrow(
    /Unknown apiVersion "v2.0". Use "v1.0" \(default\) or "beta"/,
  );
});
