// The built `graph-sync` bin, spawned as a user would run it: help, usage errors, credentials from
// a file, stdin or the environment (never the command line), JSON output, every exit code, Ctrl+C,
// and no secret in any output. Graph and Entra ID are the emulator's, or a local server where a
// test needs an answer the emulator would not give.
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { synchronizationSecretKeys } from "@graph-sync/sdk";
import { betaDeprecation } from "@graph-sync/sdk/tooling";
import { packageRoot, spawnCli, type CliRun } from "./support/spawnCli.js";
import {
  emulatorEnv,
  graphError,
  noContent,
  rawAnswer,
  resetConnection,
  startGraphServer,
  startTestEmulator,
  stall,
  type GraphServer,
  type RunningEmulator,
} from "@graph-sync/test-support";

let emulator: RunningEmulator;
let graph: GraphServer;
let scratch: string;
beforeAll(async () => {
  [emulator, graph, scratch] = await Promise.all([
    startTestEmulator(),
    startGraphServer(),
    mkdtemp(join(tmpdir(), "graph-sync-cli-")),
  ]);
});
afterAll(async () => {
  await Promise.all([emulator.close(), graph.close(), rm(scratch, { recursive: true, force: true })]);
});
beforeEach(() => {
  graph.reset();
});

const UNKNOWN_SP = "00000000-0000-4000-8000-000000000000";

async function credentialsFile(content: unknown): Promise<string> {
  const path = join(scratch, `credentials-${Math.random().toString(36).slice(2)}.json`);
  await writeFile(path, typeof content === "string" ? content : JSON.stringify(content));
  await chmod(path, 0o600);
  return path;
}

/** Everything the process printed must be free of these. */
function expectNoSecrets(run: CliRun, secrets: readonly string[]) {
  for (const secret of secrets) {
    expect(run.stdout).not.toContain(secret);
    expect(run.stderr).not.toContain(secret);
  }
}

async function freshCredentials(objectId = emulator.servicePrincipalId) {
  const code = await emulator.getAuthorizationCode(objectId);
  return { code, credentials: { Oauth2AuthorizationCode: code, Oauth2RedirectUri: emulator.target.redirectUri } };
}

/** Against the emulator's Graph and Entra ID. */
function acquire(args: string[], extra: { env?: Record<string, string>; stdin?: string } = {}) {
  return spawnCli(["acquire-token", "--graph-url", emulator.graphUrl, ...args], {
    env: { ...emulatorEnv(emulator), ...extra.env },
    ...(extra.stdin !== undefined && { stdin: extra.stdin }),
  });
}

/** Against the local server's Graph, with real tokens from the emulator's Entra ID. */
function acquireFromLocalGraph(args: string[], credentials: string) {
  return spawnCli(["acquire-token", "--graph-url", graph.url, "--service-principal", emulator.servicePrincipalId, ...args], {
    env: { ...emulatorEnv(emulator), GRAPH_SYNC_CREDENTIALS: credentials },
  });
}

