// --data: state, keys and certificates survive a restart, and a kill at any moment loses nothing
// that was acknowledged, because every write is atomic and durable before the answer goes out.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AdminApiError, AdminClient, startEmulator } from "../src/index.js";
import { ChangeNotDurableError } from "../src/state/durableDocument.js";
import { EmulatorStore } from "../src/state/store.js";
import { startCli } from "./support/cliProcess.js";
import { actionUrl, callAction, credentialsFor, getAccessToken } from "./support/emulatorClients.js";
import { rejectionOf } from "@graph-sync/test-support";
import { expectGraphError } from "./support/responseShapes.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-persistence-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let directoryCount = 0;
const freshDataDir = () => join(scratch, `data-${(directoryCount += 1)}`);

describe("restart with the same data directory", () => {
  it("keeps the state, the demo credentials, the CA and the signing key", async () => {
    const dataDir = freshDataDir();
    const first = await startEmulator({ dataDir });
    const token = await getAccessToken(first);
    const code = await first.getAuthorizationCode();
    expect((await callAction(actionUrl(first, "servicePrincipals", first.servicePrincipalId), token, credentialsFor(code))).status).toBe(204);
    await first.admin.seed({ tenants: [{ displayName: "kept" }] });
    await first.admin.seed({ users: [{ tenantId: first.tenantId, userPrincipalName: "kept@graphsyncdemo.onmicrosoft.com", directoryRoles: ["Hybrid Identity Administrator"] }] });
    const stateBefore = await first.admin.state();
    const laterCode = await first.getAuthorizationCode();
    await first.close();

    const second = await startEmulator({ dataDir });
    try {
      expect(await second.admin.state()).toEqual({
        ...stateBefore,
        // The code issued last is there too, unredeemed.
        authorizationCodes: expect.arrayContaining(stateBefore.authorizationCodes),
      });
      expect(second.clientSecret).toBe(first.clientSecret);
      expect(second.tenantId).toBe(first.tenantId);
      expect(second.caCertPem).toBe(first.caCertPem);
      expect(second.caCertPath).toBe(join(dataDir, "tls", "ca-cert.pem"));
      // A token issued before the restart still verifies, and a code issued before it still redeems.
      const response = await callAction(actionUrl(second, "servicePrincipals", second.servicePrincipalId), token, credentialsFor(laterCode));
      expect(response.status).toBe(204);
    } finally {
      await second.close();
    }
    // The CA certificate stays where clients were told to find it.
    expect(readFileSync(join(dataDir, "tls", "ca-cert.pem"), "utf8")).toBe(first.caCertPem);
  });

  it("reads a state saved before users and delegated permissions existed", async () => {
    const dataDir = freshDataDir();
    mkdirSync(dataDir, { recursive: true });
    const tenantId = "4f0c8b1e-6a6d-4c8e-9a43-2b7c1d0e5f11";
    writeFileSync(
      join(dataDir, "state.json"),
      JSON.stringify({
        formatVersion: 1,
        tenants: [{ id: tenantId, displayName: "old", domains: [] }],
        clientApplications: [{ tenantId, appId: "5a1d2c3b-0e9f-4a8b-9c7d-6e5f4a3b2c1d", displayName: "old app", servicePrincipalId: "6b2e3d4c-1f0a-4b9c-8d7e-5f6a7b8c9d0e", roles: [], secrets: [] }],
        synchronizationObjects: [],
        targetClients: [],
        authorizationCodes: [],
      }),
    );
    const emulator = await startEmulator({ dataDir });
    try {
      const state = await emulator.admin.state();
      expect(state.users).toEqual([]);
      expect(state.clientApplications[0]).not.toHaveProperty("delegatedPermissions");
      const seeded = await emulator.admin.seed({ users: [{ tenantId, directoryRoles: ["Application Administrator"] }] });
      expect(seeded.users[0]!.directoryRoleTemplateIds).toEqual(["9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"]);
    } finally {
      await emulator.close();
    }
  });

  it("does not seed the demo tenant again over an existing state, even an emptied one", async () => {
    const dataDir = freshDataDir();
    const first = await startEmulator({ dataDir });
    await first.admin.reset("empty");
    await first.close();
    const second = await startEmulator({ dataDir });
    try {
      expect((await second.admin.state()).tenants).toEqual([]);
      expect(second.clientId).toBe("");
    } finally {
      await second.close();
    }
  });

  it("refuses a second emulator started at the same moment in the same process", async () => {
    const dataDir = freshDataDir();
    const outcomes = await Promise.allSettled([startEmulator({ dataDir }), startEmulator({ dataDir })]);
    const started = outcomes.filter((outcome) => outcome.status === "fulfilled").map((outcome) => outcome.value);
    try {
      expect(started).toHaveLength(1);
      expect(outcomes.find((outcome) => outcome.status === "rejected")?.reason).toEqual(
        new Error(`The data directory ${dataDir} is already in use by an emulator in this process.`),
      );
    } finally {
      await Promise.all(started.map((emulator) => emulator.close()));
    }
  });

  it("refuses a second emulator on a data directory in use", async () => {
    const dataDir = freshDataDir();
    const first = await startEmulator({ dataDir });
    try {
      const error = await rejectionOf(startEmulator({ dataDir }));
      expect(error.message).toBe(`The data directory ${dataDir} is already in use by an emulator in this process.`);
    } finally {
      await first.close();
    }
  });
});

