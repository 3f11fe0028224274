// --data: state, keys and certificates survive a restart, and a kill at any moment loses nothing
// that was acknowledged, because every write is atomic and durable before the answer goes out.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AdminClient, startEmulator } from "../src/index.js";
import { startCli } from "./support/cliProcess.js";
import { actionUrl, callAction, credentialsFor, getAccessToken } from "./support/emulatorClients.js";
import { rejectionOf } from "./support/rejection.js";

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
    const cli = await startCli(["--port", "0", "--data", dataDir, "--quiet"]);
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