describe.concurrent("help and usage", () => {
  test("the bin is the committed launcher, an executable script (npm links it before dist/ exists)", async () => {
    const launcher = join(packageRoot, "bin/graph-sync.js");
    expect((await readFile(launcher, "utf8")).startsWith("#!/usr/bin/env node\n")).toBe(true);
    expect((await stat(launcher)).mode & 0o111).toBe(0o111);
  });

  test("--help lists the commands and exit codes; help acquire-token has examples", async () => {
    const [main, command, version] = await Promise.all([
      spawnCli(["--help"]),
      spawnCli(["help", "acquire-token"]),
      spawnCli(["--version"]),
    ]);
    expect(main.code).toBe(0);
    expect(main.stdout).toContain("graph-sync acquire-token (--service-principal <id> | --application <id>)");
    expect(main.stdout).toMatch(/Exit codes:[\s\S]*6 {4}throttled/);
    expect(command.code).toBe(0);
    expect(command.stdout).toContain("Examples:");
    expect(command.stdout).toContain("--credentials-file -");
    expect(command.stdout).toContain("never as command-line values");
    // The secret names and beta's removal date come from the fragments, through `npm run generate`.
    for (const key of synchronizationSecretKeys) expect(command.stdout).toMatch(new RegExp(`[ ,]${key}(,|\n)`));
    expect(command.stdout).toContain(`beta (deprecated by Graph, removal ${betaDeprecation!.removalDate})`);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    // Output redaction must not mangle the help's own examples.
    expect(`${main.stdout}${command.stdout}`).not.toContain("[REDACTED]");
  });

  test.each([
    [[], /Usage:/],
    [["acquire-tokn"], /Unknown command; did you mean "acquire-token"\?/],
    [["acquire-token"], /--service-principal <object id> or --application <object id>/],
    [["acquire-token", "--service-principal", UNKNOWN_SP, "--application", UNKNOWN_SP], /not both/],
    [["acquire-token", "--service-principal", "not-a-guid"], /is not an object id \(the 10 characters given are not shown.*\): Graph ids are GUIDs/],
    [["acquire-token", "--service-principal", UNKNOWN_SP], /No credentials given/],
    [["acquire-token", "--service-principal", UNKNOWN_SP, "--cloud", "china", "--credentials-file", "typo.json"], new RegExp(`does not exist \\(looked for ${join(packageRoot, "typo.json")}\\)`)],
    [["acquire-token", "--service-principal", UNKNOWN_SP, "--cloud", "mars"], /--cloud must be one of global, usgov, usgov-dod, china/],
    [["acquire-token", "--service-principal"], /--service-principal needs a value/],
  ])("%j → exit 2 with a clear message", async (args, message) => {
    const run = await spawnCli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });

  test("a wrong id and a wrong key in the credentials are reported together, before any sign-in", async () => {
    const run = await spawnCli(["acquire-token", "--service-principal", "not-a-guid", "--credentials-file", "-"], {
      stdin: '{"Oauth2AuthorisationCode":"pasted-code-value"}',
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/target\.servicePrincipalId: is not an object id/);
    expect(run.stderr).toMatch(/credentials\.Oauth2AuthorisationCode: .*did you mean "Oauth2AuthorizationCode"\?/);
    expect(run.stderr).not.toContain("pasted-code-value");
  });

  test("a --credentials-file value that is not a .json name is not echoed (it may be a secret typed there)", async () => {
    const secretInPlaceOfPath = "pasted~Secret.value";
    const run = await spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--credentials-file", secretInPlaceOfPath]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--credentials-file does not exist \(the value is not shown/);
    expectNoSecrets(run, [secretInPlaceOfPath]);
  });

  test("--json usage errors have the shape of every other error", async () => {
    const run = await spawnCli(["acquire-token", "--json"]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      exitCode: 2,
      error: {
        name: "GraphSyncError",
        kind: "validation",
        code: "UsageError",
        message: expect.stringContaining("--service-principal <object id> or --application <object id>") as unknown,
        attempts: 0,
        mayHaveBeenProcessed: false,
      },
    });
  });

  test("secrets are refused on the command line, and never echoed", async () => {
    const secret = "typed-on-the-command-line-SECRET";
    const [asOption, asPositional] = await Promise.all([
      spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, `--Oauth2AuthorizationCode=${secret}`]),
      spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, secret]),
    ]);
    expect(asOption.code).toBe(2);
    expect(asOption.stderr).toContain('Unknown option (argument 3) for "acquire-token"');
    expect(asOption.stderr).toContain("never accepted as command-line values");
    expect(asPositional.code).toBe(2);
    expect(asPositional.stderr).toContain("not shown, in case one is a secret");
    expectNoSecrets(asOption, [secret]);
    expectNoSecrets(asPositional, [secret]);
  });

  test("invalid credentials JSON: position and key names, never values", async () => {
    const duplicate = await credentialsFile('{\n  "Oauth2AuthorizationCode": "dup-secret-one",\n  "Oauth2AuthorizationCode": "dup-secret-two"\n}');
    const broken = await credentialsFile('{"Oauth2AuthorizationCode": "broken-secret",}');
    const typo = await credentialsFile({ Oauth2AuthorisationCode: "typo-secret-value" });
    const runs = await Promise.all(
      [duplicate, broken, typo].map((file) => spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--credentials-file", file])),
    );
    expect(runs.map((run) => run.code)).toEqual([2, 2, 2]);
    expect(runs[0]?.stderr).toContain("credentials.Oauth2AuthorizationCode: is given twice (line 2, column 3 and line 3, column 3)");
    expect(runs[1]?.stderr).toMatch(/is not valid JSON: .* at line 1, column \d+/);
    expect(runs[2]?.stderr).toContain('did you mean "Oauth2AuthorizationCode"?');
    for (const run of runs) expectNoSecrets(run, ["dup-secret-one", "dup-secret-two", "broken-secret", "typo-secret-value"]);
  });
});

