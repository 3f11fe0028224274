// A bounded loopback load test: 64 concurrent clients make 2,000 authorizations (each: a code from
// the target, then acquireAccessToken) against an emulator with a data directory. No request may
// fail, and the state must account for every one of them, before and after a restart.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Agent, request } from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { startEmulator } from "../src/index.js";
import { actionUrl, getAccessToken } from "./support/emulatorClients.js";

const clients = 64;
const totalRequests = 2_000;
const scratch = mkdtempSync(join(tmpdir(), "emulator-load-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Keep-alive POST with a bounded wait; resolves to the status. */
function post(agent: Agent, url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { method: "POST", agent, headers: { ...headers, "Content-Length": Buffer.byteLength(body) }, timeout: 20_000 }, (response) => {
      response.resume();
      response.on("end", () => resolve(response.statusCode ?? 0));
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error("timed out")));
    outgoing.on("error", reject);
    outgoing.end(body);
  });
}

describe("64 concurrent clients", () => {
  // The cap only stops a broken run; on two busy cores the test takes around ten seconds.
  it("complete 2,000 authorizations without an error, and the state accounts for each", { timeout: 90_000 }, async () => {
    const dataDir = join(scratch, "data");
    const emulator = await startEmulator({ dataDir, throttling: { enabled: false } });
    const agent = new Agent({ keepAlive: true, maxSockets: clients });
    try {
      // One object per client, all owned by the demo app and authorizing against the demo target.
      const seeded = await emulator.admin.seed({
        servicePrincipals: Array.from({ length: clients }, () => ({
          tenantId: emulator.tenantId,
          owners: [emulator.clientId],
          targetClientId: emulator.target.clientId,
        })),
      });
      const token = await getAccessToken(emulator);
      const headers = { Authorization: `Bearer ${token}`, "Content-Type": "application/json" };
      const outcomes = new Map<string, number>();
      const completed = new Map<string, number>();

      await Promise.all(
        seeded.servicePrincipals.map(async (object, index) => {
          const share = Math.floor(totalRequests / clients) + (index < totalRequests % clients ? 1 : 0);
          for (let made = 0; made < share; made += 1) {
            const code = await emulator.getAuthorizationCode(object.id);
            const body = JSON.stringify({ credentials: [{ key: "Oauth2AuthorizationCode", value: code }] });
            const status = await post(agent, actionUrl(emulator, "servicePrincipals", object.id), headers, body);
            outcomes.set(String(status), (outcomes.get(String(status)) ?? 0) + 1);
            if (status === 204) completed.set(object.id, (completed.get(object.id) ?? 0) + 1);
          }
        }),
      );

      expect(Object.fromEntries(outcomes)).toEqual({ "204": totalRequests });
      const state = await emulator.admin.state();
      const loadObjects = state.servicePrincipals.filter((object) => completed.has(object.id));
      expect(loadObjects).toHaveLength(clients);
      for (const object of loadObjects) {
        expect(object.tokenAcquisitions).toBe(completed.get(object.id));
        expect(object.secrets.find((secret) => secret.key === "Oauth2AccessToken")?.valueFingerprint).toMatch(/^sha256:/);
      }
      expect(state.authorizationCodes.filter((code) => code.redeemedAt !== undefined)).toHaveLength(totalRequests);
      const graphLog = (await emulator.admin.requests()).filter((entry) => entry.area === "graph");
      expect(graphLog).toHaveLength(totalRequests);
      expect(graphLog.every((entry) => entry.status === 204)).toBe(true);

      // Nothing acknowledged is lost across a restart.
      await emulator.close();
      const restarted = await startEmulator({ dataDir });
      try {
        expect(await restarted.admin.state()).toEqual(state);
      } finally {
        await restarted.close();
      }
    } finally {
      agent.destroy();
      await emulator.close();
    }
  });
});