describe("a kill", () => {
  it("after acknowledged writes loses none of them", async () => {
    const dataDir = freshDataDir();
    const cli = await startCli(["--port", "0", "--data", dataDir, "--quiet", "--auto-consent"]);
    const admin = new AdminClient(cli.facts.adminUrl);
    const caCertPem = readFileSync(cli.facts.caCertPath, "utf8");
    const token = await getAccessToken({ ...cli.facts, caCertPem } as never);

    // Writes of every kind, each acknowledged before the next: seeds, codes, an authorization.
    const acknowledgedTenants: string[] = [];
    for (let index = 0; index < 5; index += 1) acknowledgedTenants.push((await admin.seed({ tenants: [{}] })).tenants[0]!.id);
    const redirect = await fetch(cli.facts.target.authorizationRequestUrl, { redirect: "manual" });
    const code = new URL(redirect.headers.get("location")!).searchParams.get("code")!;
    const authorized = await callAction(actionUrl(cli.facts, "servicePrincipals", cli.facts.servicePrincipalId), token, credentialsFor(code));
    expect(authorized.status).toBe(204);

    // Then a burst of concurrent writes, killed while it is in flight.
    const burst = Array.from({ length: 40 }, () =>
      admin.seed({ tenants: [{}] }).then(
        (result) => result.tenants[0]!.id,
        () => undefined,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 15));
    cli.child.kill("SIGKILL");
    expect(await cli.exited).toBe("SIGKILL");
    const acknowledgedInBurst = (await Promise.all(burst)).filter((id): id is string => id !== undefined);

    const restarted = await startEmulator({ dataDir });
    try {
      const state = await restarted.admin.state();
      const tenantIds = new Set(state.tenants.map((tenant) => tenant.id));
      for (const id of [...acknowledgedTenants, ...acknowledgedInBurst]) expect(tenantIds.has(id), id).toBe(true);
      const servicePrincipal = state.servicePrincipals.find((object) => object.id === cli.facts.servicePrincipalId)!;
      expect(servicePrincipal.tokenAcquisitions).toBe(1);
      expect(servicePrincipal.secrets.map((secret) => secret.key)).toEqual(
        expect.arrayContaining(["Oauth2AccessToken", "Oauth2RefreshToken", "Oauth2AccessTokenCreationTime"]),
      );
      // The spent code stays spent.
      const reused = await callAction(actionUrl(restarted, "servicePrincipals", restarted.servicePrincipalId), token, credentialsFor(code));
      expect(reused.status).toBe(400);
      expect(reused.body).toContain("has already been used");
    } finally {
      await restarted.close();
    }
    // Only whole files: the state file parses, whatever temporary files the kill left behind.
    expect(() => JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as unknown).not.toThrow();
    expect(readdirSync(dataDir)).toEqual(expect.arrayContaining(["state.json", "keys", "tls"]));
  });
});