describe.concurrent("hostile input: nothing echoed, nothing unbounded", () => {
  const SECRET = "pasted-SECRET-value-7f6e5d4c";

  test("a secret typed as a command, a help topic, an option, --cloud, --api-version, an id or a file path is not echoed", async () => {
    const sp = ["acquire-token", "--service-principal"];
    const runs = await Promise.all([
      spawnCli([SECRET]),
      spawnCli(["help", SECRET]),
      spawnCli([...sp, UNKNOWN_SP, `--${SECRET}`]),
      spawnCli([...sp, UNKNOWN_SP, "--cloud", SECRET]),
      spawnCli([...sp, UNKNOWN_SP, "--api-version", SECRET]),
      spawnCli([...sp, SECRET]),
      spawnCli(["acquire-token", "--application", SECRET, "--json"]),
      spawnCli([...sp, UNKNOWN_SP, "--credentials-file", SECRET]),
    ]);
    for (const run of runs) {
      expect(run.code).toBe(2);
      expectNoSecrets(run, [SECRET]);
    }
    expect(runs[0]?.stderr).toContain("Unknown command; commands: acquire-token, authorize, help.");
    expect(runs[3]?.stderr).toContain("--cloud must be one of global, usgov, usgov-dod, china (the value given is not shown");
    expect(runs[6]?.stdout).toContain('"kind": "validation"');
  });

  test("a typo still gets its suggestion", async () => {
    const [command, cloud, option] = await Promise.all([
      spawnCli(["hlep"]),
      spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--cloud", "usgof"]),
      spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--clod", "usgov"]),
    ]);
    expect(command.stderr).toContain('did you mean "help"?');
    expect(cloud.stderr).toContain('did you mean "usgov"?');
    expect(option.stderr).toContain("did you mean --cloud?");
  });

  test("a secret used as a key name in the credentials file is not echoed", async () => {
    const run = await spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--credentials-file", await credentialsFile({ [SECRET]: "Oauth2AuthorizationCode" })]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("key number 1 is not a synchronization secret key (not shown");
    expectNoSecrets(run, [SECRET]);
  });

  test("1 MB credentials files (40,000 keys, 35,000 bad pairs, nesting 500,000 deep) and 90 duplicates are refused briefly", async () => {
    const manyKeys = `{${Array.from({ length: 40_000 }, (_, index) => `"Key${index}":"v"`).join(",")}}`;
    const duplicates = `{${Array.from({ length: 90 }, () => '"Oauth2ClientId":"v"').join(",")}}`;
    const badPairs = JSON.stringify(Array.from({ length: 35_000 }, (_, index) => ({ key: `k${index}`, value: 1 })));
    const deep = `${"[".repeat(500_000)}${"]".repeat(500_000)}`;
    const runs = await Promise.all(
      [manyKeys, duplicates, badPairs, deep].map(async (content) =>
        spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP, "--credentials-file", await credentialsFile(content), "--json"]),
      ),
    );
    for (const run of runs) {
      expect(run.code).toBe(2);
      // Before the bounds: 43–54 s and 8.8 MB of output for such a file.
      expect(run.stdout.length + run.stderr.length).toBeLessThan(8_000);
      expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, exitCode: 2, error: { kind: "validation" } });
    }
    expect(runs[0]?.stdout).toContain("has 40000 keys");
    expect(runs[1]?.stdout).toContain("69 more problems not listed");
    expect(runs[2]?.stdout).toContain("has 35000 entries");
    expect(runs[3]?.stdout).toContain("more than 32 levels deep");
  });
});

