// The graph-sync-emulator command, run as users run it: the compiled bin in its own process.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { AdminClient } from "../src/index.js";
import { runProcess } from "@graph-sync/test-support";
import { startCli, runCli, type CliEmulator } from "./support/cliProcess.js";
import { actionUrl, callAction, getAccessToken } from "./support/emulatorClients.js";
import { send } from "./support/httpClient.js";
import { guidPattern } from "./support/responseShapes.js";

const scratch = mkdtempSync(join(tmpdir(), "emulator-cli-test-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("graph-sync-emulator --port 0", () => {
  it("prints one JSON line with everything a client needs, serves, and stops cleanly on SIGTERM", async () => {
    const cli = await startCli(["--port", "0", "--auto-consent"]);
    const { facts } = cli;
    expect(Object.keys(facts).sort()).toEqual(
      [
        "adminUrl",
        "adminUserPrincipalName",
        "applicationId",
        "caCertPath",
        "clientId",
        "clientSecret",
        "graphHttpsUrl",
        "graphUrl",
        "howToGetAuthorizationCode",
        "loginUrl",
        "servicePrincipalId",
        "target",
        "targetUrl",
        "tenantId",
      ].sort(),
    );
    expect(facts.graphUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(facts.loginUrl).toMatch(/^https:\/\/localhost:\d+$/);
    expect(facts.tenantId).toMatch(guidPattern);
    expect(facts.target.authorizationRequestUrl).toContain(`${facts.targetUrl}/authorize?`);

    // The facts are enough to do the whole flow, from outside the process.
    const caCertPem = readFileSync(facts.caCertPath, "utf8");
    const token = await getAccessToken({ ...facts, caCertPem } as never);
    const redirect = await send(facts.target.authorizationRequestUrl);
    const code = new URL(String(redirect.headers.location)).searchParams.get("code")!;
    const response = await callAction(actionUrl(facts, "servicePrincipals", facts.servicePrincipalId), token, {
      credentials: [{ key: "Oauth2AuthorizationCode", value: code }],
    });
    expect(response.status).toBe(204);
    expect((await new AdminClient(facts.adminUrl).state()).servicePrincipals[0]?.tokenAcquisitions).toBe(1);

    expect(await cli.stop("SIGTERM")).toBe(0);
    expect(cli.stdout().trim().split("\n")).toHaveLength(1);
    expect(cli.stderr()).toContain("emulator stopped");
    // Log lines went to stderr and carry no secret.
    expect(cli.stderr()).toContain("graph POST /v1.0/servicePrincipals/");
    expect(cli.stderr()).not.toContain(facts.clientSecret);
    expect(cli.stderr()).not.toContain(code);
    // Without a data directory the CA lived in a temporary directory, removed on exit.
    expect(existsSync(facts.caCertPath)).toBe(false);
  });

  it("stops cleanly on SIGINT", async () => {
    const cli = await startCli(["--port", "0", "--quiet"]);
    expect(await cli.stop("SIGINT")).toBe(0);
    // --quiet: nothing on stderr at all.
    expect(cli.stderr()).toBe("");
  });
});

describe("--print-env", () => {
  /** The export lines, once the emulator has printed them all after its JSON line (bounded). */
  async function exportBlock(cli: CliEmulator): Promise<string> {
    for (let waited = 0; !cli.stdout().includes("GRAPH_SYNC_EMULATOR_ADMIN_URL"); waited += 50) {
      if (waited > 5_000) throw new Error(`no export lines after the JSON line: ${cli.stdout()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return cli.stdout().slice(cli.stdout().indexOf("\n") + 1);
  }

  /** What a POSIX shell makes of the pasted lines. */
  async function sourced(lines: string, names: string[]): Promise<Record<string, string | undefined>> {
    const script = `${lines}\nnode -e 'console.log(JSON.stringify(Object.fromEntries(process.argv.slice(1).map((n) => [n, process.env[n]]))))' ${names.join(" ")}`;
    const run = await runProcess("sh", ["-c", script], { env: { PATH: process.env.PATH ?? "" }, timeoutInMs: 15_000 });
    expect(run.stderr).toBe("");
    return JSON.parse(run.stdout) as Record<string, string | undefined>;
  }

  it("prints export lines a shell takes as they are, without the client secret unless asked", async () => {
    const cli = await startCli(["--port", "0", "--quiet", "--print-env"]);
    try {
      const { facts } = cli;
      const block = await exportBlock(cli);
      expect(block).not.toContain(facts.clientSecret);
      expect(block).toContain("# AZURE_CLIENT_SECRET is not printed: start the emulator with --print-env-with-secret");
      const names = [
        "AZURE_TENANT_ID",
        "AZURE_CLIENT_ID",
        "AZURE_CLIENT_SECRET",
        "AZURE_AUTHORITY_HOST",
        "NODE_EXTRA_CA_CERTS",
        "GRAPH_SYNC_GRAPH_URL",
        "GRAPH_SYNC_SERVICE_PRINCIPAL_ID",
        "GRAPH_SYNC_APPLICATION_ID",
        "GRAPH_SYNC_REDIRECT_URI",
        "GRAPH_SYNC_EMULATOR_AUTHORIZATION_REQUEST_URL",
        "GRAPH_SYNC_EMULATOR_ADMIN_URL",
      ];
      expect(await sourced(block, names)).toEqual({
        AZURE_TENANT_ID: facts.tenantId,
        AZURE_CLIENT_ID: facts.clientId,
        AZURE_AUTHORITY_HOST: facts.loginUrl,
        NODE_EXTRA_CA_CERTS: facts.caCertPath,
        GRAPH_SYNC_GRAPH_URL: facts.graphUrl,
        GRAPH_SYNC_SERVICE_PRINCIPAL_ID: facts.servicePrincipalId,
        GRAPH_SYNC_APPLICATION_ID: facts.applicationId,
        // An & in the URL and a ' would end an unquoted or badly quoted value.
        GRAPH_SYNC_REDIRECT_URI: facts.target.redirectUri,
        GRAPH_SYNC_EMULATOR_AUTHORIZATION_REQUEST_URL: facts.target.authorizationRequestUrl,
        GRAPH_SYNC_EMULATOR_ADMIN_URL: facts.adminUrl,
      });
    } finally {
      await cli.stop();
    }
  });

  it("--print-env-with-secret adds the client secret, quoted for the shell", async () => {
    const cli = await startCli(["--port", "0", "--quiet", "--print-env-with-secret"]);
    try {
      const block = await exportBlock(cli);
      expect(block).not.toContain("is not printed");
      expect(await sourced(block, ["AZURE_CLIENT_SECRET"])).toEqual({ AZURE_CLIENT_SECRET: cli.facts.clientSecret });
    } finally {
      await cli.stop();
    }
  });

  it("names nothing that does not exist without the demo tenant", async () => {
    const cli = await startCli(["--port", "0", "--quiet", "--no-seed", "--print-env-with-secret"]);
    try {
      for (let waited = 0; !cli.stdout().includes("GRAPH_SYNC_EMULATOR_ADMIN_URL"); waited += 50) {
        if (waited > 5_000) throw new Error(`no export lines: ${cli.stdout()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const block = cli.stdout().slice(cli.stdout().indexOf("\n") + 1);
      expect(block).not.toMatch(/AZURE_TENANT_ID|AZURE_CLIENT_ID|AZURE_CLIENT_SECRET|GRAPH_SYNC_SERVICE_PRINCIPAL_ID|=''/);
      expect(block).toContain(`export GRAPH_SYNC_GRAPH_URL='${cli.facts.graphUrl}'`);
    } finally {
      await cli.stop();
    }
  });
});

describe("settings", () => {
  it("reads a YAML config file, and flags override it field by field", async () => {
    const configPath = join(scratch, "emulator.yaml");
    writeFileSync(
      configPath,
      ["throttling:", "  limit: 10", "  retryAfterFormat: fractional", "faults:", "  rate: 0.1", "  seed: 9", "seedDemo: false", ""].join("\n"),
    );
    const cli = await startCli(["--port", "0", "--config", configPath, "--throttle-limit", "20", "--throttle-write-limit", "30", "--throttle-scope", "request", "--fault-kinds", "500,reset"]);
    try {
      const admin = new AdminClient(cli.facts.adminUrl);
      expect(await admin.throttling()).toEqual({
        enabled: true,
        scope: "request",
        limit: 20,
        windowSeconds: 10,
        writeLimit: 30,
        writeWindowSeconds: 150,
        retryAfterFormat: "fractional",
      });
      expect(await admin.faults()).toMatchObject({ rate: 0.1, seed: 9, kinds: ["500", "reset"] });
      expect(cli.facts.tenantId).toBe("");
      expect((await admin.state()).tenants).toEqual([]);
    } finally {
      await cli.stop();
    }
  });

  it("takes the access settings: --permission-denial and --auto-approve-device-codes", async () => {
    const cli = await startCli(["--port", "0", "--permission-denial", "forbidden", "--auto-approve-device-codes", "admin@graphsyncdemo.onmicrosoft.com"]);
    try {
      expect(await new AdminClient(cli.facts.adminUrl).access()).toEqual({
        permissionDenial: "forbidden",
        autoApproveDeviceCodes: "admin@graphsyncdemo.onmicrosoft.com",
      });
      expect(cli.facts.adminUserPrincipalName).toBe("admin@graphsyncdemo.onmicrosoft.com");
    } finally {
      await cli.stop();
    }
  });

  it("applies a --seed file at start: an app with any permission, a user with roles", async () => {
    const seedPath = join(scratch, "seed.yaml");
    writeFileSync(
      seedPath,
      [
        "users:",
        "  - tenantId: graphsyncdemo.onmicrosoft.com",
        "    userPrincipalName: hybrid@graphsyncdemo.onmicrosoft.com",
        "    directoryRoles: [Hybrid Identity Administrator]",
        "clientApplications:",
        "  - tenantId: graphsyncdemo.onmicrosoft.com",
        "    displayName: older page",
        "    roles: [Directory.ReadWrite.All]",
        "",
      ].join("\n"),
    );
    const cli = await startCli(["--port", "0", "--seed", seedPath]);
    try {
      const state = await new AdminClient(cli.facts.adminUrl).state();
      expect(state.users.find((user) => user.userPrincipalName === "hybrid@graphsyncdemo.onmicrosoft.com")).toMatchObject({
        tenantId: cli.facts.tenantId,
        directoryRoleTemplateIds: ["8ac3fc64-6eca-42ea-9e69-59f4c7b60eb2"],
      });
      expect(state.clientApplications.find((app) => app.displayName === "older page")?.roles).toEqual(["Directory.ReadWrite.All"]);
    } finally {
      await cli.stop();
    }
  });

  it("exits 2 with a message for an invalid config file", async () => {
    const configPath = join(scratch, "bad.yaml");
    writeFileSync(configPath, "throttling:\n  limit: -1\n");
    const result = await runCli(["--config", configPath, "--port", "0"]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain("config/throttling/limit must be >= 1");
  });

  it("exits 2 with a message for an unknown flag or a bad value", async () => {
    const unknown = await runCli(["--bogus"]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--bogus'");
    const bad = await runCli(["--retry-after", "sometimes"]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain("--retry-after takes one of integer, fractional, http-date, absent, not 'sometimes'.");
    const scope = await runCli(["--throttle-scope", "client"]);
    expect(scope.exitCode).toBe(2);
    expect(scope.stderr).toContain("--throttle-scope takes one of app, request, not 'client'.");
  });

  it("prints usage and version", async () => {
    const help = await runCli(["--help"]);
    expect(help.exitCode).toBe(0);
    expect(help.stdout).toContain("Usage: graph-sync-emulator [options]");
    // How a device code gets approved, where a user of --device-code looks first.
    expect(help.stdout).toContain("POST <adminUrl>/device-codes/approve");
    expect(help.stdout).toContain("--auto-approve-device-codes <user>");
    expect(help.stdout).toContain("--print-env-with-secret");
    const version = await runCli(["--version"]);
    expect(version.stdout.trim()).toBe(JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")).version);
  });
});