describe("a write that fails", () => {
  // Renaming the new state file over a directory fails (EISDIR): a disk error on demand.
  const breakWrites = (dataDir: string) => {
    rmSync(join(dataDir, "state.json"));
    mkdirSync(join(dataDir, "state.json"));
  };
  const repairWrites = (dataDir: string) => rmSync(join(dataDir, "state.json"), { recursive: true });
  const renameFailure = /^Admin API POST \/seed failed with 500: EISDIR: illegal operation on a directory, rename '.+' -> '.+state\.json'$/;

  it("answers 500 and undoes the change, which stays undone once writes work again", async () => {
    const dataDir = freshDataDir();
    const emulator = await startEmulator({ dataDir });
    try {
      const before = await emulator.admin.state();
      breakWrites(dataDir);
      const error = await rejectionOf<AdminApiError>(emulator.admin.seed({ tenants: [{ displayName: "not kept" }] }));
      expect(error).toBeInstanceOf(AdminApiError);
      expect({ status: error.status, code: error.code }).toEqual({ status: 500, code: "internalError" });
      expect(error.message).toMatch(renameFailure);
      expect(await emulator.admin.state()).toEqual(before);

      repairWrites(dataDir);
      await emulator.admin.seed({ tenants: [{ displayName: "kept" }] });
      expect((await emulator.admin.state()).tenants.map((tenant) => tenant.displayName)).toEqual(["graph-sync demo", "kept"]);
    } finally {
      await emulator.close();
    }
    const restarted = await startEmulator({ dataDir });
    try {
      expect((await restarted.admin.state()).tenants.map((tenant) => tenant.displayName)).toEqual(["graph-sync demo", "kept"]);
    } finally {
      await restarted.close();
    }
  });

  it("fails acquireAccessToken with Graph's 500 and stores none of its tokens", async () => {
    const dataDir = freshDataDir();
    const emulator = await startEmulator({ dataDir });
    // A target of the test's own, so that the only write is the one that stores the tokens.
    const target = createServer((_request, response) =>
      response.writeHead(200, { "Content-Type": "application/json" }).end(JSON.stringify({ access_token: "at", refresh_token: "rt" })),
    );
    await new Promise<void>((resolve) => target.listen(0, "127.0.0.1", resolve));
    const tokenExchangeUri = `http://127.0.0.1:${(target.address() as { port: number }).port}/token`;
    try {
      const token = await getAccessToken(emulator);
      const url = actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId);
      const body = credentialsFor("any-code", [{ key: "Oauth2TokenExchangeUri", value: tokenExchangeUri }]);
      breakWrites(dataDir);
      expectGraphError(await callAction(url, token, body), {
        status: 500,
        code: "generalException",
        message: "An unexpected error occurred in the emulated service.",
      });
      const servicePrincipal = (await emulator.admin.state()).servicePrincipals[0]!;
      expect({ secrets: servicePrincipal.secrets, tokenAcquisitions: servicePrincipal.tokenAcquisitions }).toEqual({ secrets: [], tokenAcquisitions: 0 });

      repairWrites(dataDir);
      expect((await callAction(url, token, body)).status).toBe(204);
      expect((await emulator.admin.state()).servicePrincipals[0]!.tokenAcquisitions).toBe(1);
    } finally {
      await new Promise<void>((resolve) => target.close(() => resolve()));
      await emulator.close();
    }
  });

  it("leaves an authorization code the target failed to mark as used redeemable", async () => {
    const dataDir = freshDataDir();
    const emulator = await startEmulator({ dataDir });
    try {
      const token = await getAccessToken(emulator);
      const code = await emulator.getAuthorizationCode();
      const url = actionUrl(emulator, "servicePrincipals", emulator.servicePrincipalId);
      breakWrites(dataDir);
      const failed = await callAction(url, token, credentialsFor(code));
      expect(failed.status).toBe(400);
      expect((JSON.parse(failed.body) as { error: { message: string } }).error.message).toMatch(
        new RegExp(`^The OAuth token exchange endpoint '${emulator.targetUrl}/token' answered HTTP 500 \\(server_error\\): The target failed: Error: EISDIR`),
      );
      repairWrites(dataDir);
      expect((await callAction(url, token, credentialsFor(code))).status).toBe(204);
    } finally {
      await emulator.close();
    }
  });

  it("rejects every change that was waiting for it, and keeps none of them", async () => {
    const dataDir = freshDataDir();
    mkdirSync(dataDir);
    const store = await EmulatorStore.open(dataDir);
    await store.commit(() => store.upsertTenant({ id: "kept", displayName: "kept", domains: [] }));
    breakWrites(dataDir);
    const add = (id: string) => store.commit(() => store.upsertTenant({ id, displayName: id, domains: [] }));
    // The first change starts a write, which fails; the second, made while it runs, waits for the
    // next write, which succeeds: writes are repaired as soon as the first fails, before the next
    // one (file I/O) can get anywhere.
    const first = rejectionOf(add("first")).finally(() => repairWrites(dataDir));
    const second = rejectionOf(add("second"));
    expect(((await first) as NodeJS.ErrnoException).code).toBe("EISDIR");
    const undone = await second;
    expect(undone).toBeInstanceOf(ChangeNotDurableError);
    expect(undone.message).toBe("The change was undone because an earlier write of the emulator's state failed.");
    expect(store.toDocument().tenants.map((tenant) => tenant.id)).toEqual(["kept"]);

    await add("third");
    const saved = JSON.parse(readFileSync(join(dataDir, "state.json"), "utf8")) as { tenants: Array<{ id: string }> };
    expect(saved.tenants.map((tenant) => tenant.id)).toEqual(["kept", "third"]);
  });
});