describe.concurrent("acquire-token against the emulator", () => {
  test("credentials from a file: success, exit 0", async () => {
    const { code, credentials } = await freshCredentials();
    const run = await acquire(["--service-principal", emulator.servicePrincipalId, "--credentials-file", await credentialsFile(credentials)]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`✔ Graph accepted the credentials for service principal ${emulator.servicePrincipalId} (204 No Content).`);
    expectNoSecrets(run, [code, emulator.clientSecret]);
  });

  test("credentials from stdin, JSON output, for an application", async () => {
    const { code, credentials } = await freshCredentials(emulator.applicationId);
    const run = await acquire(["--application", emulator.applicationId, "--credentials-file", "-", "--json"], {
      stdin: JSON.stringify([
        { key: "Oauth2AuthorizationCode", value: credentials.Oauth2AuthorizationCode },
        { key: "Oauth2RedirectUri", value: credentials.Oauth2RedirectUri },
      ]),
    });
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ ok: true, target: { applicationId: emulator.applicationId }, attempts: 1, graphUrl: emulator.graphUrl, apiVersion: "v1.0" });
    expect(result["clientRequestId"]).toMatch(/^[0-9a-f-]{36}$/);
    expectNoSecrets(run, [code, emulator.clientSecret]);
  });

  test("credentials from GRAPH_SYNC_CREDENTIALS; reusing the spent code exits 8 with Graph's reason", async () => {
    const { code, credentials } = await freshCredentials();
    const env = { GRAPH_SYNC_CREDENTIALS: JSON.stringify(credentials) };
    const first = await acquire(["--service-principal", emulator.servicePrincipalId, "--verbose"], { env });
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/graph-sync: attempt 1: 204/);
    const second = await acquire(["--service-principal", emulator.servicePrincipalId], { env });
    expect(second.code).toBe(8);
    expect(second.stderr).toMatch(/^✖ Graph rejected the request for service principal/);
    expect(second.stderr).toContain("kind: bad-request · status: 400 · code: Request_BadRequest");
    expect(second.stderr).toMatch(/request-id: [0-9a-f-]{36} · client-request-id: [0-9a-f-]{36}/);
    for (const run of [first, second]) expectNoSecrets(run, [code, emulator.clientSecret]);
  });

  test("GRAPH_SYNC_GRAPH_URL stands for --graph-url (the emulator's --print-env sets it); --graph-url wins over it", async () => {
    const { code, credentials } = await freshCredentials();
    const env = { ...emulatorEnv(emulator), GRAPH_SYNC_GRAPH_URL: emulator.graphUrl, GRAPH_SYNC_CREDENTIALS: JSON.stringify(credentials) };
    const run = await spawnCli(["acquire-token", "--service-principal", emulator.servicePrincipalId, "--json"], { env });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, graphUrl: emulator.graphUrl });
    expectNoSecrets(run, [code, emulator.clientSecret]);

    // The variable names a port where nothing listens: only the flag's Graph can answer.
    const second = await freshCredentials();
    const overridden = await spawnCli(["acquire-token", "--graph-url", emulator.graphUrl, "--service-principal", emulator.servicePrincipalId, "--json"], {
      env: { ...env, GRAPH_SYNC_GRAPH_URL: "http://127.0.0.1:9", GRAPH_SYNC_CREDENTIALS: JSON.stringify(second.credentials) },
    });
    expect(overridden.code).toBe(0);
    expect(JSON.parse(overridden.stdout)).toMatchObject({ ok: true, graphUrl: emulator.graphUrl });
  });

  test("an unknown service principal exits 5 and says which id", async () => {
    const { credentials } = await freshCredentials();
    const run = await acquire(["--service-principal", UNKNOWN_SP, "--json"], { env: { GRAPH_SYNC_CREDENTIALS: JSON.stringify(credentials) } });
    expect(run.code).toBe(5);
    const output = JSON.parse(run.stdout) as { ok: boolean; exitCode: number; error: { kind: string; status: number; message: string } };
    // --json keeps Graph's error code (a JSON "code" is not a secret).
    expect(output).toMatchObject({ ok: false, exitCode: 5, error: { kind: "not-found", status: 404, code: "Request_ResourceNotFound" } });
    expect(output.error.message).toContain(`No service principal with the id ${UNKNOWN_SP} was found`);
  });

  test("a wrong client secret exits 3 with the AADSTS code, also in --json", async () => {
    const env = { AZURE_CLIENT_SECRET: "wrong-secret-value-123", GRAPH_SYNC_CREDENTIALS: '{"Oauth2AuthorizationCode":"whatever-code"}' };
    const run = await acquire(["--service-principal", emulator.servicePrincipalId, "--json"], { env });
    expect(run.code).toBe(3);
    const output = JSON.parse(run.stdout) as { error: { message: string; cause: { cause?: { message: string } } } };
    expect(output).toMatchObject({ exitCode: 3, error: { kind: "authentication", status: 401, code: "AADSTS7000215" } });
    expect(output.error.message).toContain("(AADSTS7000215)");
    expect(output.error.message).toContain("not its Secret ID");
    expect(output.error.cause.cause?.message).toContain("AADSTS7000215");
    expectNoSecrets(run, ["wrong-secret-value-123", "whatever-code"]);
  });

  test("an emulator whose CA is not trusted: advice to trust it, and the TLS reason with --verbose", async () => {
    const { NODE_EXTRA_CA_CERTS: _trust, ...untrusting } = emulatorEnv(emulator);
    const run = await spawnCli(["acquire-token", "--graph-url", emulator.graphUrl, "--service-principal", emulator.servicePrincipalId, "--verbose"], {
      env: { ...untrusting, GRAPH_SYNC_CREDENTIALS: '{"Oauth2AuthorizationCode":"untrusted-code"}' },
    });
    expect(run.code).toBe(3);
    expect(run.stderr).toContain(`The TLS certificate of ${emulator.loginUrl} is not trusted (`);
    // Remedies a shell has, not the SDK's for code (issue 21).
    expect(run.stderr).toContain("If it is the graph-sync emulator, trust its CA: export NODE_EXTRA_CA_CERTS=<the emulator's caCertPath>");
    expect(run.stderr).not.toContain("tlsOptions");
    expect(run.stderr).not.toContain("set AZURE_TENANT_ID");
    expect(run.stderr).toMatch(/caused by Error: (unable to verify|self[- ]signed)/);
    expectNoSecrets(run, ["untrusted-code", emulator.clientSecret]);
  });

  test("missing AZURE_* variables exit 2 and name them", async () => {
    const run = await spawnCli(["acquire-token", "--service-principal", UNKNOWN_SP], {
      env: { GRAPH_SYNC_CREDENTIALS: '{"Oauth2AuthorizationCode":"x-code-value"}' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_CLIENT_SECRET (or AZURE_CLIENT_CERTIFICATE_PATH)");
  });
});

describe("exit codes for answers the emulator is not asked to give", () => {
  const credentials = '{"Oauth2AuthorizationCode":"local-code-value-1"}';

  test.each([
    { status: 403, handler: graphError(403, "Authorization_RequestDenied", "Insufficient privileges."), exitCode: 4, message: /Application.ReadWrite.OwnedBy/ },
    { status: 401, handler: graphError(401, "InvalidAuthenticationToken", "Expired."), exitCode: 3, message: /did not accept the access token/ },
    { status: 401, handler: graphError(401, "UnknownError", ""), exitCode: 4, message: /two possible causes.*Synchronization\.ReadWrite\.All.*Hybrid Identity Administrator/ },
    { status: 500, handler: rawAnswer(500, "<html>oops</html>", "text/html"), exitCode: 1, message: /an HTML page/ },
  ])("$status → exit $exitCode", async ({ handler, exitCode, message }) => {
    graph.enqueue(handler);
    const run = await acquireFromLocalGraph([], credentials);
    expect(run.code).toBe(exitCode);
    expect(run.stderr).toMatch(message);
    expectNoSecrets(run, ["local-code-value-1", emulator.clientSecret]);
  });

  test("429 until the SDK gives up → exit 6", async () => {
    const throttled = graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "0.01" });
    graph.enqueue(throttled, throttled, throttled, throttled);
    const run = await acquireFromLocalGraph(["--json"], credentials);
    expect(run.code).toBe(6);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 6, error: { kind: "throttled", attempts: 4, retryAfterInMs: 10 } });
  });

  test("--trace prints the call's span tree on stderr; --json lists the request-id of every attempt", async () => {
    graph.enqueue(graphError(429, "TooManyRequests", "Slow down.", { "retry-after": "0.01" }), noContent());
    const run = await acquireFromLocalGraph(["--json", "--trace"], credentials);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: true, attempts: 2, requestId: "req-204", requestIds: ["req-429", "req-204"] });
    const lines = run.stderr.trimEnd().split("\n");
    expect(lines[0]).toMatch(/^trace [0-9a-f]{32}$/);
    expect(lines[1]).toMatch(/^SyncClient\.acquireAccessToken · CLIENT · [\d.]+ ms · OK$/);
    expect(run.stderr).toContain("graph_sync.request_id=req-204");
    expect(run.stderr).toMatch(/@\+[\d.]+ ms graph_sync\.retry\.wait graph_sync\.retry\.reason=429 .*graph_sync\.retry\.retry_after_ms=10/);
    const attempts = lines.filter((line) => line.startsWith("  └ POST /v1.0/servicePrincipals/{id}/synchronization/acquireAccessToken · CLIENT"));
    expect(attempts).toEqual([expect.stringMatching(/ · ERROR 429$/), expect.stringMatching(/ · UNSET$/)]);
    expectNoSecrets(run, ["local-code-value-1", emulator.clientSecret]);
  });

  test("--json of a failed call lists the request-id of every attempt too", async () => {
    graph.enqueue(graphError(404, "Request_ResourceNotFound", "Not here."));
    const run = await acquireFromLocalGraph(["--json"], credentials);
    expect(run.code).toBe(5);
    expect(JSON.parse(run.stdout)).toMatchObject({ ok: false, requestIds: ["req-404"] });
  });

  test("a broken connection → exit 7, and the output says the call may have run", async () => {
    graph.enqueue(resetConnection());
    const run = await acquireFromLocalGraph([], credentials);
    expect(run.code).toBe(7);
    expect(run.stderr).toContain("may have been carried out");
    expect(graph.requests).toHaveLength(1);
  });

  test("Ctrl+C while the request is in flight → exit 130", async () => {
    graph.enqueue(stall());
    let child: import("node:child_process").ChildProcess | undefined;
    const running = spawnCli(["acquire-token", "--graph-url", graph.url, "--service-principal", emulator.servicePrincipalId], {
      env: { ...emulatorEnv(emulator), GRAPH_SYNC_CREDENTIALS: credentials },
      onSpawn: (spawned) => (child = spawned),
    });
    for (let waited = 0; graph.requests.length === 0 && waited < 200; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(graph.requests).toHaveLength(1);
    child?.kill("SIGINT");
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).toMatch(/^✖ Interrupted \(Ctrl\+C\) while the request was in flight/);
    expect(run.stderr).not.toContain("abortSignal");
  });
});

describe("--device-code: a signed-in administrator", () => {
  afterAll(() => emulator.admin.setAccess({}));

  test("prints Entra's prompt on stderr, and the call succeeds as the administrator", async () => {
    await emulator.admin.setAccess({ autoApproveDeviceCodes: emulator.adminUserPrincipalName });
    const { code, credentials } = await freshCredentials();
    const run = await acquire(["--device-code", "--service-principal", emulator.servicePrincipalId, "--credentials-file", await credentialsFile(credentials)]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`To sign in, use a web browser to open the page ${emulator.loginUrl}/devicelogin and enter the code [A-Z2-9]{9} to authenticate\\.`));
    expect(run.stdout).toContain(`✔ Graph accepted the credentials for service principal ${emulator.servicePrincipalId}`);
    expectNoSecrets(run, [code, emulator.clientSecret]);
  });

  test("a user without an administrator role: exit 4, with the roles to ask for", async () => {
    const user = (await emulator.admin.seed({ users: [{ tenantId: emulator.tenantId, directoryRoles: ["User Administrator"] }] })).users[0]!;
    await emulator.admin.setAccess({ autoApproveDeviceCodes: user.userPrincipalName });
    const { credentials } = await freshCredentials();
    const run = await acquire(["--device-code", "--service-principal", emulator.servicePrincipalId, "--credentials-file", await credentialsFile(credentials), "--json"]);
    expect(run.code).toBe(4);
    expect(JSON.parse(run.stdout)).toMatchObject({ exitCode: 4, error: { kind: "permission", status: 401, code: "UnknownError" } });
    expect(run.stdout).toContain("(401 UnknownError)");
    expect(run.stdout).toContain("Cloud Application Administrator or Hybrid Identity Administrator");
  });

  test("without AZURE_CLIENT_ID: exit 2, naming what to set", async () => {
    const run = await acquire(["--device-code", "--service-principal", emulator.servicePrincipalId], {
      env: { AZURE_CLIENT_ID: "", GRAPH_SYNC_CREDENTIALS: '{"Oauth2AuthorizationCode":"x-code-value"}' },
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("Cannot sign in with a device code: set AZURE_CLIENT_ID");
  });
});
